import { datasetPath } from '@trading/datasets';
import { FeedBatch } from './market-feed';
import { ReplayFeed } from './replay.feed';

describe('ReplayFeed', () => {
  it('hands over every shipped candle in order, in batches, with a ticker at each batch close', async () => {
    const feed = new ReplayFeed({ file: datasetPath('BTCUSDT_1m_2021-01-03'), exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', speed: 'max', batchSize: 500 });
    const batches: FeedBatch[] = [];
    await feed.run(async (b) => void batches.push(b), new AbortController().signal);
    expect(batches.map((b) => b.candles.length)).toEqual([500, 500, 440]);
    // The first batch starts the market's clock over (its ticker rewinds the cache), the others follow it.
    expect(batches.map((b) => b.rewind)).toEqual([true, false, false]);
    const times = batches.flatMap((b) => b.candles.map((c) => c.time));
    expect(times).toHaveLength(1440);
    expect(times.every((t, i) => i === 0 || t === times[i - 1] + 60_000)).toBe(true);
    expect(batches[0].candles[0]).toMatchObject({ time: Date.UTC(2021, 0, 3), open: '32176.45000000', exchange: 'binance', symbol: 'BTC/USDT' });
    expect(batches[2].tickers[0]).toMatchObject({ last: batches[2].candles[439].close, time: Date.UTC(2021, 0, 4) });
  });

  it('stops when aborted', async () => {
    const feed = new ReplayFeed({ file: datasetPath('BTCUSDT_1m_2021-01-03'), exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', speed: 'max', batchSize: 10 });
    const controller = new AbortController();
    let seen = 0;
    await feed.run(async (b) => {
      seen += b.candles.length;
      if (seen >= 30) controller.abort();
    }, controller.signal);
    expect(seen).toBe(30);
  });
});
