import { validateEnvelope } from '@trading/contracts';
import { aCandleSeries } from './candle-series.builder';
import { aSignal } from './signal.builder';

describe('fixture builders', () => {
  it('builds consistent candles and valid MarketCandleClosed events', () => {
    const candles = aCandleSeries().from('2021-01-03T00:00:00Z').every('5m').closes(100, 102, 101).build();
    expect(candles[1]).toEqual({ time: Date.UTC(2021, 0, 3, 0, 5), open: '100', high: '102.5', low: '99.5', close: '102', volume: '1' });
    for (const event of aCandleSeries().closes(1, 2, 3).buildEvents()) expect(validateEnvelope(event).ok).toBe(true);
  });

  it('builds a valid SignalEmitted event whose id is deterministic', () => {
    const botId = '0193a0b2-7c1e-7d3a-9f00-5b1c2d3e4f51';
    const a = aSignal().forBot(botId).wanting('flat').at('2021-01-03T01:00:00.000Z', '32500').build();
    const b = aSignal().forBot(botId).wanting('flat').at('2021-01-03T01:00:00.000Z', '32500').build();
    expect(a.payload.signalId).toBe(b.payload.signalId);
    expect(a.payload.signalId).toHaveLength(36);
    expect(validateEnvelope(a).ok).toBe(true);
  });
});
