import { Type } from 'class-transformer';
import { IsUUID, ValidateNested } from 'class-validator';
import { RpcCaller } from '../rpc-caller/rpc-caller';

/** Deletes a limit by id (the caller's own user or bot limit; a global one: admin only). */
export class RiskLimitsDeleteRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @IsUUID() limitId: string;
}
