import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPatterns, StrategySignalsList } from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { SignalsService } from '../signals/signals.service';
import { RpcBoundary } from './rpc-boundary';

@Controller()
@RpcBoundary()
export class SignalsRpcController {
  constructor(private readonly signals: SignalsService) {}

  @RpcHandler(RpcPatterns.StrategySignalsList)
  list(@Payload() request: StrategySignalsList.Request): Promise<StrategySignalsList.Response> {
    return this.signals.list(request);
  }
}
