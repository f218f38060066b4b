import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RpcPatterns,
  TradingBalancesList,
  TradingOrdersCancel,
  TradingOrdersGet,
  TradingOrdersList,
  TradingOrdersPlace,
  TradingPositionsAdjust,
  TradingPositionsClose,
  TradingPositionsCloseAll,
  TradingPositionsList,
  TradingTradesList,
} from '@trading/contracts';
import { createRpcValidationPipe, RpcExceptionFilter, RpcHandler } from '@trading/streams';
import { PositionAdjustmentService } from '../positions/position-adjustment.service';
import { TradingApiService } from './trading-api.service';

/**
 * Request/response for the gateway: thin, one call each. The filter and pipe are set here because the global
 * ones runService gives its RPC server do not reach handlers of a hybrid app (seen: RpcDomainError answered 500).
 */
@UseFilters(new RpcExceptionFilter())
@UsePipes(createRpcValidationPipe())
@Controller()
export class TradingRpcController {
  constructor(
    private readonly api: TradingApiService,
    private readonly adjustments: PositionAdjustmentService,
  ) {}

  @RpcHandler(RpcPatterns.TradingOrdersList)
  listOrders(@Payload() r: TradingOrdersList.Request): Promise<TradingOrdersList.Response> {
    return this.api.listOrders(r);
  }

  @RpcHandler(RpcPatterns.TradingOrdersGet)
  getOrder(@Payload() r: TradingOrdersGet.Request): Promise<TradingOrdersGet.Response> {
    return this.api.getOrder(r.caller, r.orderId);
  }

  @RpcHandler(RpcPatterns.TradingOrdersPlace)
  placeOrder(@Payload() r: TradingOrdersPlace.Request): Promise<TradingOrdersPlace.Response> {
    return this.api.placeOrder(r);
  }

  @RpcHandler(RpcPatterns.TradingOrdersCancel)
  cancelOrder(@Payload() r: TradingOrdersCancel.Request): Promise<TradingOrdersCancel.Response> {
    return this.api.cancelOrder(r.caller, r.orderId);
  }

  @RpcHandler(RpcPatterns.TradingTradesList)
  listTrades(@Payload() r: TradingTradesList.Request): Promise<TradingTradesList.Response> {
    return this.api.listTrades(r);
  }

  @RpcHandler(RpcPatterns.TradingPositionsList)
  listPositions(@Payload() r: TradingPositionsList.Request): Promise<TradingPositionsList.Response> {
    return this.api.listPositions(r);
  }

  @RpcHandler(RpcPatterns.TradingPositionsClose)
  closePosition(@Payload() r: TradingPositionsClose.Request): Promise<TradingPositionsClose.Response> {
    return this.api.closePosition(r.caller, r.positionId);
  }

  @RpcHandler(RpcPatterns.TradingPositionsCloseAll)
  closeAll(@Payload() r: TradingPositionsCloseAll.Request): Promise<TradingPositionsCloseAll.Response> {
    return this.api.closeAll(r.caller, r.botId);
  }

  @RpcHandler(RpcPatterns.TradingPositionsAdjust)
  adjustPosition(@Payload() r: TradingPositionsAdjust.Request): Promise<TradingPositionsAdjust.Response> {
    return this.adjustments.adjust(r);
  }

  @RpcHandler(RpcPatterns.TradingBalancesList)
  listBalances(@Payload() r: TradingBalancesList.Request): Promise<TradingBalancesList.Response> {
    return this.api.listBalances(r);
  }
}
