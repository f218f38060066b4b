import { RpcException } from '@nestjs/microservices';
import { PATTERN_EXTRAS_METADATA, PATTERN_HANDLER_METADATA, PATTERN_METADATA } from '@nestjs/microservices/constants';
import { MarketCandleClosed, type StreamEventMap, Streams, TradeExecuted } from '@trading/contracts';
import { OnStream, PARTITION_KEY_EXTRA } from './on-stream.decorator';

const byBot = (event: StreamEventMap['events:trades']) => event.payload.botId;

class TradesHandler {
  seen: string[] = [];

  @OnStream(Streams.Trades, { partitionKey: byBot })
  async onTrade(event: StreamEventMap['events:trades']): Promise<void> {
    if (event.type === TradeExecuted.TYPE && event.payload.quantity === '0') throw new Error('zero quantity');
    this.seen.push(event.id);
  }
}

describe('@OnStream', () => {
  it('registers the method as an event handler for the stream, with its partition key', () => {
    const method = TradesHandler.prototype.onTrade;
    expect(Reflect.getMetadata(PATTERN_METADATA, method)).toEqual([Streams.Trades]);
    expect(Reflect.getMetadata(PATTERN_HANDLER_METADATA, method)).toBe(2); // PatternHandler.EVENT
    expect(Reflect.getMetadata(PATTERN_EXTRAS_METADATA, method)).toEqual({ [PARTITION_KEY_EXTRA]: byBot });
  });

  it('keeps `this` and turns a failure into an RpcException carrying the real message', async () => {
    const handler = new TradesHandler();
    await handler.onTrade({ id: 'e1', type: 'position.changed' } as never);
    expect(handler.seen).toEqual(['e1']);
    const failure = handler.onTrade({ id: 'e2', type: TradeExecuted.TYPE, payload: { quantity: '0' } } as never);
    await expect(failure).rejects.toBeInstanceOf(RpcException);
    await expect(failure).rejects.toMatchObject({ error: { status: 'error', message: 'Error: zero quantity' } });
  });
});

// Type-level checks, enforced by `tsc --noEmit`.
export class WrongHandlers {
  // @ts-expect-error events:trades carries trades and positions, not candles
  @OnStream(Streams.Trades)
  onCandle(event: MarketCandleClosed.Event): string {
    return event.id;
  }

  // @ts-expect-error the key function receives the stream's events
  @OnStream(Streams.MarketData, { partitionKey: (e: StreamEventMap['events:trades']) => e.payload.botId })
  onMarket(event: StreamEventMap['events:market_data']): string {
    return event.id;
  }
}
