import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RiskLimitsDelete,
  RiskLimitsList,
  RiskLimitsSet,
  RiskPreTradeCheck,
  RiskTradingStateGet,
  RiskTradingStateSet,
  RpcPatterns,
} from '@trading/contracts';
import { RpcExceptionFilter, RpcHandler, createRpcValidationPipe } from '@trading/streams';
import { performance } from 'node:perf_hooks';
import { RiskBookHolder } from '../book/risk-book.provider';
import { preTradeCheck } from '../check/pre-trade-check';
import { RiskSettingsService } from './risk-settings.service';

/** Filter and pipe on the controller: global ones of a hybrid app's microservice do not reach its handlers. */
@Controller()
@UseFilters(new RpcExceptionFilter())
@UsePipes(createRpcValidationPipe())
export class RiskRpcController {
  constructor(
    private readonly holder: RiskBookHolder,
    private readonly settings: RiskSettingsService,
  ) {}

  /** In memory only: no database round trip on the order path. */
  @RpcHandler(RpcPatterns.RiskPreTradeCheck)
  check(@Payload() request: RiskPreTradeCheck.Request): RiskPreTradeCheck.Response {
    const started = performance.now();
    const answer = preTradeCheck(this.holder.book, request, this.holder.marks, new Date());
    this.holder.latency.record(performance.now() - started);
    return answer;
  }

  @RpcHandler(RpcPatterns.RiskLimitsList)
  listLimits(@Payload() request: RiskLimitsList.Request): Promise<RiskLimitsList.Response> {
    return this.settings.listLimits(request);
  }

  @RpcHandler(RpcPatterns.RiskLimitsSet)
  setLimit(@Payload() request: RiskLimitsSet.Request): Promise<RiskLimitsSet.Response> {
    return this.settings.setLimit(request);
  }

  @RpcHandler(RpcPatterns.RiskLimitsDelete)
  deleteLimit(@Payload() request: RiskLimitsDelete.Request): Promise<RiskLimitsDelete.Response> {
    return this.settings.deleteLimit(request);
  }

  @RpcHandler(RpcPatterns.RiskTradingStateGet)
  getState(@Payload() request: RiskTradingStateGet.Request): Promise<RiskTradingStateGet.Response> {
    return this.settings.getState(request);
  }

  @RpcHandler(RpcPatterns.RiskTradingStateSet)
  setState(@Payload() request: RiskTradingStateSet.Request): Promise<RiskTradingStateSet.Response> {
    return this.settings.setState(request);
  }
}
