import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPatterns, StrategyCatalogList } from '@trading/contracts';
import { RpcHandler } from '@trading/streams';
import { StrategyCatalogService } from '../catalog/strategy-catalog.service';
import { RpcBoundary } from './rpc-boundary';

@Controller()
@RpcBoundary()
export class CatalogRpcController {
  constructor(private readonly catalog: StrategyCatalogService) {}

  @RpcHandler(RpcPatterns.StrategyCatalogList)
  async list(@Payload() request: StrategyCatalogList.Request): Promise<StrategyCatalogList.Response> {
    return { items: await this.catalog.list(request.caller.userId) };
  }
}
