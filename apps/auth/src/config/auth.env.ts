import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, MinLength, Min } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';
import {
  DEV_INTERNAL_RPC_TOKEN,
  DEV_JWT_SECRET,
  DEV_MASTER_KEY,
  IsBase64Key32,
  IsPreviousMasterKeys,
  MASTER_KEY_ID_PATTERN,
  NotDevDefaultInProduction,
} from './secret-env.validators';

/** Environment of the auth service (see README.md, Configuration). */
export class AuthEnv extends BaseServiceEnv {
  /** HS256 key of access tokens; the gateway verifies with the same value. */
  @IsString() @MinLength(32) @NotDevDefaultInProduction()
  JWT_SECRET = DEV_JWT_SECRET;

  @Type(() => Number) @IsInt() @Min(30) @Max(3600)
  JWT_ACCESS_TTL_SECONDS = 900;

  @Type(() => Number) @IsInt() @Min(60) @Max(90 * 86_400)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 86_400;

  /** Failed logins in a row that lock the account. */
  @Type(() => Number) @IsInt() @Min(1) @Max(100)
  LOGIN_MAX_FAILED_ATTEMPTS = 5;

  @Type(() => Number) @IsInt() @Min(1) @Max(86_400)
  LOGIN_LOCKOUT_SECONDS = 900;

  @Type(() => Number) @IsInt() @Min(60) @Max(86_400)
  PASSWORD_RESET_TTL_SECONDS = 1800;

  /** AES-256-GCM key of stored exchange keys and TOTP secrets: base64 of 32 bytes. */
  @IsBase64Key32() @NotDevDefaultInProduction()
  MASTER_KEY = DEV_MASTER_KEY;

  /** Name of MASTER_KEY, stored next to every ciphertext so keys can be rotated. */
  @Matches(MASTER_KEY_ID_PATTERN)
  MASTER_KEY_ID = 'dev';

  /** Retired master keys still needed to decrypt: `id:base64,id:base64`. */
  @IsPreviousMasterKeys()
  MASTER_KEYS_PREVIOUS = '';

  /** Shared by the services allowed to call internal patterns (trading-engine, tradectl); never the gateway. */
  @IsString() @MinLength(32) @NotDevDefaultInProduction()
  INTERNAL_RPC_TOKEN = DEV_INTERNAL_RPC_TOKEN;
}
