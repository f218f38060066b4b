import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { MarketDataEnv } from './market-data.env';

const violations = (env: Record<string, string>): string[] => {
  try {
    loadConfig('market-data', MarketDataEnv, env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.violations;
    throw error;
  }
  return [];
};

describe('MarketDataEnv', () => {
  it('refuses a misspelt :watch suffix in MARKET_FEEDS at start, naming the variable and the feed', () => {
    for (const suffix of ['wacth', 'ws', 'WATCH', 'watch:1']) {
      const feed = `ccxt:binance:BTC/USDT:1m:${suffix}`;
      expect(violations({ MARKET_FEEDS: feed })).toEqual([`MARKET_FEEDS: "${feed}": unknown suffix ":${suffix}" (the only one is ":watch") (got ${JSON.stringify(feed)})`]);
    }
  });

  it('lists every bad feed of MARKET_FEEDS in one violation, and accepts good ones', () => {
    const [violation] = violations({ MARKET_FEEDS: 'replay:nope, ccxt:binance:BTC/USDT:1m:wacth, kafka:x' });
    expect(violation).toMatch(/^MARKET_FEEDS: "replay:nope": unknown dataset "nope".*; "ccxt:binance:BTC\/USDT:1m:wacth": unknown suffix ":wacth".*; "kafka:x": unknown feed kind "kafka"/);
    expect(violations({ MARKET_FEEDS: ' , ' })).toEqual(['MARKET_FEEDS: names no feed (use "none" for no feed) (got " , ")']);
    expect(violations({ MARKET_FEEDS: 'ccxt:binance:BTC/USDT:1m:watch,ccxt:binance:ETH/USDT:5m,replay:BTCUSDT_1m_2021-01-03@max' })).toEqual([]);
    expect(violations({ MARKET_FEEDS: 'none' })).toEqual([]);
  });

  it('takes CLOCK_SKEW_TOLERANCE_MS from 0 to 60 000 ms, 5 s unless set', () => {
    expect(loadConfig('market-data', MarketDataEnv, {}).CLOCK_SKEW_TOLERANCE_MS).toBe(5000);
    expect(loadConfig('market-data', MarketDataEnv, { CLOCK_SKEW_TOLERANCE_MS: '0' }).CLOCK_SKEW_TOLERANCE_MS).toBe(0);
    expect(loadConfig('market-data', MarketDataEnv, { CLOCK_SKEW_TOLERANCE_MS: '60000' }).CLOCK_SKEW_TOLERANCE_MS).toBe(60_000);
    for (const bad of ['-1', '60001', '2.5', 'soon']) {
      expect(new Set(violations({ CLOCK_SKEW_TOLERANCE_MS: bad }).map((v) => v.split(':')[0]))).toEqual(new Set(['CLOCK_SKEW_TOLERANCE_MS']));
    }
  });

  it('takes FEED_LEASE_TTL_MS as 0 (no lease) or 1 000 to 300 000 ms, 15 s unless set', () => {
    expect(loadConfig('market-data', MarketDataEnv, {}).FEED_LEASE_TTL_MS).toBe(15_000);
    expect(loadConfig('market-data', MarketDataEnv, { FEED_LEASE_TTL_MS: '' }).FEED_LEASE_TTL_MS).toBe(15_000);
    for (const good of [0, 1000, 1500, 300_000]) expect(loadConfig('market-data', MarketDataEnv, { FEED_LEASE_TTL_MS: String(good) }).FEED_LEASE_TTL_MS).toBe(good);
    for (const bad of ['-1', '1', '999', '300001', '2.5', 'soon']) {
      expect({ bad, fields: new Set(violations({ FEED_LEASE_TTL_MS: bad }).map((v) => v.split(':')[0])) }).toEqual({ bad, fields: new Set(['FEED_LEASE_TTL_MS']) });
    }
  });
});
