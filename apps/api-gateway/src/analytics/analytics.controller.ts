import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { AnalyticsAuditList, AnalyticsDailyList, AnalyticsEquityCurveGet, AnalyticsPerformanceGet, AnalyticsPortfolioGet, RpcPatterns } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller, Roles } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { AuditLogPageDto, AuditQuery, DailySummaryListDto, DayRangeQuery, EquityCurveDto, PerformanceQuery, PerformanceReportDto, PortfolioDto, TimeRangeQuery } from './analytics.dto';

/** Performance, equity curves and the portfolio of your bots (admin: everyone's); the audit log for admins. */
@ApiTags('analytics')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('analytics')
export class AnalyticsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get('performance')
  @ApiOperation({ summary: 'Performance overall and per day: one bot (botId), or your whole account' })
  @ApiResponse({ status: 200, type: PerformanceReportDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'botId is not one of your bots' })
  performance(@Caller() caller: GatewayCaller, @Query() query: PerformanceQuery): Promise<AnalyticsPerformanceGet.Response> {
    return this.rpc.send(RpcPatterns.AnalyticsPerformanceGet, { caller: rpcCaller(caller), botId: query.botId ?? null, ...(query.days !== undefined && { days: query.days }) });
  }

  @Get('portfolio')
  @ApiOperation({ summary: 'Your latest portfolio snapshot and open positions' })
  @ApiResponse({ status: 200, type: PortfolioDto })
  portfolio(@Caller() caller: GatewayCaller): Promise<AnalyticsPortfolioGet.Response> {
    return this.rpc.send(RpcPatterns.AnalyticsPortfolioGet, { caller: rpcCaller(caller) });
  }

  @Get('bots/:id/equity')
  @ApiOperation({ summary: "A bot's equity curve (capital + realized + unrealized P&L), oldest first" })
  @ApiResponse({ status: 200, type: EquityCurveDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  equity(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: TimeRangeQuery): Promise<AnalyticsEquityCurveGet.Response> {
    return this.rpc.send(RpcPatterns.AnalyticsEquityCurveGet, { caller: rpcCaller(caller), botId: id, ...query });
  }

  @Get('bots/:id/daily')
  @ApiOperation({ summary: "A bot's daily summaries (UTC days, newest first)" })
  @ApiResponse({ status: 200, type: DailySummaryListDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  daily(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string, @Query() query: DayRangeQuery): Promise<AnalyticsDailyList.Response> {
    return this.rpc.send(RpcPatterns.AnalyticsDailyList, { caller: rpcCaller(caller), botId: id, from: query.from, to: query.to });
  }

  @Get('audit')
  @Roles('admin')
  @ApiOperation({ summary: 'Admin: the audit log, newest first' })
  @ApiResponse({ status: 200, type: AuditLogPageDto })
  @ApiResponse({ status: 403, type: ErrorBodyDto })
  audit(@Caller() caller: GatewayCaller, @Query() query: AuditQuery): Promise<AnalyticsAuditList.Response> {
    return this.rpc.send(RpcPatterns.AnalyticsAuditList, { caller: rpcCaller(caller), limit: query.limit ?? 50, ...(query.userId && { userId: query.userId }), ...(query.cursor && { cursor: query.cursor }) });
  }
}
