import fc from 'fast-check';
import type { TargetPosition } from '@trading/strategies';
import { runBacktest } from './backtest.engine';
import { DAY, ScriptedStrategy, T0 } from './__fixtures__/scripted-strategy';
import type { BacktestCandle } from './backtest.types';

const priceArb = fc.integer({ min: 5_000, max: 20_000 }).map((cents) => cents / 100);
const candleArb = fc.tuple(priceArb, priceArb, priceArb, priceArb);
const targetArb = fc.constantFrom<TargetPosition>('long', 'short', 'flat');

function toCandles(rows: [number, number, number, number][]): BacktestCandle[] {
  return rows.map(([a, b, c, d], i) => {
    const high = Math.max(a, b, c, d);
    const low = Math.min(a, b, c, d);
    return { time: T0 + i * DAY, open: a, high, low, close: d, volume: 100 };
  });
}

describe('backtest accounting invariants (property-based)', () => {
  it('final cash = initial cash + closed-trade pnl (+ open position cash flow), exactly; commissions add up', () => {
    fc.assert(
      fc.property(
        fc.array(candleArb, { minLength: 2, maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(39), targetArb), { maxLength: 15 }),
        fc.constantFrom('0', '0.001', '0.0075'),
        fc.constantFrom(undefined, 3),
        fc.constantFrom<'next_open' | 'close'>('next_open', 'close'),
        (rows, signals, commission, stopLossPct, fill) => {
          const candles = toCandles(rows);
          const script = Object.fromEntries(signals.map(([i, t]) => [i, t]));
          const run = runBacktest(candles, new ScriptedStrategy(script), { cash: 1000, commission, stopLossPct, fill, slippageBps: 2 });
          let expected = run.initialCash;
          let fees = run.initialCash.mul(0);
          for (const t of run.trades) {
            expected = expected.plus(t.pnl);
            fees = fees.plus(t.commission);
            expect(t.qty.gt(0)).toBe(true);
            expect(t.exitIndex).toBeGreaterThanOrEqual(t.entryIndex);
          }
          const open = run.openPosition;
          if (open) {
            const notional = open.entryPrice.times(open.qty);
            expected = open.side === 'long' ? expected.minus(notional) : expected.plus(notional);
            expected = expected.minus(open.entryCommission);
            fees = fees.plus(open.entryCommission);
          }
          expect(run.finalCash.toString()).toBe(expected.toString());
          expect(run.commissions.toString()).toBe(fees.toString());
          const last = candles[candles.length - 1].close;
          const mark = run.finalCash.toNumber() + (open ? (open.side === 'long' ? 1 : -1) * open.qty.toNumber() * last : 0);
          expect(run.equity[run.equity.length - 1]).toBeCloseTo(mark, 6);
        },
      ),
      { numRuns: 300, seed: 20240101 },
    );
  });
});
