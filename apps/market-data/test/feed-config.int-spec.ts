import { spawnNode, testRedisUrl } from '@trading/testing';
import { buildDist, MARKET_DATA_MAIN } from './market-data.harness';

/** The built market-data refuses to start on a feed it would otherwise misread, before it touches anything. */
describe('market-data feed configuration', () => {
  beforeAll(() => buildDist(), 60_000);

  it('exits 78 naming MARKET_FEEDS when a :watch suffix is misspelt, instead of polling REST', async () => {
    const started = spawnNode(MARKET_DATA_MAIN, [], {
      MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m:wacth',
      CLOCK_SKEW_TOLERANCE_MS: '-5',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never_used',
      REDIS_URL: testRedisUrl(),
    });
    const { code } = await started.exited;
    expect(code).toBe(78);
    const output = started.output();
    expect(output).toContain('Invalid configuration for market-data');
    expect(output).toContain('- MARKET_FEEDS: "ccxt:binance:BTC/USDT:1m:wacth": unknown suffix ":wacth" (the only one is ":watch")');
    expect(output).toMatch(/- CLOCK_SKEW_TOLERANCE_MS: /);
  });
});
