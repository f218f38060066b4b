import { IsString, IsUUID, MaxLength } from 'class-validator';

/** The decrypted credentials of one key, for the trading-engine only. Never log the answer. */
export class AuthApiKeysDecryptForEngineRequest {
  /** INTERNAL_RPC_TOKEN: only the trading-engine holds it; the gateway never exposes this pattern. */
  @IsString() @MaxLength(256) internalToken: string;
  @IsUUID() userId: string;
  @IsUUID() keyId: string;
}
