import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcPatterns, StrategySignalsList } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { ListSignalsQuery, SignalPageDto } from './strategy.dto';

@ApiTags('signals')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('signals')
export class SignalsController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Signals of your bots (admin: all), newest first; `botId` for one bot' })
  @ApiResponse({ status: 200, type: SignalPageDto })
  @ApiResponse({ status: 404, type: ErrorBodyDto, description: 'botId is not one of your bots' })
  list(@Caller() caller: GatewayCaller, @Query() query: ListSignalsQuery): Promise<StrategySignalsList.Response> {
    return this.rpc.send(RpcPatterns.StrategySignalsList, { caller: rpcCaller(caller), ...query });
  }
}
