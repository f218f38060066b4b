import type { Timeframe, TradingMode } from '../../common/trading-vocabulary';
import type { SignalTarget } from '../../signal-emitted/signal-emitted.payload';

/** A bot's lifecycle in the strategy service (`archived` is the soft delete). */
export const STRATEGY_BOT_STATUSES = ['stopped', 'running', 'paused', 'archived', 'error'] as const;
export type StrategyBotStatus = (typeof STRATEGY_BOT_STATUSES)[number];
export const MARKET_TYPES = ['spot', 'futures'] as const;
export type MarketType = (typeof MARKET_TYPES)[number];
export const SIZING_MODES = ['percent_equity', 'fixed_quote', 'risk_per_trade'] as const;
export type SizingMode = (typeof SIZING_MODES)[number];
export const BACKTEST_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type BacktestStatus = (typeof BACKTEST_STATUSES)[number];

/** One strategy of the catalog: a built-in (userId null) or a user's own, with its params schema for forms. */
export interface StrategyCatalogEntry {
  readonly id: string;
  readonly userId: string | null;
  readonly name: string;
  /** Implementation name in @trading/strategies (`sma_cross`, ...). */
  readonly strategyType: string;
  readonly description: string | null;
  /** Shipped with the platform (false for strategies loaded from STRATEGIES_DIR). */
  readonly builtin: boolean;
  /** Default parameters stored with the strategy. */
  readonly parameters: Record<string, unknown>;
  /** JSON Schema of the parameters (null when the implementation is not loaded in this service). */
  readonly paramsSchema: Record<string, unknown> | null;
  readonly isBacktested: boolean;
}

/**
 * A bot as the strategy service shows it. Money in decimal strings; percentages in percent
 * (2.5 = 2.5 %). Times ISO-8601 UTC.
 */
export interface StrategyBotView {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly description: string | null;
  readonly strategyId: string;
  readonly strategy: string;
  readonly strategyParams: Record<string, unknown>;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: Timeframe;
  readonly mode: TradingMode;
  readonly marketType: MarketType;
  readonly status: StrategyBotStatus;
  readonly initialCapital: string;
  readonly currentEquity: string | null;
  readonly leverage: number;
  readonly sizingMode: SizingMode;
  readonly positionSizePct: string | null;
  readonly positionSizeFixed: string | null;
  readonly riskPerTradePct: string | null;
  readonly stopLossPct: string | null;
  readonly takeProfitPct: string | null;
  readonly trailingStopPct: string | null;
  readonly trailingStopActive: boolean;
  readonly dailyTargetPct: string | null;
  readonly maxDailyLossPct: string | null;
  readonly maxWeeklyLossPct: string | null;
  readonly maxDrawdownPct: string | null;
  readonly maxDailyTrades: number | null;
  readonly maxPositions: number;
  readonly apiKeyId: string | null;
  readonly riskSettings: Record<string, unknown>;
  /** The position the strategy last asked for, and the last candle it decided on. */
  readonly target: SignalTarget;
  readonly lastCandleTime: string | null;
  readonly lastHeartbeat: string | null;
  readonly startedAt: string | null;
  readonly stoppedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One version of a bot's configuration: every change makes a new one. */
export interface BotConfigurationView {
  readonly version: number;
  readonly config: Record<string, unknown>;
  readonly changeReason: string | null;
  readonly effectiveFrom: string;
  readonly effectiveUntil: string | null;
  readonly createdBy: string;
}

export interface StrategySignalView {
  readonly id: string;
  readonly botId: string;
  readonly userId: string;
  readonly strategy: string;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly candleTime: string;
  readonly signalType: string;
  readonly target: SignalTarget;
  readonly price: string;
  readonly reason: string | null;
  readonly indicators: Record<string, number | null> | null;
  readonly passedFilters: Record<string, unknown> | null;
  readonly rejected: boolean;
  readonly rejectionReason: string | null;
  readonly executed: boolean;
  readonly outcome: string | null;
  readonly createdAt: string;
}

/** A backtest job; the heavy results (equity, trades, periods) only in `backtests.get`. */
export interface BacktestView {
  readonly id: string;
  readonly userId: string;
  readonly botId: string | null;
  readonly strategyId: string | null;
  readonly strategy: string;
  readonly params: Record<string, unknown>;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly startTime: string;
  readonly endTime: string;
  readonly status: BacktestStatus;
  /** Percent done, 0 to 100, as a decimal string. */
  readonly progress: string;
  readonly initialCapital: string;
  readonly finalCapital: string | null;
  readonly totalReturn: string | null;
  readonly totalTrades: number | null;
  readonly winRate: string | null;
  readonly maxDrawdown: string | null;
  readonly sharpeRatio: string | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly stats?: Record<string, unknown> | null;
  readonly equityCurve?: Record<string, unknown>[] | null;
  readonly trades?: Record<string, unknown>[] | null;
  readonly dailyResults?: Record<string, unknown>[] | null;
  readonly monthlyResults?: Record<string, unknown>[] | null;
}

export interface CursorPage<T> {
  readonly items: T[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  readonly next: string | null;
}
