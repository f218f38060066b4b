import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AuthUsersCreate, AuthUsersGet, AuthUsersList, AuthUsersSetRole, RpcPatterns } from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { rpcErrors, rpcValidation } from './rpc-enhancers';
import { AccountService } from '../users/account.service';

/** Users administration; `auth.users.create` is internal (tradectl). */
@Controller()
@UseFilters(rpcErrors)
@UsePipes(rpcValidation)
export class UsersRpcController {
  constructor(private readonly accounts: AccountService) {}

  @RpcHandler(RpcPatterns.AuthUsersCreate)
  create(@Payload() request: AuthUsersCreate.Request): Promise<AuthUsersCreate.Response> {
    return this.accounts.createByOperator(request);
  }

  @RpcHandler(RpcPatterns.AuthUsersList)
  list(@Payload() request: AuthUsersList.Request): Promise<AuthUsersList.Response> {
    return this.accounts.list(request);
  }

  @RpcHandler(RpcPatterns.AuthUsersGet)
  get(@Payload() request: AuthUsersGet.Request): Promise<AuthUsersGet.Response> {
    return this.accounts.get(request);
  }

  @RpcHandler(RpcPatterns.AuthUsersSetRole)
  setRole(@Payload() request: AuthUsersSetRole.Request): Promise<AuthUsersSetRole.Response> {
    return this.accounts.setRole(request);
  }
}
