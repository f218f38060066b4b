import { getEventListeners } from 'node:events';
import { CcxtExchangeAdapter } from '@trading/exchange';
import { LoopbackBinance, startLoopbackBinance } from '@trading/testing';
import { CcxtFeed } from './ccxt.feed';

const MIN = 60_000;

/** The REST polling feed against the loopback Binance, over many polling rounds on one long-lived signal. */
describe('CcxtFeed polling', () => {
  let rest: LoopbackBinance;
  let exchange: CcxtExchangeAdapter;
  const start = Math.floor(Date.now() / MIN) * MIN - 10 * MIN;

  beforeAll(async () => {
    const candles = Array.from({ length: 10 }, (_, m) => ({ openTime: start + m * MIN, open: '100', high: '101', low: '99', close: '100.5', volume: '1' }));
    rest = await startLoopbackBinance({ klines: [{ symbol: 'BTCUSDT', interval: '1m', candles }] });
    exchange = new CcxtExchangeAdapter({ exchangeId: 'binance', ...rest.ccxtOverrides, enableRateLimit: false });
  });

  afterAll(async () => {
    await exchange?.close();
    await rest?.stop();
  });

  it('leaves no abort listener behind after each wait between rounds', async () => {
    const controller = new AbortController();
    const feed = new CcxtFeed(exchange, { exchangeId: 'binance', symbol: 'BTC/USDT', timeframe: '1m', since: start, pollIntervalMs: 1 });
    const listeners: number[] = [];
    await feed.run(async (batch) => {
      listeners.push(getEventListeners(controller.signal, 'abort').length);
      if (listeners.length === 1) expect(batch.candles).toHaveLength(10);
      if (listeners.length === 25) controller.abort();
    }, controller.signal);
    // Each round slept once on the same signal; a sleep that kept its listener would leave one per round.
    expect(listeners).toEqual(new Array(25).fill(0));
  });
});
