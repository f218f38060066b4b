import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, ValidateIf } from 'class-validator';
import { BaseServiceEnv } from '@trading/service-runtime';
import { IsExchangeOverrides } from '../live/exchange-overrides';

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

  /**
   * A signal pending this long on a dead engine instance is taken over by a live one. At most 10 min: a signal
   * older than that is not worth acting on, and idle stream consumers are deleted only after 10 x this (or 1 h).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(600_000)
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

  /**
   * Live execution: the token of auth's internal patterns (auth.apiKeys.decryptForEngine). Unset = paper only:
   * every live signal is recorded `rejected` (live_key_unavailable) and nothing is sent to an exchange.
   */
  @IsOptional()
  @IsString()
  @MinLength(32)
  INTERNAL_RPC_TOKEN?: string;

  /** How long the engine waits for auth's decrypted exchange key. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  @Max(60_000)
  AUTH_RPC_TIMEOUT_MS = 2000;

  /** How long a decrypted key (inside its exchange client) is kept in memory; dropped at once on a key error. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  LIVE_KEY_CACHE_MS = 60_000;

  /** Per-request timeout of exchange calls (ccxt `timeout`). */
  @Type(() => Number)
  @IsInt()
  @Min(200)
  @Max(120_000)
  EXCHANGE_TIMEOUT_MS = 10_000;

  /** Lookups by client order id after a create whose outcome is unknown (timeout, dropped connection). */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(20)
  EXCHANGE_ORDER_LOOKUP_ATTEMPTS = 3;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(60_000)
  EXCHANGE_ORDER_LOOKUP_DELAY_MS = 500;

  /**
   * JSON `{ "<exchange>": { "urls": {...}, "options": {...}, "enableRateLimit": false } }` deep-merged into that
   * exchange's ccxt client (a testnet, a proxy, a loopback server). URLs win over the test network a testnet key
   * switches to; ccxt's rate limiter stays on unless `enableRateLimit` is false.
   */
  @IsOptional()
  @IsExchangeOverrides()
  EXCHANGE_OVERRIDES?: string;

  /** A live order still `pending` this long and unknown to the exchange was never placed: it is marked `failed`. */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  LIVE_PENDING_GRACE_MS = 60_000;

  /** Working live orders are looked up on the exchange at most this often (on market events for their symbol). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  LIVE_ORDER_SYNC_MS = 5000;

  /**
   * Open positions' display marks (current price, unrealized PnL) from market events are written at most this
   * often, coalesced into one statement; trailing high/low-water marks are written as soon as they move.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  POSITION_MARK_FLUSH_MS = 1000;

  /**
   * How often live accounts' balances are fetched from the exchange and compared with what the bots' ledger
   * holds (also once at start, after open orders are reconciled); 0 = never.
   */
  @Type(() => Number)
  @IsInt()
  @ValidateIf((_, v) => v !== 0)
  @Min(1000)
  BALANCE_RECONCILE_INTERVAL_MS = 300_000;

  /** A shortfall of an asset up to this many lot steps of the bots' pair is rounding or dust, not a drift. */
  @IsString()
  @Matches(DECIMAL)
  BALANCE_DRIFT_TOLERANCE_STEPS = '1';

  /**
   * A manual market order of a paper bot fills at the cached ticker: refused (409 NO_FRESH_PRICE) unless that
   * price reached market-data within this many milliseconds (a stopped replay or feed leaves no current price).
   */
  @Type(() => Number)
  @IsInt()
  @Min(1000)
  @Max(3_600_000)
  PAPER_MANUAL_PRICE_MAX_AGE_MS = 60_000;
}
