import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RequestOrigin, RpcPatterns, TradingBalancesList, TradingPositionsAdjust, TradingPositionsClose, TradingPositionsCloseAll, TradingPositionsList, TradingTradesList } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller, Origin, Roles } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { AdjustPositionDto, BalanceListDto, CloseAllPositionsDto, ListBalancesQuery, ListPositionsQuery, OrderDto, OrderListDto, PositionAdjustmentDto, PositionPageDto, TradePageDto, TradingPageQuery } from './trading.dto';

const CLOSE_RULES =
  'A market order, without a risk check (a close only reduces exposure), in any bot state. On paper it fills now at the price market-data received within ' +
  "PAPER_MANUAL_PRICE_MAX_AGE_MS (default 60 s), or is refused now and nothing is recorded; live, it is sent to the exchange. A position with an exit already working is skipped.";
const ADJUST_RULES =
  "Sets a live bot's open position to what the exchange account really holds, after coins left it without the engine seeing a fill (sold or " +
  'withdrawn by hand, a missed fill; reported as a balance drift). The removed quantity leaves at the average entry price: realized PnL and ' +
  "the bot's cash do not move, the cost basis shrinks by the removed share. Reduce only; 0 closes the position. The quantity must be a multiple " +
  "of the pair's lot step (never rounded). Position, balance, history, PositionChanged and the audit record `trading.position_adjusted` are one " +
  'transaction; the next balance check reports the drift resolved. A retry with the same `requestId` books nothing and answers the same adjustment.';
const ADJUST_CONFLICTS =
  "POSITION_NOT_OPEN, POSITION_NOT_LIVE (a paper bot's ledger is its exchange), BOT_HAS_WORKING_ORDERS (cancel them first), " +
  'ADJUSTMENT_NOT_REDUCING (not below the current size), REQUEST_ID_REUSED / REQUEST_ID_TAKEN, BOT_BUSY, LIVE_KEY_MISSING / LIVE_KEY_UNAVAILABLE';
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

  @Post(':id/adjust')
  @Roles('admin', 'trader')
  @HttpCode(200)
  @ApiOperation({ summary: "Set a live position to what the exchange holds (reduce only, at cost); owner or admin, audited", description: ADJUST_RULES })
  @ApiResponse({ status: 200, type: PositionAdjustmentDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto, description: 'INVALID_QUANTITY (off the lot step, more than 8 decimals), a malformed body' })
  @ApiResponse({ status: 403, type: ErrorBodyDto, description: 'Viewer role' })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'POSITION_NOT_FOUND (also for another user\'s position)' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: ADJUST_CONFLICTS })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: "EXCHANGE_UNAVAILABLE: the pair's lot step could not be loaded; try again" })
  adjust(
    @Caller() caller: GatewayCaller,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: AdjustPositionDto,
    @Origin() origin: RequestOrigin,
  ): Promise<TradingPositionsAdjust.Response> {
    return this.rpc.send(RpcPatterns.TradingPositionsAdjust, { caller: rpcCaller(caller), positionId: id, ...body, origin });
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
