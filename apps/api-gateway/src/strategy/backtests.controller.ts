import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcPatterns, StrategyBacktestsGet, StrategyBacktestsList, StrategyBacktestsRun } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { BacktestDto, BacktestPageDto, PageQuery, RunBacktestDto } from './strategy.dto';

/** Backtests on request: queued, run by a strategy-service worker, results stored. */
@ApiTags('backtests')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('backtests')
export class BacktestsController {
  constructor(private readonly rpc: RpcClient) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a backtest of a bot or a catalog strategy; poll GET /backtests/{id}' })
  @ApiResponse({ status: 202, type: BacktestDto })
  @ApiResponse({ status: 400, type: ErrorBodyDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'Unknown bot, strategy or dataset' })
  run(@Caller() caller: GatewayCaller, @Body() body: RunBacktestDto): Promise<StrategyBacktestsRun.Response> {
    return this.rpc.send(RpcPatterns.StrategyBacktestsRun, { caller: rpcCaller(caller), ...body });
  }

  @Get()
  @ApiOperation({ summary: 'Your backtests, newest first (without the heavy results)' })
  @ApiResponse({ status: 200, type: BacktestPageDto })
  list(@Caller() caller: GatewayCaller, @Query() query: PageQuery): Promise<StrategyBacktestsList.Response> {
    return this.rpc.send(RpcPatterns.StrategyBacktestsList, { caller: rpcCaller(caller), ...query });
  }

  @Get(':id')
  @ApiOperation({ summary: 'A backtest with its progress, and once completed its statistics, equity curve, trades and period results' })
  @ApiResponse({ status: 200, type: BacktestDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto })
  get(@Caller() caller: GatewayCaller, @Param('id', new ParseUUIDPipe()) id: string): Promise<StrategyBacktestsGet.Response> {
    return this.rpc.send(RpcPatterns.StrategyBacktestsGet, { caller: rpcCaller(caller), backtestId: id });
  }
}
