import { ConfigValidationError, loadConfig } from '@trading/service-runtime';
import { TradingEngineEnv } from '../config/trading-engine.env';
import { parseExchangeOverrides } from './exchange-overrides';

describe('EXCHANGE_OVERRIDES', () => {
  it('unset or empty: no overrides', () => {
    expect(parseExchangeOverrides(undefined)).toEqual({});
    expect(parseExchangeOverrides('  ')).toEqual({});
  });

  it('urls and options per exchange id', () => {
    const text = JSON.stringify({
      binance: {
        urls: { api: { public: 'http://127.0.0.1:9000/api/v3', private: 'https://proxy.example/api/v3' } },
        options: { fetchMarkets: { types: ['spot'] } },
      },
    });
    expect(parseExchangeOverrides(text)).toEqual({
      binance: {
        urls: { api: { public: 'http://127.0.0.1:9000/api/v3', private: 'https://proxy.example/api/v3' } },
        options: { fetchMarkets: { types: ['spot'] } },
      },
    });
  });

  it("ccxt's rate limiter switched off for one exchange (a loopback server)", () => {
    const text = JSON.stringify({
      kraken: { urls: { api: { private: 'http://127.0.0.1:9001' } }, enableRateLimit: false },
    });
    expect(parseExchangeOverrides(text)).toEqual({
      kraken: { urls: { api: { private: 'http://127.0.0.1:9001' } }, enableRateLimit: false },
    });
  });

  it.each([
    ['not JSON', '{binance', /not valid JSON/],
    [
      'enableRateLimit that is not a boolean',
      '{"kraken":{"enableRateLimit":"no"}}',
      /kraken\.enableRateLimit must be true or false/,
    ],
    ['an array', '[]', /JSON object/],
    ['a bad exchange id', '{"Binance!":{}}', /not an exchange id/],
    ['an unknown key', '{"binance":{"apiKey":"x"}}', /unknown keys apiKey/],
    [
      'a URL that is not http(s)',
      '{"binance":{"urls":{"api":{"public":"ftp://x/y"}}}}',
      /binance\.urls\.api\.public must be an http\(s\) URL/,
    ],
    ['a URL that does not parse', '{"binance":{"urls":{"api":"not a url"}}}', /binance\.urls\.api is not a URL/],
    ['options that are not an object', '{"binance":{"options":3}}', /binance\.options must be an object/],
  ])('refuses %s, naming what is wrong', (_what, text, message) => {
    expect(() => parseExchangeOverrides(text)).toThrow(message);
  });

  it('a malformed value stops the engine at start with a message naming the variable', () => {
    let error: unknown;
    try {
      loadConfig('trading-engine', TradingEngineEnv, { EXCHANGE_OVERRIDES: '{"binance":{"urls":{"api":"ftp://x"}}}' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as Error).message).toMatch(/EXCHANGE_OVERRIDES: binance\.urls\.api must be an http\(s\) URL/);
  });

  it('INTERNAL_RPC_TOKEN is optional (paper only) and, when set, at least 32 characters', () => {
    expect(loadConfig('trading-engine', TradingEngineEnv, {}).INTERNAL_RPC_TOKEN).toBeUndefined();
    expect(() => loadConfig('trading-engine', TradingEngineEnv, { INTERNAL_RPC_TOKEN: 'short' })).toThrow(
      /INTERNAL_RPC_TOKEN.*\(value hidden\)/,
    );
  });
});
