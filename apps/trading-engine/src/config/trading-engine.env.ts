import { Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';

const DECIMAL = /^\d+(\.\d+)?$/;

/** Environment of the trading-engine service (see README.md, Configuration). */
export class TradingEngineEnv extends BaseServiceEnv {
  /** How long the engine waits for risk's pre-trade answer; no answer in time = no order (risk_unavailable). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  RISK_CHECK_TIMEOUT_MS = 500;

  /** How long the engine waits for the strategy service's bot settings (strategy.bots.get). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  BOT_SETTINGS_TIMEOUT_MS = 2000;

  /** How long fetched bot settings are reused. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  BOT_SETTINGS_CACHE_MS = 30_000;

  /** Expiry of the per-bot order lock `lock:order:{botId}` (renewed every third of it while held). */
  @Type(() => Number)
  @IsInt()
  @Min(500)
  ORDER_LOCK_TTL_MS = 10_000;

  /** Signals (of different bots) handled at once per instance; one bot's signals are always sequential. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(512)
  SIGNAL_CONCURRENCY = 16;

  /** A signal pending this long on a dead engine instance is taken over by a live one. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  STREAMS_CLAIM_IDLE_MS = 30_000;

  /** Paper exchange: pair rules and fees used for every paper symbol (fractions: 0.001 = 0.1 %). */
  @IsString()
  @Matches(DECIMAL)
  PAPER_TAKER_FEE = '0.001';

  @IsString()
  @Matches(DECIMAL)
  PAPER_MAKER_FEE = '0.001';

  @IsString()
  @Matches(DECIMAL)
  PAPER_AMOUNT_STEP = '0.00001';

  @IsString()
  @Matches(DECIMAL)
  PAPER_PRICE_TICK = '0.01';

  @IsString()
  @Matches(DECIMAL)
  PAPER_MIN_NOTIONAL = '5';

  /** Paper fill model slippage in basis points (market orders). */
  @IsString()
  @Matches(DECIMAL)
  PAPER_SLIPPAGE_BPS = '0';
}
