import { FeedBatch } from './market-feed';
import { CcxtWatchFeed, OhlcvWatcher } from './ccxt-watch.feed';

const MIN = 60_000;

/** A scripted websocket: each watchOHLCV call answers the next update (or fails), like ccxt Pro. */
function scriptedWatcher(updates: (number[][] | Error)[], controller: AbortController): OhlcvWatcher & { closed: boolean } {
  let i = 0;
  return {
    has: { watchOHLCV: true },
    closed: false,
    async watchOHLCV() {
      if (i >= updates.length) {
        controller.abort();
        return [];
      }
      const next = updates[i++];
      if (next instanceof Error) throw next;
      return next;
    },
    async close() {
      this.closed = true;
    },
  };
}

describe('CcxtWatchFeed', () => {
  it('hands over each candle once, when the next one has started, and reconnects after an error', async () => {
    const controller = new AbortController();
    const c = (m: number, close: number) => [m * MIN, 100, 110, 90, close, 5];
    const watcher = scriptedWatcher(
      [
        [c(0, 101)], // only the forming candle
        [c(0, 102)], // the forming candle updated
        [c(0, 103), c(1, 104)], // minute 0 closed
        new Error('socket closed'),
        [c(0, 103), c(1, 105), c(2, 106)], // after reconnect: minute 1 closed, minute 0 not again
      ],
      controller,
    );
    const errors: number[] = [];
    const feed = new CcxtWatchFeed(watcher, { exchangeId: 'binance', symbol: 'BTC/USDT', timeframe: '1m', onError: (_e, attempt) => errors.push(attempt) });
    const batches: FeedBatch[] = [];
    await feed.run(async (b) => void batches.push(b), controller.signal);
    expect(batches.map((b) => b.candles.map((x) => [x.time / MIN, x.close]))).toEqual([[[0, '103']], [[1, '105']]]);
    expect(errors).toEqual([1]);
    expect(watcher.closed).toBe(true);
  });
});
