import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthApiKeysCreate, AuthApiKeysGet, AuthApiKeysList, RequestOrigin, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller, Origin, Roles } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { ApiKeyDto, ApiKeyListDto, CreateApiKeyDto, ListApiKeysQuery } from './keys.dto';

/** Exchange API keys of the caller (admin: anyone's). Another user's key answers 404; viewers only read. */
@ApiTags('keys')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('keys')
export class KeysController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @Roles('admin', 'trader')
  @ApiOperation({ summary: 'Store an exchange API key (encrypted at rest); viewers are read-only' })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'Viewer role' })
  @ApiResponse({ status: 201, type: ApiKeyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'Same exchange, testnet flag and label already stored' })
  create(@Caller() caller: GatewayCaller, @Body() body: CreateApiKeyDto, @Origin() origin: RequestOrigin): Promise<AuthApiKeysCreate.Response> {
    return this.rpc.send(RpcPatterns.AuthApiKeysCreate, { caller: rpcCaller(caller), ...body, origin });
  }

  @Get()
  @ApiOperation({ summary: 'List keys (masked)' })
  @ApiResponse({ status: 200, type: ApiKeyListDto })
  list(@Caller() caller: GatewayCaller, @Query() query: ListApiKeysQuery): Promise<AuthApiKeysList.Response> {
    return this.rpc.send(RpcPatterns.AuthApiKeysList, { caller: rpcCaller(caller), ...(query.userId && { userId: query.userId }) });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One key (masked)' })
  @ApiResponse({ status: 200, type: ApiKeyDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  get(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<AuthApiKeysGet.Response> {
    return this.rpc.send(RpcPatterns.AuthApiKeysGet, { caller: rpcCaller(caller), keyId: id });
  }

  @Delete(':id')
  @Roles('admin', 'trader')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a key' })
  @ApiResponse({ status: 204 })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  async delete(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string, @Origin() origin: RequestOrigin): Promise<void> {
    await this.rpc.send(RpcPatterns.AuthApiKeysDelete, { caller: rpcCaller(caller), keyId: id, origin });
  }
}
