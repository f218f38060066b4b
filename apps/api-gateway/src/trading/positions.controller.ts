import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcPatterns, TradingBalancesList, TradingPositionsClose, TradingPositionsCloseAll, TradingPositionsList, TradingTradesList } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { BalanceListDto, CloseAllPositionsDto, ListBalancesQuery, ListPositionsQuery, OrderDto, OrderListDto, PositionPageDto, TradePageDto, TradingPageQuery } from './trading.dto';

const CLOSE_RULES =
  'A market order, without a risk check (a close only reduces exposure), in any bot state. On paper it fills now at the price market-data received within ' +
  "PAPER_MANUAL_PRICE_MAX_AGE_MS (default 60 s), or is refused now and nothing is recorded; live, it is sent to the exchange. A position with an exit already working is skipped.";
const CLOSE_CONFLICTS = "NO_FRESH_PRICE (paper: the replay or feed stopped), PRICE_BEHIND_ACCOUNT (paper: the feed's price is older than the account's last one)";

/** Positions of the caller's bots (admin: all); closing sends a market order (source manual). */
@ApiTags('positions')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('positions')
export class PositionsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Positions, newest first; `botId` for one bot, `status` open or closed' })
  @ApiResponse({ status: 200, type: PositionPageDto })
  list(@Caller() caller: GatewayCaller, @Query() query: ListPositionsQuery): Promise<TradingPositionsList.Response> {
    return this.rpc.send(RpcPatterns.TradingPositionsList, { caller: rpcCaller(caller), ...query });
  }

  @Post('close-all')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close every open position of a bot; answers the closing orders', description: CLOSE_RULES })
  @ApiResponse({ status: 200, type: OrderListDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: CLOSE_CONFLICTS })
  closeAll(@Caller() caller: GatewayCaller, @Body() body: CloseAllPositionsDto): Promise<TradingPositionsCloseAll.Response> {
    return this.rpc.send(RpcPatterns.TradingPositionsCloseAll, { caller: rpcCaller(caller), botId: body.botId });
  }

  @Post(':id/close')
  @HttpCode(200)
  @ApiOperation({ summary: 'Close one open position; answers the closing order', description: CLOSE_RULES })
  @ApiResponse({ status: 200, type: OrderDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: `POSITION_NOT_OPEN (the position is not open); ${CLOSE_CONFLICTS}` })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'LIVE_CLOSE_FAILED: the exchange did not take the closing order; try again' })
  close(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<TradingPositionsClose.Response> {
    return this.rpc.send(RpcPatterns.TradingPositionsClose, { caller: rpcCaller(caller), positionId: id });
  }
}

@ApiTags('trades')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('trades')
export class TradesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Fills of your bots (admin: all), newest first; `botId` for one bot' })
  @ApiResponse({ status: 200, type: TradePageDto })
  list(@Caller() caller: GatewayCaller, @Query() query: TradingPageQuery): Promise<TradingTradesList.Response> {
    return this.rpc.send(RpcPatterns.TradingTradesList, { caller: rpcCaller(caller), ...query });
  }
}

@ApiTags('balances')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('balances')
export class BalancesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: "Current balances of your bots' accounts (admin: all)" })
  @ApiResponse({ status: 200, type: BalanceListDto })
  list(@Caller() caller: GatewayCaller, @Query() query: ListBalancesQuery): Promise<TradingBalancesList.Response> {
    return this.rpc.send(RpcPatterns.TradingBalancesList, { caller: rpcCaller(caller), ...query });
  }
}
