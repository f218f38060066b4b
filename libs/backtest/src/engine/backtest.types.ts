import type Decimal from 'decimal.js';
import type { Candle } from '@trading/strategies';

/** A strategy candle, optionally with the exact decimal text of its prices (as read from a file). */
export interface BacktestCandle extends Candle {
  readonly exact?: {
    readonly open: string;
    readonly high: string;
    readonly low: string;
    readonly close: string;
    readonly volume: string;
  };
}

export type FillTiming = 'next_open' | 'close';
export type PositionSide = 'long' | 'short';

export type SizingRule =
  /** Fraction of equity per position (1 = all in). */
  | { readonly mode: 'fraction'; readonly fraction: Decimal.Value }
  /** A fixed quote amount per position (at most the equity). */
  | { readonly mode: 'fixed'; readonly amount: Decimal.Value }
  /** Risk this fraction of equity between entry and the stop-loss (needs `stopLossPct`). */
  | { readonly mode: 'risk'; readonly riskFraction: Decimal.Value };

export interface BacktestConfig {
  /** Starting cash in quote currency; default 10000. */
  readonly cash?: Decimal.Value;
  /** Commission as a fraction of notional for both maker and taker fills (0.001 = 0.1 %). */
  readonly commission?: Decimal.Value;
  readonly makerCommission?: Decimal.Value;
  readonly takerCommission?: Decimal.Value;
  /** Fixed fee in quote per fill. */
  readonly fixedFee?: Decimal.Value;
  readonly slippageBps?: Decimal.Value;
  /** `next_open` (default): a decision on a closed candle fills at the next candle's open. */
  readonly fill?: FillTiming;
  readonly sizing?: SizingRule;
  /** Quantity step; default 1e-8. */
  readonly lot?: Decimal.Value;
  /** Protective exits, in percent of the entry price (2 = 2 %). */
  readonly stopLossPct?: number;
  readonly takeProfitPct?: number;
  readonly trailingStopPct?: number;
  /**
   * The first this-many candles only warm the strategy up: no trading, no equity. A position
   * wanted at the end of the warm-up is entered at the open of the first traded candle.
   */
  readonly warmupCandles?: number;
  /** Days per year used to annualize daily statistics; default 365 (crypto trades every day). */
  readonly daysPerYear?: number;
}

export type ExitReason = 'signal' | 'reversal' | 'stop-loss' | 'trailing-stop' | 'take-profit';

export interface ClosedTrade {
  readonly side: PositionSide;
  readonly qty: Decimal;
  readonly entryTime: number;
  readonly entryIndex: number;
  readonly entryPrice: Decimal;
  readonly exitTime: number;
  readonly exitIndex: number;
  readonly exitPrice: Decimal;
  /** Net of both commissions. */
  readonly pnl: Decimal;
  /** pnl / entry notional * 100. */
  readonly returnPct: Decimal;
  /** Entry plus exit commission (fixed fees included). */
  readonly commission: Decimal;
  readonly exitReason: ExitReason;
}

export interface OpenPosition {
  readonly side: PositionSide;
  readonly qty: Decimal;
  readonly entryTime: number;
  readonly entryIndex: number;
  readonly entryPrice: Decimal;
  readonly entryCommission: Decimal;
  /** Marked to the last close, net of the entry commission (no exit commission assumed). */
  readonly unrealizedPnl: number;
}

/** The raw outcome of a run; `computeStatistics` and `toBacktestJson` derive the rest. */
export interface BacktestRun {
  readonly initialCash: Decimal;
  readonly finalCash: Decimal;
  readonly trades: readonly ClosedTrade[];
  readonly openPosition: OpenPosition | null;
  /** Candle open times (epoch ms) and equity marked at each candle's close. */
  readonly times: Float64Array;
  readonly equity: Float64Array;
  readonly firstClose: number;
  readonly lastClose: number;
  /** Candles that ended with an open position. */
  readonly candlesInMarket: number;
  /** Every commission paid, open position's entry included. */
  readonly commissions: Decimal;
  /** Orders not placed because less than one lot fitted. */
  readonly skippedOrders: number;
  /** A next-open order decided on the last candle (no candle left to fill it). */
  readonly unfilledAtEnd: boolean;
  readonly daysPerYear: number;
}
