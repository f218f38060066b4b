import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AuthUsersGet, AuthUsersList, AuthUsersSetRole, RequestOrigin, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { UserDto } from '../auth/auth.dto';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller, Origin, Roles } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { ListUsersQuery, SetRoleDto, UsersPageDto } from './users.dto';

/** Users administration (admin); a user may read their own record. */
@ApiTags('users')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('users')
export class UsersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'Every user, newest first (admin)' })
  @ApiResponse({ status: 200, type: UsersPageDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto })
  list(@Caller() caller: GatewayCaller, @Query() query: ListUsersQuery): Promise<AuthUsersList.Response> {
    return this.rpc.send(RpcPatterns.AuthUsersList, { caller: rpcCaller(caller), ...query });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A user: yourself, or anyone for an admin' })
  @ApiResponse({ status: 200, type: UserDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  get(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<AuthUsersGet.Response> {
    return this.rpc.send(RpcPatterns.AuthUsersGet, { caller: rpcCaller(caller), userId: id });
  }

  @Patch(':id/role')
  @Roles('admin')
  @ApiOperation({ summary: "Change a user's role (admin; audited)" })
  @ApiResponse({ status: 200, type: UserDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  setRole(
    @Caller() caller: GatewayCaller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: SetRoleDto,
    @Origin() origin: RequestOrigin,
  ): Promise<AuthUsersSetRole.Response> {
    return this.rpc.send(RpcPatterns.AuthUsersSetRole, { caller: rpcCaller(caller), userId: id, role: body.role, origin });
  }
}
