import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPatterns, StrategyBacktestsGet, StrategyBacktestsList, StrategyBacktestsRun } from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { BacktestsService } from '../backtests/backtests.service';
import { RpcBoundary } from './rpc-boundary';

@Controller()
@RpcBoundary()
export class BacktestsRpcController {
  constructor(private readonly backtests: BacktestsService) {}

  @RpcHandler(RpcPatterns.StrategyBacktestsRun)
  run(@Payload() request: StrategyBacktestsRun.Request): Promise<StrategyBacktestsRun.Response> {
    return this.backtests.run(request);
  }

  @RpcHandler(RpcPatterns.StrategyBacktestsList)
  list(@Payload() request: StrategyBacktestsList.Request): Promise<StrategyBacktestsList.Response> {
    return this.backtests.list(request);
  }

  @RpcHandler(RpcPatterns.StrategyBacktestsGet)
  get(@Payload() request: StrategyBacktestsGet.Request): Promise<StrategyBacktestsGet.Response> {
    return this.backtests.get(request.backtestId, request.caller);
  }
}
