import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  AuthApiKeysCreate,
  AuthApiKeysDecryptForEngine,
  AuthApiKeysDelete,
  AuthApiKeysGet,
  AuthApiKeysList,
  AuthApiKeysRotateMasterKey,
  RpcPatterns,
} from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { rpcErrors, rpcValidation } from './rpc-enhancers';
import { ApiKeyVaultService } from '../api-keys/api-key-vault.service';

/** Exchange keys; `decryptForEngine` and `rotateMasterKey` are internal (INTERNAL_RPC_TOKEN). */
@Controller()
@UseFilters(rpcErrors)
@UsePipes(rpcValidation)
export class ApiKeysRpcController {
  constructor(private readonly vault: ApiKeyVaultService) {}

  @RpcHandler(RpcPatterns.AuthApiKeysCreate)
  create(@Payload() request: AuthApiKeysCreate.Request): Promise<AuthApiKeysCreate.Response> {
    return this.vault.create(request);
  }

  @RpcHandler(RpcPatterns.AuthApiKeysList)
  list(@Payload() request: AuthApiKeysList.Request): Promise<AuthApiKeysList.Response> {
    return this.vault.list(request);
  }

  @RpcHandler(RpcPatterns.AuthApiKeysGet)
  get(@Payload() request: AuthApiKeysGet.Request): Promise<AuthApiKeysGet.Response> {
    return this.vault.get(request);
  }

  @RpcHandler(RpcPatterns.AuthApiKeysDelete)
  delete(@Payload() request: AuthApiKeysDelete.Request): Promise<AuthApiKeysDelete.Response> {
    return this.vault.delete(request);
  }

  @RpcHandler(RpcPatterns.AuthApiKeysDecryptForEngine)
  decryptForEngine(@Payload() request: AuthApiKeysDecryptForEngine.Request): Promise<AuthApiKeysDecryptForEngine.Response> {
    return this.vault.decryptForEngine(request);
  }

  @RpcHandler(RpcPatterns.AuthApiKeysRotateMasterKey)
  rotateMasterKey(@Payload() request: AuthApiKeysRotateMasterKey.Request): Promise<AuthApiKeysRotateMasterKey.Response> {
    return this.vault.rotateMasterKey(request);
  }
}
