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
  @ApiOperation({ summary: "A manual order on a bot's account (risk-checked; a denial answers the rejected order)" })
  @ApiResponse({ status: 201, type: OrderDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'not one of your bots' })
  @ApiResponse({ status: 409, type: ErrorBodyDto, description: 'NO_FRESH_PRICE: a paper market order while no price arrived recently (the replay or feed stopped)' })
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
