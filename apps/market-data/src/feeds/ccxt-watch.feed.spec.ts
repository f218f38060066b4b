import { FeedBatch } from './market-feed';
import { CcxtWatchFeed, CcxtWatchFeedOptions, MarketWatcher } from './ccxt-watch.feed';
import type { RawTicker } from './feed-ticker';

const MIN = 60_000;
const c = (m: number, close: number) => [m * MIN, 100, 110, 90, close, 5];

/** A scripted websocket: each watchOHLCV call answers the next update (or fails), like ccxt Pro; at the end it aborts. */
function scriptedWatcher(updates: (number[][] | Error)[], controller: AbortController): MarketWatcher & { closed: boolean } {
  let i = 0;
  return {
    closed: false,
    async watchOHLCV() {
      if (i >= updates.length) {
        controller.abort();
        return [];
      }
      const next = updates[i++]!;
      if (next instanceof Error) throw next;
      return next;
    },
    async close() {
      this.closed = true;
    },
  };
}

/**
 * A websocket whose ticker the test pushes; candles never come. Pending calls fail on close(), as in
 * ccxt Pro. `cacheOnly` is a message ccxt read in the same burst as an earlier one: cached, answering no call.
 */
function pushedTickers(): MarketWatcher & { push(t: RawTicker): void; cacheOnly(t: RawTicker): void } {
  const queue: RawTicker[] = [];
  let cached: RawTicker | undefined;
  let waiting: { resolve: (t: RawTicker) => void; reject: (e: Error) => void } | undefined;
  const pending: Array<(e: Error) => void> = [];
  return {
    cacheOnly(t) {
      cached = t;
    },
    latestTicker: () => cached,
    push(t) {
      cached = t;
      if (waiting) {
        const w = waiting;
        waiting = undefined;
        w.resolve(t);
      } else queue.push(t);
    },
    watchOHLCV: () => new Promise((_resolve, reject) => pending.push(reject)),
    watchTicker: () => {
      const next = queue.shift();
      if (next) return Promise.resolve(next);
      return new Promise((resolve, reject) => (waiting = { resolve, reject }));
    },
    async close() {
      waiting?.reject(new Error('closed by user'));
      for (const reject of pending) reject(new Error('closed by user'));
    },
  };
}

const options: CcxtWatchFeedOptions = { exchangeId: 'binance', symbol: 'BTC/USDT', timeframe: '1m' };
const closes = (batches: FeedBatch[]) => batches.filter((b) => b.candles.length).map((b) => b.candles.map((x) => [x.time / MIN, x.close]));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

