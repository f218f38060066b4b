import { createEvent, MarketCandleClosed, Timeframe } from '@trading/contracts';

const TIMEFRAME_MS: Record<string, number> = { '1m': 60_000, '5m': 300_000, '15m': 900_000, '1h': 3_600_000, '4h': 14_400_000, '1d': 86_400_000 };

export interface BuiltCandle {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
}

/**
 * Candles from a list of closes, each opening at the previous close with a high/low 0.5 above/below
 * the wider of open and close: `aCandleSeries().from('2021-01-03T00:00:00Z').closes(100, 101, 99).build()`.
 */
export class CandleSeriesBuilder {
  private start = Date.UTC(2021, 0, 3);
  private timeframe: Timeframe = '1m';
  private values: number[] = [100, 101, 102];
  private exchange = 'binance';
  private symbol = 'BTC/USDT';

  from(iso: string): this {
    this.start = Date.parse(iso);
    return this;
  }

  every(timeframe: Timeframe): this {
    this.timeframe = timeframe;
    return this;
  }

  closes(...values: number[]): this {
    this.values = values;
    return this;
  }

  on(exchange: string, symbol: string): this {
    this.exchange = exchange;
    this.symbol = symbol;
    return this;
  }

  build(): BuiltCandle[] {
    const step = TIMEFRAME_MS[this.timeframe];
    return this.values.map((close, i) => {
      const open = i === 0 ? close : this.values[i - 1];
      return { time: this.start + i * step, open: String(open), high: String(Math.max(open, close) + 0.5), low: String(Math.min(open, close) - 0.5), close: String(close), volume: '1' };
    });
  }

  /** The same candles as the MarketCandleClosed events market-data publishes. */
  buildEvents(): MarketCandleClosed.Event[] {
    const step = TIMEFRAME_MS[this.timeframe];
    return this.build().map((c) =>
      createEvent(
        MarketCandleClosed.TYPE,
        { exchange: this.exchange, symbol: this.symbol, timeframe: this.timeframe, openTime: new Date(c.time).toISOString(), closeTime: new Date(c.time + step).toISOString(), open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, source: 'replay' },
        { source: 'market-data' },
      ),
    );
  }
}

export const aCandleSeries = (): CandleSeriesBuilder => new CandleSeriesBuilder();
