import Decimal from 'decimal.js';
import {
  FillDecimal,
  applySlippage,
  computeFee,
  fillProtectiveExit,
  floorToStep,
  trailingStopLevel,
  type FeeSchedule,
  type FillCandle,
  type FillSide,
  type ModelFill,
} from '@trading/exchange';
import type { Strategy, TargetPosition } from '@trading/strategies';
import type {
  BacktestCandle,
  BacktestConfig,
  BacktestRun,
  ClosedTrade,
  ExitReason,
  OpenPosition,
  PositionSide,
  SizingRule,
} from './backtest.types';

const TARGETS: ReadonlySet<string> = new Set(['long', 'short', 'flat']);
const NO_TARGET = 0;
const LONG = 1;
const SHORT = -1;
const FLAT = 2;

interface ResolvedConfig {
  readonly cash: Decimal;
  readonly fees: FeeSchedule;
  readonly takerRate: Decimal;
  readonly fixedFee: Decimal;
  readonly slippageBps: Decimal;
  readonly fillAtClose: boolean;
  readonly sizing: SizingRule;
  readonly lot: Decimal;
  readonly stopLoss: Decimal | null;
  readonly takeProfit: Decimal | null;
  readonly trailing: Decimal | null;
  readonly daysPerYear: number;
  readonly trailingF: number;
}

interface Position {
  readonly side: PositionSide;
  readonly dir: 1 | -1;
  readonly qty: Decimal;
  readonly entryPrice: Decimal;
  readonly entryFee: Decimal;
  readonly entryTime: number;
  readonly entryIndex: number;
  readonly stopLevel: Decimal | null;
  readonly takeProfitLevel: Decimal | null;
}

/**
 * Runs a strategy over closed candles, oldest first. Per candle: a pending order from the
 * previous decision fills at this open; protective stops are checked against this candle's
 * range; equity is marked at the close; then the strategy sees the (closed) candle and may
 * ask for a new position. Accounting is exact (decimal.js); the per-candle path touches only
 * numbers and allocates nothing unless a trade happens.
 */
