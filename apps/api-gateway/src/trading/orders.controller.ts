import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcPatterns, TradingOrdersCancel, TradingOrdersGet, TradingOrdersList, TradingOrdersPlace } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { OrderDto, OrderPageDto, PlaceOrderDto, TradingPageQuery } from './trading.dto';

/** Orders of the caller's bots (admin: all), served by the trading engine. Another user's order answers 404. */
@ApiTags('orders')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('orders')
export class OrdersController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Orders, newest first; `botId` for one bot' })
  @ApiResponse({ status: 200, type: OrderPageDto })
  list(@Caller() caller: GatewayCaller, @Query() query: TradingPageQuery): Promise<TradingOrdersList.Response> {
    return this.rpc.send(RpcPatterns.TradingOrdersList, { caller: rpcCaller(caller), ...query });
  }

  @Post()
  @ApiOperation({
    summary: "A manual order on a bot's account (risk-checked; a denial answers the rejected order)",
    description:
      'The bot must be running or paused. What is asked is what is traded: a quantity off the pair\'s lot step or a price off its tick is refused, never rounded. ' +
      'A market order fills now or is refused now: on paper at the price market-data received within PAPER_MANUAL_PRICE_MAX_AGE_MS (default 60 s), live at the exchange\'s own ticker. ' +
      'A paper limit order rests unless a usable price crosses it. A refusal (4xx) records nothing.',
  })
  @ApiResponse({ status: 201, type: OrderDto, description: 'placed (filled, working) or rejected by risk or the exchange' })
  @ApiResponse({
    status: 400,
    type: ErrorBodyDto,
    description: "INVALID_QUANTITY (off the lot step, above the pair's maximum), INVALID_PRICE (off the tick), BELOW_MIN_SIZE (below the pair's minimum amount or notional), PRICE_REQUIRED, INVALID_ORDER (no such market)",
  })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'not one of your bots' })
  @ApiResponse({
    status: 409,
    type: ErrorBodyDto,
    description:
      'BOT_NOT_RUNNING (stopped or in error: start or pause it); SELL_EXCEEDS_POSITION (a spot bot sells at most its position less working sells); ' +
      "INSUFFICIENT_FUNDS (a buy at its worst price, fee included, above the bot's free quote); NO_FRESH_PRICE (paper market order, the replay or feed stopped); " +
      "PRICE_BEHIND_ACCOUNT (paper market order, the feed's price is older than the account's last one: a replay restarted on an older day); LIVE_KEY_MISSING, LIVE_KEY_UNAVAILABLE, LIVE_EXECUTION_UNAVAILABLE (live futures)",
  })
  @ApiResponse({ status: 503, type: ErrorBodyDto, description: 'EXCHANGE_UNAVAILABLE (live: the exchange did not answer)' })
  place(@Caller() caller: GatewayCaller, @Body() body: PlaceOrderDto): Promise<TradingOrdersPlace.Response> {
    return this.rpc.send(RpcPatterns.TradingOrdersPlace, { caller: rpcCaller(caller), ...body });
  }

  @Get(':id')
  @ApiOperation({ summary: 'One order' })
  @ApiResponse({ status: 200, type: OrderDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  get(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<TradingOrdersGet.Response> {
    return this.rpc.send(RpcPatterns.TradingOrdersGet, { caller: rpcCaller(caller), orderId: id });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a working order' })
  @ApiResponse({ status: 200, type: OrderDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'the order is no longer working' })
  cancel(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<TradingOrdersCancel.Response> {
    return this.rpc.send(RpcPatterns.TradingOrdersCancel, { caller: rpcCaller(caller), orderId: id });
  }
}