describe('CcxtWatchFeed candles', () => {
  it('hands over each candle once, when the next one has started, and reconnects after an error', async () => {
    const controller = new AbortController();
    const watcher = scriptedWatcher(
      [
        [c(0, 101)], // only the forming candle
        [c(0, 102)], // the forming candle updated
        [c(0, 103), c(1, 104)], // minute 0 closed
        new Error('socket closed'),
        [c(0, 103), c(1, 105), c(2, 106)], // after reconnect: minute 1 updated, then closed; minute 0 not again
      ],
      controller,
    );
    const errors: number[] = [];
    const feed = new CcxtWatchFeed(watcher, { ...options, onError: (_e, attempt) => errors.push(attempt) });
    const batches: FeedBatch[] = [];
    await feed.run(async (b) => void batches.push(b), controller.signal);
    expect(closes(batches)).toEqual([[[0, '103']], [[1, '105']]]);
    expect(errors).toEqual([1]);
    expect(watcher.closed).toBe(true);
  });

  it('closes candles from updates that each carry only the row that changed, as ccxt Pro hands them over', async () => {
    const controller = new AbortController();
    const watcher = scriptedWatcher([[c(0, 101)], [c(0, 102)], [c(1, 103)], [c(1, 104)], [c(2, 105)]], controller);
    const batches: FeedBatch[] = [];
    await new CcxtWatchFeed(watcher, options).run(async (b) => void batches.push(b), controller.signal);
    expect(closes(batches)).toEqual([[[0, '102']], [[1, '104']]]);
    expect(batches[0]!.candles[0]).toEqual({ exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', time: 0, open: '100', high: '110', low: '90', close: '102', volume: '5' });
  });

  it('leaves a candle whose last updates the lost connection may have missed to REST gap repair', async () => {
    const controller = new AbortController();
    // Minute 1 was forming when the socket broke; the first update on the new socket is minute 2.
    const watcher = scriptedWatcher([[c(0, 101)], [c(1, 102)], new Error('socket closed'), [c(2, 103)], [c(3, 104)]], controller);
    const batches: FeedBatch[] = [];
    await new CcxtWatchFeed(watcher, options).run(async (b) => void batches.push(b), controller.signal);
    expect(closes(batches)).toEqual([[[0, '101']], [[2, '103']]]);
  });

  it('hands candles over again after the sink failed, and refuses rows with missing fields', async () => {
    const controller = new AbortController();
    const broken = [2 * MIN, 100, Number.NaN, 90, 101, 5];
    const watcher = scriptedWatcher([[c(0, 101)], [c(1, 102)], [c(1, 103)], [broken], [c(3, 104)]], controller);
    const refused: string[] = [];
    const batches: FeedBatch[] = [];
    let calls = 0;
    const feed = new CcxtWatchFeed(watcher, { ...options, onRefused: (r) => refused.push(r) });
    await feed.run(async (b) => {
      if (calls++ === 0) throw new Error('database unavailable');
      batches.push(b);
    }, controller.signal);
    expect(closes(batches)).toEqual([[[0, '101']], [[1, '103']]]);
    expect(refused).toEqual([expect.stringContaining('missing or non-numeric field')]);
  }, 10_000);
});

describe('CcxtWatchFeed ticker', () => {
  it('hands over the first ticker at once and then at most one per interval, the latest', async () => {
    const controller = new AbortController();
    const watcher = pushedTickers();
    const feed = new CcxtWatchFeed(watcher, { ...options, ticker: { minIntervalMs: 200 } });
    const batches: FeedBatch[] = [];
    const done = feed.run(async (b) => void batches.push(b), controller.signal);

    watcher.push({ timestamp: 1, last: 100, bid: 99.5, ask: 100.5, baseVolume: 12.25 });
    await until(() => batches.length === 1, 'the first ticker');
    for (let i = 2; i <= 50; i++) watcher.push({ timestamp: i, last: 100 + i, bid: 99 + i, ask: 101 + i, baseVolume: 12 });
    await until(() => batches.at(-1)?.tickers[0]?.time === 50, 'the latest ticker');
    controller.abort();
    await done;

    expect(batches[0]!.tickers).toEqual([{ exchange: 'binance', symbol: 'BTC/USDT', last: '100', bid: '99.5', ask: '100.5', baseVolume: '12.25', time: 1 }]);
    // 49 updates arrived inside one interval: the one a waiting hand-over may have caught first, then the latest.
    expect(batches.length).toBeLessThanOrEqual(3);
    expect(batches.at(-1)!.tickers).toEqual([{ exchange: 'binance', symbol: 'BTC/USDT', last: '150', bid: '149', ask: '151', baseVolume: '12', time: 50 }]);
    expect(batches.every((b) => b.candles.length === 0 && b.tickers.length === 1)).toBe(true);
  });

  it("hands over the newest ticker ccxt has cached when a burst answered the watch with an older one", async () => {
    const controller = new AbortController();
    const watcher = pushedTickers();
    const feed = new CcxtWatchFeed(watcher, { ...options, ticker: { minIntervalMs: 100 } });
    const batches: FeedBatch[] = [];
    const done = feed.run(async (b) => void batches.push(b), controller.signal);
    watcher.push({ timestamp: 1, last: 100 });
    await until(() => batches.length === 1, 'the first ticker');
    watcher.push({ timestamp: 2, last: 101 });
    watcher.cacheOnly({ timestamp: 3, last: 102 });
    await until(() => batches.length === 2, 'the second hand-over');
    // The slot's own older ticker must not follow the newer one.
    await new Promise((r) => setTimeout(r, 250));
    controller.abort();
    await done;
    expect(batches.map((b) => [b.tickers[0]!.time, b.tickers[0]!.last])).toEqual([
      [1, '100'],
      [3, '102'],
    ]);
  });

  it('polls REST where the exchange has no websocket ticker, and reports tickers it cannot use', async () => {
    const controller = new AbortController();
    const watcher = pushedTickers();
    const noTicker: MarketWatcher = { watchOHLCV: watcher.watchOHLCV, close: watcher.close };
    const answers: RawTicker[] = [{ timestamp: 5, last: '0' }, { timestamp: 6, last: '101.5', bid: '0', ask: undefined }];
    const refused: string[] = [];
    const feed = new CcxtWatchFeed(noTicker, {
      ...options,
      ticker: { minIntervalMs: 100, pollIntervalMs: 1, fetchTicker: async () => answers.shift() ?? { timestamp: 7, last: '102' } },
      onRefused: (r) => refused.push(r),
    });
    expect(feed.tickerSource).toBe('rest');
    const batches: FeedBatch[] = [];
    const done = feed.run(async (b) => void batches.push(b), controller.signal);
    await until(() => batches.length === 2, 'two polled tickers');
    controller.abort();
    await done;

    expect(refused).toEqual(['ticker without a positive last price (0)']);
    // An empty book side falls back to the last price (MarketTickerUpdated carries positive ones).
    expect(batches[0]!.tickers).toEqual([{ exchange: 'binance', symbol: 'BTC/USDT', last: '101.5', bid: '101.5', ask: '101.5', baseVolume: '0', time: 6 }]);
    expect(batches[1]!.tickers[0]).toMatchObject({ last: '102', time: 7 });
  });

  it('never calls the sink for candles and ticker at the same time', async () => {
    const controller = new AbortController();
    const updates = [[c(0, 1)], [c(1, 2)], [c(2, 3)], [c(3, 4)]];
    const tickers = Array.from({ length: 5 }, (_, i) => ({ timestamp: i + 1, last: 10 + i }));
    const hanging: Array<(e: Error) => void> = [];
    const watcher: MarketWatcher = {
      watchOHLCV: async () => {
        await new Promise((r) => setTimeout(r, 2));
        const next = updates.shift();
        if (!next) controller.abort();
        return next ?? [];
      },
      watchTicker: async () => {
        await new Promise((r) => setTimeout(r, 1));
        return tickers.shift() ?? new Promise<RawTicker>((_resolve, reject) => hanging.push(reject));
      },
      close: async () => hanging.forEach((reject) => reject(new Error('closed by user'))),
    };
    let inside = 0;
    let overlapped = false;
    const batches: FeedBatch[] = [];
    await new CcxtWatchFeed(watcher, { ...options, ticker: { minIntervalMs: 100 } }).run(async (b) => {
      overlapped ||= inside > 0;
      inside++;
      await new Promise((r) => setTimeout(r, 5));
      batches.push(b);
      inside--;
    }, controller.signal);
    expect(overlapped).toBe(false);
    expect(closes(batches)).toEqual([[[0, '1']], [[1, '2']], [[2, '3']]]);
    expect(batches.some((b) => b.tickers.length)).toBe(true);
  });
});