export function runBacktest(candles: readonly BacktestCandle[], strategy: Strategy, config: BacktestConfig = {}): BacktestRun {
  const cfg = resolveConfig(config);
  const start = config.warmupCandles ?? 0;
  if (!Number.isInteger(start) || start < 0) throw new Error(`backtest: warmupCandles must be a non-negative integer, got ${start}`);
  if (candles.length <= start) throw new Error(`backtest: no candles to trade (${candles.length} candles, ${start} for warm-up)`);
  const n = candles.length;
  const times = new Float64Array(n - start);
  const equity = new Float64Array(n - start);
  const trades: ClosedTrade[] = [];

  let cash = cfg.cash;
  let commissions: Decimal = new FillDecimal(0);
  let skippedOrders = 0;
  let position = null as Position | null;
  let cashF = cash.toNumber();
  let qtyF = 0; // signed
  // Float shadows of the protective levels: a cheap pre-check before the exact fill model runs.
  let stopF = NaN;
  let takeProfitF = NaN;
  let trailExtremeF = NaN;
  let trailExtreme = null as Decimal | null;
  let pending = NO_TARGET;
  let candlesInMarket = 0;
  let previousTime = -Infinity;

  const syncFloats = (): void => {
    cashF = cash.toNumber();
    if (!position) {
      qtyF = 0;
      stopF = takeProfitF = trailExtremeF = NaN;
      trailExtreme = null;
      return;
    }
    qtyF = position.dir * position.qty.toNumber();
    stopF = position.stopLevel ? position.stopLevel.toNumber() : NaN;
    takeProfitF = position.takeProfitLevel ? position.takeProfitLevel.toNumber() : NaN;
    trailExtreme = cfg.trailing ? position.entryPrice : null;
    trailExtremeF = trailExtreme ? trailExtreme.toNumber() : NaN;
  };

  const closePosition = (fill: ModelFill, index: number, reason: ExitReason): void => {
    const p = position;
    if (!p) throw new Error('backtest: no position to close');
    const gross = fill.price.minus(p.entryPrice).times(p.qty).times(p.dir);
    const pnl = gross.minus(p.entryFee).minus(fill.fee);
    cash = p.dir === 1 ? cash.plus(fill.notional).minus(fill.fee) : cash.minus(fill.notional).minus(fill.fee);
    commissions = commissions.plus(fill.fee);
    trades.push({
      side: p.side,
      qty: p.qty,
      entryTime: p.entryTime,
      entryIndex: p.entryIndex,
      entryPrice: p.entryPrice,
      exitTime: candles[index].time,
      exitIndex: index,
      exitPrice: fill.price,
      pnl,
      returnPct: pnl.div(p.entryPrice.times(p.qty)).times(100),
      commission: p.entryFee.plus(fill.fee),
      exitReason: reason,
    });
    position = null;
  };

  const marketFill = (side: FillSide, qty: Decimal, price: Decimal): ModelFill => {
    const notional = price.times(qty);
    return { side, price, qty, notional, fee: computeFee(notional, 'taker', cfg.fees), liquidity: 'taker' };
  };

  /** Moves from the current position to `target` at `reference` (before slippage). */
  const transition = (target: number, reference: Decimal, index: number): void => {
    const current = position ? position.dir : FLAT;
    if (current === target) return;
    if (position) {
      const exitSide: FillSide = position.dir === 1 ? 'sell' : 'buy';
      const price = applySlippage(reference, exitSide, cfg.slippageBps);
      closePosition(marketFill(exitSide, position.qty, price), index, target === FLAT ? 'signal' : 'reversal');
    }
    if (target !== FLAT) {
      const side: FillSide = target === LONG ? 'buy' : 'sell';
      const price = applySlippage(reference, side, cfg.slippageBps);
      const qty = sizePosition(cfg, cash, price);
      if (qty === null) {
        skippedOrders++;
      } else {
        const fill = marketFill(side, qty, price);
        cash = target === LONG ? cash.minus(fill.notional).minus(fill.fee) : cash.plus(fill.notional).minus(fill.fee);
        commissions = commissions.plus(fill.fee);
        position = openPosition(cfg, target === LONG ? 'long' : 'short', fill, candles[index].time, index);
      }
    }
    syncFloats();
  };

  for (let i = 0; i < start; i++) {
    const c = candles[i];
    if (!(c.time > previousTime)) throw unordered(i, c.time);
    previousTime = c.time;
    const signal = strategy.onCandle(c);
    if (signal !== null) pending = checkedTarget(signal.target);
  }

  for (let i = start; i < n; i++) {
    const c = candles[i];
    if (!(c.time > previousTime)) throw unordered(i, c.time);
    previousTime = c.time;
    times[i - start] = c.time;

    if (pending !== NO_TARGET) {
      transition(pending, exactPrice(c, 'open'), i);
      pending = NO_TARGET;
    }

    if (position !== null) {
      if (mayExit(position.dir, c, stopF, takeProfitF, trailExtremeF, cfg)) checkProtectiveExit(i);
      if (position !== null && trailExtreme !== null) {
        const dir = (position as Position).dir;
        if (dir === 1 ? c.high > trailExtremeF : c.low < trailExtremeF) {
          trailExtreme = exactPrice(c, dir === 1 ? 'high' : 'low');
          trailExtremeF = dir === 1 ? c.high : c.low;
        }
      }
    }

    const signal = strategy.onCandle(c);
    if (signal !== null) {
      const code = checkedTarget(signal.target);
      if (cfg.fillAtClose) transition(code, exactPrice(c, 'close'), i);
      else pending = code;
    }

    equity[i - start] = cashF + qtyF * c.close;
    if (qtyF !== 0) candlesInMarket++;
  }

  function checkProtectiveExit(i: number): void {
    const p = position;
    if (!p) return;
    const trailLevel = cfg.trailing && trailExtreme ? trailingStopLevel(p.side, trailExtreme, cfg.trailing) : null;
    let stop = p.stopLevel;
    let trailingWins = false;
    if (trailLevel && (!stop || (p.dir === 1 ? trailLevel.gt(stop) : trailLevel.lt(stop)))) {
      stop = trailLevel;
      trailingWins = true;
    }
    const exit = fillProtectiveExit({
      positionSide: p.side,
      qty: p.qty,
      candle: fillCandle(candles[i]),
      stop: stop ?? undefined,
      takeProfit: p.takeProfitLevel ?? undefined,
      slippage: { bps: cfg.slippageBps },
      fees: cfg.fees,
    });
    if (!exit) return;
    closePosition(exit.fill, i, exit.reason === 'take-profit' ? 'take-profit' : trailingWins ? 'trailing-stop' : 'stop-loss');
    syncFloats();
  }

  let openPos: OpenPosition | null = null;
  if (position !== null) {
    const p = position as Position;
    const last = candles[n - 1].close;
    openPos = {
      side: p.side,
      qty: p.qty,
      entryTime: p.entryTime,
      entryIndex: p.entryIndex,
      entryPrice: p.entryPrice,
      entryCommission: p.entryFee,
      unrealizedPnl: (last - p.entryPrice.toNumber()) * p.qty.toNumber() * p.dir - p.entryFee.toNumber(),
    };
  }

  return {
    initialCash: cfg.cash,
    finalCash: cash,
    trades,
    openPosition: openPos,
    times,
    equity,
    firstClose: candles[start].close,
    lastClose: candles[n - 1].close,
    candlesInMarket,
    commissions,
    skippedOrders,
    unfilledAtEnd: pending !== NO_TARGET,
    daysPerYear: cfg.daysPerYear,
  };
}

