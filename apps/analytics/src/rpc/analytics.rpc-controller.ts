import { Controller, UseFilters, UsePipes } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { AnalyticsAuditList, AnalyticsDailyList, AnalyticsEquityCurveGet, AnalyticsPerformanceGet, AnalyticsPortfolioGet, RpcPatterns } from '@trading/contracts';
import { RpcExceptionFilter, RpcHandler, createRpcValidationPipe } from '@trading/streams';
import { AnalyticsQueries } from './analytics-queries.service';

/** Filter and pipe on the controller: global ones of a hybrid app's microservice do not reach its handlers. */
@Controller()
@UseFilters(new RpcExceptionFilter())
@UsePipes(createRpcValidationPipe())
export class AnalyticsRpcController {
  constructor(private readonly queries: AnalyticsQueries) {}

  @RpcHandler(RpcPatterns.AnalyticsPerformanceGet)
  performance(@Payload() request: AnalyticsPerformanceGet.Request): Promise<AnalyticsPerformanceGet.Response> {
    return this.queries.performance(request);
  }

  @RpcHandler(RpcPatterns.AnalyticsEquityCurveGet)
  equityCurve(@Payload() request: AnalyticsEquityCurveGet.Request): Promise<AnalyticsEquityCurveGet.Response> {
    return this.queries.equityCurve(request);
  }

  @RpcHandler(RpcPatterns.AnalyticsPortfolioGet)
  portfolio(@Payload() request: AnalyticsPortfolioGet.Request): Promise<AnalyticsPortfolioGet.Response> {
    return this.queries.portfolio(request);
  }

  @RpcHandler(RpcPatterns.AnalyticsDailyList)
  daily(@Payload() request: AnalyticsDailyList.Request): Promise<AnalyticsDailyList.Response> {
    return this.queries.daily(request);
  }

  @RpcHandler(RpcPatterns.AnalyticsAuditList)
  audit(@Payload() request: AnalyticsAuditList.Request): Promise<AnalyticsAuditList.Response> {
    return this.queries.audit(request);
  }
}
