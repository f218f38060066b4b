import { readCandleFile, datasetPath } from '@trading/datasets';
import { ExactCandle } from './exact-candle';
import { TimeframeAggregator } from './timeframe-aggregator';

const MIN = 60_000;
const t0 = Date.UTC(2021, 0, 3, 0, 0);
const candle = (minute: number, o: string, h: string, l: string, c: string, v: string): ExactCandle => ({ time: t0 + minute * MIN, open: o, high: h, low: l, close: c, volume: v });

describe('TimeframeAggregator', () => {
  it('closes a 5m candle on its fifth minute with exact OHLCV', () => {
    const agg = new TimeframeAggregator('1m', ['5m']);
    const minutes = [
      candle(0, '100.10', '101.00', '99.90', '100.50', '1.1'),
      candle(1, '100.50', '102.25', '100.00', '102.00', '2.2'),
      candle(2, '102.00', '102.10', '98.75', '99.00', '0.3'),
      candle(3, '99.00', '99.50', '98.80', '99.20', '0.4'),
    ];
    for (const m of minutes) expect(agg.push(m)).toEqual([]);
    const [closed] = agg.push(candle(4, '99.20', '100.00', '99.10', '99.95', '0.000000001'));
    expect(closed).toEqual({ timeframe: '5m', time: t0, open: '100.10', high: '102.25', low: '98.75', close: '99.95', volume: '4.000000001', baseCount: 5, complete: true });
  });

  it('closes an incomplete bucket when a later bucket starts after a gap', () => {
    const agg = new TimeframeAggregator('1m', ['5m']);
    agg.push(candle(0, '1', '2', '1', '2', '1'));
    agg.push(candle(1, '2', '3', '2', '3', '1'));
    const closed = agg.push(candle(7, '5', '6', '5', '6', '1'));
    expect(closed).toHaveLength(1);
    expect(closed[0]).toMatchObject({ time: t0, open: '1', close: '3', high: '3', baseCount: 2, complete: false });
  });

  it('ignores duplicates and out-of-order candles', () => {
    const agg = new TimeframeAggregator('1m', ['5m']);
    agg.push(candle(0, '1', '2', '1', '2', '1'));
    agg.push(candle(0, '9', '9', '9', '9', '9'));
    for (let m = 1; m < 4; m++) agg.push(candle(m, '2', '2', '2', '2', '1'));
    const [closed] = agg.push(candle(4, '2', '2', '2', '2', '1'));
    expect(closed).toMatchObject({ open: '1', high: '2', volume: '5', baseCount: 5 });
  });

  it('never opens a bucket in the past for a candle older than the newest it took', () => {
    const agg = new TimeframeAggregator('1m', ['5m']);
    for (let m = 0; m < 4; m++) agg.push(candle(m, '2', '2', '2', '2', '1'));
    expect(agg.push(candle(4, '2', '2', '2', '2', '1'))).toHaveLength(1); // the 5m bucket 0-4 closed exactly
    expect(agg.push(candle(2, '7', '9', '7', '9', '1'))).toEqual([]); // a late minute 2
    for (let m = 5; m < 9; m++) expect(agg.push(candle(m, '3', '3', '3', '3', '1'))).toEqual([]);
    // Minute 9 closes 5-9 only: no second candle for 0-4 made of the late minute.
    expect(agg.push(candle(9, '3', '3', '3', '3', '1'))).toEqual([expect.objectContaining({ time: t0 + 5 * MIN, open: '3', high: '3', baseCount: 5 })]);
    expect(agg.newest).toBe(t0 + 9 * MIN);
  });

  it('names the buckets of a base candle and tells which ones it is past', () => {
    const agg = new TimeframeAggregator('1m', ['5m', '1h']);
    const buckets = agg.bucketsOf(t0 + 7 * MIN);
    expect(buckets).toEqual([
      { timeframe: '5m', start: t0 + 5 * MIN, end: t0 + 10 * MIN },
      { timeframe: '1h', start: t0, end: t0 + 60 * MIN },
    ]);
    agg.push(candle(8, '1', '1', '1', '1', '1'));
    expect(buckets.map((b) => agg.hasPassed(b))).toEqual([false, false]);
    agg.push(candle(9, '1', '1', '1', '1', '1')); // the last minute of 5-9
    expect(buckets.map((b) => agg.hasPassed(b))).toEqual([true, false]);
  });

  it('builds exactly one day of every timeframe from the shipped BTC/USDT 1m day', () => {
    const { candles } = readCandleFile(datasetPath('BTCUSDT_1m_2021-01-03'), { timeframe: '1m' });
    const agg = new TimeframeAggregator('1m');
    const counts: Record<string, number> = {};
    let dayClose: string | undefined;
    for (const c of candles) {
      for (const out of agg.push({ time: c.time, ...c.exact })) {
        counts[out.timeframe] = (counts[out.timeframe] ?? 0) + 1;
        expect(out.complete).toBe(true);
        if (out.timeframe === '1d') dayClose = out.close;
      }
    }
    expect(counts).toEqual({ '5m': 288, '15m': 96, '1h': 24, '4h': 6, '1d': 1 });
    expect(dayClose).toBe(candles[candles.length - 1].exact.close);
  });
});
