import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

/** Environment of the analytics service (see README.md, Configuration). */
export class AnalyticsEnv extends BaseServiceEnv {
  /** Capital a bot's equity curve and returns start from (events carry P&L, not capital). */
  @IsString()
  @Matches(/^\d{1,20}(\.\d{1,8})?$/, { message: 'must be a positive decimal' })
  ANALYTICS_DEFAULT_STARTING_EQUITY = '10000';

  /** Materialized views are refreshed (CONCURRENTLY) this long after the last change, at most once per period. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(600_000)
  ANALYTICS_VIEW_REFRESH_DEBOUNCE_MS = 2000;

  /** Period of the system_metrics points (events/s, lag, handler p99) sent to InfluxDB. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  ANALYTICS_SYSTEM_METRICS_INTERVAL_MS = 10_000;

  /** InfluxDB 2.x base URL; unset: no metrics are written (logged once). */
  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  INFLUX_URL?: string;

  @IsString()
  INFLUX_TOKEN = '';

  @IsString()
  INFLUX_ORG = 'trading';

  @IsString()
  INFLUX_BUCKET = 'trading';

  /** How long points wait to be batched before they are sent. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  INFLUX_FLUSH_INTERVAL_MS = 5000;
}