function checkedTarget(target: TargetPosition): number {
  if (!TARGETS.has(target)) throw new Error(`backtest: strategy returned an unknown target "${String(target)}"`);
  return target === 'long' ? LONG : target === 'short' ? SHORT : FLAT;
}

function unordered(i: number, time: number): Error {
  return new Error(`backtest: candle ${i} (time ${time}) is not after the previous one; candles must be strictly ascending`);
}

/** Float pre-check with a tolerance; the exact fill model makes the real decision. */
function mayExit(dir: number, c: BacktestCandle, stopF: number, takeProfitF: number, trailExtremeF: number, cfg: ResolvedConfig): boolean {
  const eps = 1e-9;
  if (dir === 1) {
    if (c.low <= stopF * (1 + eps)) return true;
    if (c.high >= takeProfitF * (1 - eps)) return true;
    return cfg.trailing !== null && c.low <= trailExtremeF * (1 - cfg.trailingF) * (1 + eps);
  }
  if (c.high >= stopF * (1 - eps)) return true;
  if (c.low <= takeProfitF * (1 + eps)) return true;
  return cfg.trailing !== null && c.high >= trailExtremeF * (1 + cfg.trailingF) * (1 - eps);
}

function exactPrice(c: BacktestCandle, field: 'open' | 'high' | 'low' | 'close'): Decimal {
  return new FillDecimal(c.exact ? c.exact[field] : c[field]);
}

function fillCandle(c: BacktestCandle): FillCandle {
  return c.exact ?? { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume };
}

/**
 * Largest multiple of the lot whose notional at `price` plus the entry commission fits in the
 * allotted equity; null when not even one lot fits.
 */
function sizePosition(cfg: ResolvedConfig, equity: Decimal, price: Decimal): Decimal | null {
  const allotted = allottedEquity(cfg, equity);
  if (allotted.lte(cfg.fixedFee)) return null;
  const unitCost = price.times(cfg.takerRate.plus(1));
  let qty = floorToStep(allotted.minus(cfg.fixedFee).div(unitCost), cfg.lot);
  while (qty.gt(0) && qty.times(price).times(cfg.takerRate.plus(1)).plus(cfg.fixedFee).gt(allotted)) qty = qty.minus(cfg.lot);
  return qty.gt(0) ? qty : null;
}

