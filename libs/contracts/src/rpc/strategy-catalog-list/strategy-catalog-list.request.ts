import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** The strategies the caller may use: built-ins and their own. */
export class StrategyCatalogListRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
}
