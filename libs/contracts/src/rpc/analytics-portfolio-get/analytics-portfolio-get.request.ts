import { Type } from 'class-transformer';
import { ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** The caller's latest portfolio snapshot and open positions. */
export class AnalyticsPortfolioGetRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
}
