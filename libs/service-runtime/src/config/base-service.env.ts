import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { IsConnectionUrl } from './is-connection-url.validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Environment every service reads. A service extends it with its own variables.
 * Defaults suit a developer machine with PostgreSQL and Redis on their default ports.
 */
export class BaseServiceEnv {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @IsConnectionUrl(['postgres:', 'postgresql:'])
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/trading';

  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @IsConnectionUrl(['redis:', 'rediss:'])
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key and stream this deployment uses (lets several deployments or test runs share one Redis). */
  @IsString()
  @Matches(/^[\w:.-]*$/, { message: 'may contain only letters, digits, _ : . -' })
  REDIS_NAMESPACE = '';

  @IsString()
  HOST = '0.0.0.0';

  /** Left undefined here: each service sets its own default port. */
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT?: number;

  /** Consumer name in stream groups; defaults to host + pid. */
  @IsOptional()
  @IsString()
  @Matches(/^[\w.:-]{1,100}$/)
  INSTANCE_ID?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(600_000)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /**
   * Idempotency keys (`<schema>.processed_events`) are deleted this long after their event was handled; see
   * ProcessedEventsPruner for why a week is far beyond any redelivery. At least a day, so a mistyped value cannot
   * make redeliveries run twice.
   */
  @Type(() => Number)
  @IsInt()
  @Min(24)
  @Max(8760)
  PROCESSED_EVENTS_RETAIN_HOURS = 168;

  /** How often expired idempotency keys are deleted (in batches, by every instance of a consuming service). */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(86_400_000)
  PROCESSED_EVENTS_PRUNE_INTERVAL_MS = 3_600_000;
}
