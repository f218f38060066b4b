import { Type } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, Length, Matches, ValidateNested } from 'class-validator';
import { RpcCaller, RequestOrigin } from '../rpc-caller/rpc-caller';
import { EXCHANGE_ID } from '../../common/trading-vocabulary';

/** Stores an exchange key for the caller, encrypted (AES-256-GCM under the master key). */
export class AuthApiKeysCreateRequest {
  @ValidateNested() @Type(() => RpcCaller) caller: RpcCaller;
  @Matches(EXCHANGE_ID) exchange: string;
  @IsString() @Length(1, 100) @Matches(/^[^\p{Cc}\p{Cf}]+$/u) label: string;
  @IsString() @Length(8, 512) apiKey: string;
  @IsString() @Length(8, 512) secret: string;
  @IsOptional() @IsString() @Length(1, 512) passphrase?: string;
  @IsBoolean() testnet: boolean;
  @ValidateNested() @Type(() => RequestOrigin) origin: RequestOrigin;
}
