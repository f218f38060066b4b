import { Body, Controller, Delete, Get, Param, ParseUUIDPipe, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RiskLimitsDelete, RiskLimitsList, RiskLimitsSet, RiskTradingStateGet, RiskTradingStateSet, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { DeletedDto, RiskLimitDto, RiskLimitListDto, RiskScopeQuery, SetRiskLimitDto, SetTradingStateDto, TradingStateDto } from './risk.dto';

/** Risk limits and trading states of your user and your bots; the global scope is read by all, changed by admins. */
@ApiTags('risk')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('risk')
export class RiskController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('limits')
  @ApiOperation({ summary: 'The limits of one scope' })
  @ApiResponse({ status: 200, type: RiskLimitListDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'Not your user or bot' })
  list(@Caller() caller: GatewayCaller, @Query() query: RiskScopeQuery): Promise<RiskLimitsList.Response> {
    return this.rpc.send(RpcPatterns.RiskLimitsList, { caller: rpcCaller(caller), scope: query.scope, scopeId: query.scopeId ?? null });
  }

  @Put('limits')
  @ApiOperation({ summary: 'Create or replace the limit of one type on a scope (global: admin only)' })
  @ApiResponse({ status: 200, type: RiskLimitDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'Global scope, not an admin' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'Not your user or bot' })
  set(@Caller() caller: GatewayCaller, @Body() body: SetRiskLimitDto): Promise<RiskLimitsSet.Response> {
    return this.rpc.send(RpcPatterns.RiskLimitsSet, { caller: rpcCaller(caller), ...body, scopeId: body.scopeId ?? null });
  }

  @Delete('limits/:id')
  @ApiOperation({ summary: 'Delete a limit' })
  @ApiResponse({ status: 200, type: DeletedDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  remove(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<RiskLimitsDelete.Response> {
    return this.rpc.send(RpcPatterns.RiskLimitsDelete, { caller: rpcCaller(caller), limitId: id });
  }

  @Get('state')
  @ApiOperation({ summary: 'The trading state of one scope (ACTIVE, REDUCING or HALTED)' })
  @ApiResponse({ status: 200, type: TradingStateDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'Not your user or bot' })
  state(@Caller() caller: GatewayCaller, @Query() query: RiskScopeQuery): Promise<RiskTradingStateGet.Response> {
    return this.rpc.send(RpcPatterns.RiskTradingStateGet, { caller: rpcCaller(caller), scope: query.scope, scopeId: query.scopeId ?? null });
  }

  @Put('state')
  @ApiOperation({ summary: 'Set a trading state; HALTED on the global scope is the kill switch (admin only)' })
  @ApiResponse({ status: 200, type: TradingStateDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'Global scope, not an admin' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'Not your user or bot' })
  setState(@Caller() caller: GatewayCaller, @Body() body: SetTradingStateDto): Promise<RiskTradingStateSet.Response> {
    return this.rpc.send(RpcPatterns.RiskTradingStateSet, { caller: rpcCaller(caller), scope: body.scope, scopeId: body.scopeId ?? null, state: body.state, reason: body.reason ?? null });
  }
}
