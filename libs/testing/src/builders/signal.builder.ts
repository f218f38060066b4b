import { createEvent, SignalEmitted, Timeframe } from '@trading/contracts';
import { v5, v7 } from 'uuid';

const SIGNAL_NAMESPACE = '6f1d6b0e-6f2a-4a7e-9d3c-2b1f0c8a7e55';

/** A SignalEmitted event as the strategy service publishes it: `aSignal().forBot(id).wanting('long').at(time).build()`. */
export class SignalBuilder {
  private payload: SignalEmitted.Payload = {
    signalId: '',
    botId: v7(),
    userId: v7(),
    strategy: 'sma_cross',
    exchange: 'binance',
    symbol: 'BTC/USDT',
    timeframe: '1m',
    candleTime: '2021-01-03T00:30:00.000Z',
    target: 'long',
    price: '32000',
    reason: 'fast SMA(10) crossed above slow SMA(30)',
    indicators: {},
  } as SignalEmitted.Payload;

  forBot(botId: string, userId = this.payload.userId): this {
    this.payload = { ...this.payload, botId, userId };
    return this;
  }

  wanting(target: SignalEmitted.Payload['target']): this {
    this.payload = { ...this.payload, target };
    return this;
  }

  at(candleTime: string, price = this.payload.price, timeframe: Timeframe = this.payload.timeframe): this {
    this.payload = { ...this.payload, candleTime, price, timeframe };
    return this;
  }

  build(): SignalEmitted.Event {
    const signalId = v5(`${this.payload.botId}|${this.payload.candleTime}|${this.payload.target}`, SIGNAL_NAMESPACE);
    return createEvent(SignalEmitted.TYPE, { ...this.payload, signalId }, { source: 'strategy' });
  }
}

export const aSignal = (): SignalBuilder => new SignalBuilder();