function allottedEquity(cfg: ResolvedConfig, equity: Decimal): Decimal {
  const s = cfg.sizing;
  if (s.mode === 'fraction') return equity.times(s.fraction);
  if (s.mode === 'fixed') return FillDecimal.min(new FillDecimal(s.amount), equity);
  if (!cfg.stopLoss) throw new Error('backtest: risk-per-trade sizing needs a stop-loss');
  return FillDecimal.min(equity.times(s.riskFraction).div(cfg.stopLoss), equity);
}

function openPosition(cfg: ResolvedConfig, side: PositionSide, fill: ModelFill, time: number, index: number): Position {
  const dir = side === 'long' ? 1 : -1;
  const one = new FillDecimal(1);
  return {
    side,
    dir,
    qty: fill.qty,
    entryPrice: fill.price,
    entryFee: fill.fee,
    entryTime: time,
    entryIndex: index,
    stopLevel: cfg.stopLoss ? fill.price.times(dir === 1 ? one.minus(cfg.stopLoss) : one.plus(cfg.stopLoss)) : null,
    takeProfitLevel: cfg.takeProfit ? fill.price.times(dir === 1 ? one.plus(cfg.takeProfit) : one.minus(cfg.takeProfit)) : null,
  };
}

function resolveConfig(config: BacktestConfig): ResolvedConfig {
  const dec = (v: Decimal.Value | undefined, fallback: Decimal.Value, name: string): Decimal => {
    const d = new FillDecimal(v ?? fallback);
    if (!d.isFinite() || d.isNegative()) throw new Error(`backtest: ${name} must be a non-negative number, got ${String(v)}`);
    return d;
  };
  const pct = (v: number | undefined, name: string): Decimal | null => {
    if (v === undefined) return null;
    if (!(v > 0 && v < 100)) throw new Error(`backtest: ${name} must be a percentage between 0 and 100, got ${v}`);
    return new FillDecimal(v).div(100);
  };
  const commission = config.commission ?? 0;
  const maker = dec(config.makerCommission, commission, 'maker commission');
  const taker = dec(config.takerCommission, commission, 'taker commission');
  const fixedFee = dec(config.fixedFee, 0, 'fixed fee');
  const cash = dec(config.cash, 10_000, 'cash');
  if (cash.isZero()) throw new Error('backtest: cash must be positive');
  const lot = dec(config.lot, '1e-8', 'lot');
  if (lot.isZero()) throw new Error('backtest: lot must be positive');
  const sizing = config.sizing ?? { mode: 'fraction', fraction: 1 };
  const stopLoss = pct(config.stopLossPct, 'stop-loss');
  if (sizing.mode === 'fraction') {
    const f = new FillDecimal(sizing.fraction);
    if (!(f.gt(0) && f.lte(1))) throw new Error(`backtest: size fraction must be in (0, 1], got ${String(sizing.fraction)}`);
  } else if (sizing.mode === 'fixed') {
    if (!new FillDecimal(sizing.amount).gt(0)) throw new Error('backtest: fixed size amount must be positive');
  } else {
    if (!stopLoss) throw new Error('backtest: risk-per-trade sizing needs a stop-loss (stopLossPct)');
    const r = new FillDecimal(sizing.riskFraction);
    if (!(r.gt(0) && r.lte(1))) throw new Error('backtest: risk fraction must be in (0, 1]');
  }
  const trailing = pct(config.trailingStopPct, 'trailing stop');
  const fill = config.fill ?? 'next_open';
  if (fill !== 'next_open' && fill !== 'close') throw new Error(`backtest: fill must be next_open or close, got ${String(fill)}`);
  return {
    cash,
    fees: { maker, taker, fixed: fixedFee },
    takerRate: taker,
    fixedFee,
    slippageBps: dec(config.slippageBps, 0, 'slippage bps'),
    fillAtClose: fill === 'close',
    sizing,
    lot,
    stopLoss,
    takeProfit: pct(config.takeProfitPct, 'take-profit'),
    trailing,
    trailingF: trailing ? trailing.toNumber() : 0,
    daysPerYear: config.daysPerYear ?? 365,
  };
}
