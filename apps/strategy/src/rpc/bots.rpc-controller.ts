import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  RpcPatterns,
  StrategyBotsArchive,
  StrategyBotsConfigurations,
  StrategyBotsCreate,
  StrategyBotsGet,
  StrategyBotsList,
  StrategyBotsPause,
  StrategyBotsStart,
  StrategyBotsStop,
  StrategyBotsUpdate,
} from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { BotsService } from '../bots/bots.service';
import { RpcBoundary } from './rpc-boundary';

@Controller()
@RpcBoundary()
export class BotsRpcController {
  constructor(private readonly bots: BotsService) {}

  @RpcHandler(RpcPatterns.StrategyBotsCreate)
  create(@Payload() request: StrategyBotsCreate.Request): Promise<StrategyBotsCreate.Response> {
    return this.bots.create(request);
  }

  @RpcHandler(RpcPatterns.StrategyBotsUpdate)
  update(@Payload() request: StrategyBotsUpdate.Request): Promise<StrategyBotsUpdate.Response> {
    return this.bots.update(request);
  }

  @RpcHandler(RpcPatterns.StrategyBotsGet)
  get(@Payload() request: StrategyBotsGet.Request): Promise<StrategyBotsGet.Response> {
    return this.bots.get(request.botId, request.caller);
  }

  @RpcHandler(RpcPatterns.StrategyBotsList)
  list(@Payload() request: StrategyBotsList.Request): Promise<StrategyBotsList.Response> {
    return this.bots.list(request);
  }

  @RpcHandler(RpcPatterns.StrategyBotsConfigurations)
  configurations(@Payload() request: StrategyBotsConfigurations.Request): Promise<StrategyBotsConfigurations.Response> {
    return this.bots.configurationHistory(request.botId, request.caller);
  }

  @RpcHandler(RpcPatterns.StrategyBotsStart)
  start(@Payload() request: StrategyBotsStart.Request): Promise<StrategyBotsStart.Response> {
    return this.bots.changeStatus('start', request.botId, request.caller);
  }

  @RpcHandler(RpcPatterns.StrategyBotsStop)
  stop(@Payload() request: StrategyBotsStop.Request): Promise<StrategyBotsStop.Response> {
    return this.bots.changeStatus('stop', request.botId, request.caller);
  }

  @RpcHandler(RpcPatterns.StrategyBotsPause)
  pause(@Payload() request: StrategyBotsPause.Request): Promise<StrategyBotsPause.Response> {
    return this.bots.changeStatus('pause', request.botId, request.caller);
  }

  @RpcHandler(RpcPatterns.StrategyBotsArchive)
  archive(@Payload() request: StrategyBotsArchive.Request): Promise<StrategyBotsArchive.Response> {
    return this.bots.changeStatus('archive', request.botId, request.caller);
  }
}
