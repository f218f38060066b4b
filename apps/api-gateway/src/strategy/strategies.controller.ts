import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcPatterns, StrategyCatalogList } from '@trading/contracts';
import { RpcClient } from '@trading/streams';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Caller } from '../security/access.decorators';
import { GatewayCaller, rpcCaller } from '../security/gateway-caller';
import { StrategyCatalogDto } from './strategy.dto';

/** The strategy catalog: built-ins, operator-loaded files and the caller's own, each with its params JSON Schema. */
@ApiTags('strategies')
@ApiBearerAuth()
@ApiResponse({ status: 401, type: ErrorBodyDto })
@Controller('strategies')
export class StrategiesController {
  constructor(private readonly rpc: RpcClient) {}

  @Get()
  @ApiOperation({ summary: 'Strategies you can use, with their parameter schemas' })
  @ApiResponse({ status: 200, type: StrategyCatalogDto })
  list(@Caller() caller: GatewayCaller): Promise<StrategyCatalogList.Response> {
    return this.rpc.send(RpcPatterns.StrategyCatalogList, { caller: rpcCaller(caller) });
  }
}
