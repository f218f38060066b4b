import Decimal from 'decimal.js';
import { dec } from '../accounting/exact-decimal';

export interface StopState {
  readonly side: 'long' | 'short';
  readonly stopLoss: string | null;
  readonly takeProfit: string | null;
  /** Fraction, e.g. "0.02". */
  readonly trailingStopPct: string | null;
  readonly highestPrice: string | null;
  readonly lowestPrice: string | null;
}

/** What the market did since the last check: one price (ticker) or a candle's range. */
export interface PriceMove {
  readonly high: string;
  readonly low: string;
  readonly last: string;
}

export type StopTrigger = 'stop_loss' | 'take_profit' | 'trailing_stop';

export interface StopCheck {
  readonly highestPrice: string | null;
  readonly lowestPrice: string | null;
  readonly trigger: StopTrigger | null;
  /** The level that was crossed. */
  readonly level: string | null;
}

const max = (a: string | null, b: string): string => (a === null || dec(b).gt(a) ? b : a);
const min = (a: string | null, b: string): string => (a === null || dec(b).lt(a) ? b : a);

/**
 * Moves the trailing high/low-water marks with the market and tells which exit a move crosses. The stop loss
 * wins when one candle crosses both (the worse case, as a backtester assumes). The trailing stop trails the
 * high-water mark (long) or low-water mark (short) by its percentage, checked against the mark before this move.
 */
export function checkStops(state: StopState, move: PriceMove): StopCheck {
  const long = state.side === 'long';
  const trailingBase = long ? state.highestPrice : state.lowestPrice;
  const trail = state.trailingStopPct ? dec(state.trailingStopPct) : null;
  const trailingLevel = trail && trailingBase ? (long ? dec(trailingBase).times(dec(1).minus(trail)) : dec(trailingBase).times(dec(1).plus(trail))) : null;
  const highestPrice = long ? max(state.highestPrice, move.high) : state.highestPrice;
  const lowestPrice = long ? state.lowestPrice : min(state.lowestPrice, move.low);
  const adverse = dec(long ? move.low : move.high);
  const favourable = dec(long ? move.high : move.low);
  const crossedAgainst = (level: Decimal) => (long ? adverse.lte(level) : adverse.gte(level));
  const crossedFor = (level: Decimal) => (long ? favourable.gte(level) : favourable.lte(level));
  let trigger: StopTrigger | null = null;
  let level: Decimal | null = null;
  if (state.stopLoss && crossedAgainst(dec(state.stopLoss))) [trigger, level] = ['stop_loss', dec(state.stopLoss)];
  else if (trailingLevel && crossedAgainst(trailingLevel)) [trigger, level] = ['trailing_stop', trailingLevel];
  else if (state.takeProfit && crossedFor(dec(state.takeProfit))) [trigger, level] = ['take_profit', dec(state.takeProfit)];
  return { highestPrice, lowestPrice, trigger, level: level ? level.toFixed() : null };
}
