import type Decimal from 'decimal.js';
import { FillDecimal, positive } from './fill-decimal';
import type { DecimalInput } from './fill-decimal';
import type { FeeSchedule, FillCandle, FillSide, ModelFill, SlippageSettings } from './fill-model.types';
import { fillLimitOrder } from './limit-fill';
import { fillMarketAtPrice } from './market-fill';

export interface StopOrderInput {
  readonly side: FillSide;
  readonly qty: DecimalInput;
  readonly stop: DecimalInput;
  readonly candle: FillCandle;
  readonly slippage?: SlippageSettings;
  readonly fees: FeeSchedule;
}

/**
 * Price at which a stop triggers inside a candle, or null. A sell stop triggers when
 * `low <= stop`, a buy stop when `high >= stop`; a candle that opens through the stop
 * triggers at the open (the gap is the trader's loss), otherwise at the stop.
 */
export function stopTriggerPrice(side: FillSide, stop: DecimalInput, candle: FillCandle): Decimal | null {
  const level = positive(stop, 'stop price');
  const open = positive(candle.open, 'open');
  if (side === 'sell') {
    if (positive(candle.low, 'low').gt(level)) return null;
    return FillDecimal.min(open, level);
  }
  if (positive(candle.high, 'high').lt(level)) return null;
  return FillDecimal.max(open, level);
}

/** A stop-market order: once triggered it fills as a taker at the trigger price moved by slippage. */
export function fillStopOrder(input: StopOrderInput): ModelFill | null {
  const trigger = stopTriggerPrice(input.side, input.stop, input.candle);
  if (!trigger) return null;
  return fillMarketAtPrice({ ...input, referencePrice: trigger, candleVolume: input.candle.volume });
}

/**
 * Trailing stop level from the best price seen since entry: a long's sell stop trails
 * `extreme * (1 - trail)` below the highest high, a short's buy stop `extreme * (1 + trail)`
 * above the lowest low. `trail` is a fraction (0.05 = 5 %).
 */
export function trailingStopLevel(positionSide: 'long' | 'short', extreme: DecimalInput, trail: DecimalInput): Decimal {
  const best = positive(extreme, 'extreme price');
  const t = new FillDecimal(trail);
  return positionSide === 'long' ? best.times(new FillDecimal(1).minus(t)) : best.times(t.plus(1));
}

export interface ProtectiveExitInput {
  readonly positionSide: 'long' | 'short';
  readonly qty: DecimalInput;
  readonly candle: FillCandle;
  /** Stop-loss (or the tighter of stop-loss and trailing stop) level. */
  readonly stop?: DecimalInput;
  readonly takeProfit?: DecimalInput;
  readonly slippage?: SlippageSettings;
  readonly fees: FeeSchedule;
}

export interface ProtectiveExit {
  readonly reason: 'stop' | 'take-profit';
  readonly fill: ModelFill;
}

/**
 * Stop and take-profit of one position against one candle. The open is known first: a gap
 * through either level exits there at the open. Otherwise, when the candle's range reaches both
 * levels, the order of high and low inside the candle is unknown and the stop (the worse
 * outcome) is assumed. The stop fills as a stop-market (taker, slippage); the take-profit as a
 * resting limit (maker, no slippage).
 */
export function fillProtectiveExit(input: ProtectiveExitInput): ProtectiveExit | null {
  const exitSide: FillSide = input.positionSide === 'long' ? 'sell' : 'buy';
  const open = positive(input.candle.open, 'open');
  const stop = input.stop === undefined ? null : positive(input.stop, 'stop price');
  const target = input.takeProfit === undefined ? null : positive(input.takeProfit, 'take-profit price');
  const long = input.positionSide === 'long';

  const stopped = stop ? fillStopOrder({ side: exitSide, qty: input.qty, stop, candle: input.candle, slippage: input.slippage, fees: input.fees }) : null;
  const reached = target ? fillLimitOrder({ side: exitSide, qty: input.qty, limit: target, candle: input.candle, fees: input.fees }) : null;

  if (stopped && stop && (long ? open.lte(stop) : open.gte(stop))) return { reason: 'stop', fill: stopped };
  if (reached && target && (long ? open.gte(target) : open.lte(target))) return { reason: 'take-profit', fill: reached };
  if (stopped) return { reason: 'stop', fill: stopped };
  return reached ? { reason: 'take-profit', fill: reached } : null;
}
