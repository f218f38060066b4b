import { parseFeedSpecs } from './feed-spec';

describe('parseFeedSpecs', () => {
  it('parses replay and ccxt feeds', () => {
    const specs = parseFeedSpecs('replay:BTCUSDT_1m_2021-01-03@max, replay:binance_BTCUSDT_1d_2020@60, ccxt:binance:BTC/USDT:1m:watch');
    expect(specs[0]).toMatchObject({ kind: 'replay', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', speed: 'max' });
    expect(specs[1]).toMatchObject({ kind: 'replay', timeframe: '1d', speed: 60 });
    expect(specs[2]).toEqual({ kind: 'ccxt', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', watch: true });
  });

  it('refuses an unknown suffix after the timeframe rather than polling REST without a word', () => {
    expect(() => parseFeedSpecs('ccxt:binance:BTC/USDT:1m:wacth')).toThrow('"ccxt:binance:BTC/USDT:1m:wacth": unknown suffix ":wacth" (the only one is ":watch")');
    expect(() => parseFeedSpecs('ccxt:binance:BTC/USDT:1m:ws')).toThrow(/unknown suffix ":ws"/);
    expect(() => parseFeedSpecs('ccxt:binance:BTC/USDT:1m:watch:now')).toThrow(/unknown suffix ":watch:now"/);
    expect(parseFeedSpecs('ccxt:binance:BTC/USDT:1m')).toEqual([{ kind: 'ccxt', exchange: 'binance', symbol: 'BTC/USDT', timeframe: '1m', watch: false }]);
  });

  it('lists every problem', () => {
    expect(parseFeedSpecs('none')).toEqual([]);
    expect(() => parseFeedSpecs('replay:nope, ccxt:binance:btc-usdt:1m, replay:BTCUSDT_1m_2021-01-03@-1, kafka:x')).toThrow(
      /unknown dataset "nope"[\s\S]*BASE\/QUOTE[\s\S]*positive number[\s\S]*unknown feed kind "kafka"/,
    );
  });
});
