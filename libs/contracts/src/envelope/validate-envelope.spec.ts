import * as AuditRecorded from '../audit-recorded';
import { isEvent, StreamEventMap } from '../catalog/event-catalog';
import * as MarketCandleClosed from '../market-candle-closed';
import * as OrderFilled from '../order-filled';
import { Streams } from '../streams/stream-names';
import * as TradeExecuted from '../trade-executed';
import { createEvent, createFollowUpEvent } from './create-event';
import { validateEnvelope } from './validate-envelope';

const USER = '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6d';
const BOT = '0190b6a4-5f6e-7c3b-8a2d-1e2f3a4b5c6e';

const candle: MarketCandleClosed.Payload = {
  exchange: 'binance',
  symbol: 'BTC/USDT',
  timeframe: '1m',
  openTime: '2024-01-01T00:00:00.000Z',
  closeTime: '2024-01-01T00:00:59.999Z',
  open: '42000.10',
  high: '42100',
  low: '41950.5',
  close: '42050.25',
  volume: '12.3456',
  source: 'replay',
};

const trade: TradeExecuted.Payload = {
  tradeId: '0190b6a4-5f6e-7c3b-8a2d-000000000001',
  orderId: '0190b6a4-5f6e-7c3b-8a2d-000000000002',
  botId: BOT,
  userId: USER,
  exchange: 'paper',
  symbol: 'ETH/USDT',
  side: 'sell',
  mode: 'paper',
  price: '2250.5',
  quantity: '0.5',
  fee: '1.125',
  feeCurrency: 'USDT',
  realizedPnl: '-12.75',
  executedAt: '2024-01-01T00:05:00.000Z',
};

describe('createEvent', () => {
  it('builds a v7, self-correlated root event with the catalog version', () => {
    const event = createEvent(MarketCandleClosed.TYPE, candle, { source: 'market-data', occurredAt: '2024-01-01T00:01:00Z' });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event).toMatchObject({ type: 'market.candle.closed', version: 1, source: 'market-data', correlationId: event.id, causationId: null });
    expect(event.occurredAt).toBe('2024-01-01T00:01:00.000Z');
  });

  it('chains a follow-up event to its cause', () => {
    const root = createEvent(MarketCandleClosed.TYPE, candle, { source: 'market-data' });
    const next = createFollowUpEvent(TradeExecuted.TYPE, trade, root, 'trading-engine');
    expect(next.correlationId).toBe(root.correlationId);
    expect(next.causationId).toBe(root.id);
  });
});

describe('validateEnvelope', () => {
  it('round-trips an event through its wire JSON into a typed payload instance', () => {
    const event = createEvent(TradeExecuted.TYPE, trade, { source: 'trading-engine' });
    const result = validateEnvelope(JSON.stringify(event), Streams.Trades);
    if (!result.ok) throw new Error(result.reasons.join('; '));
    expect(result.event.payload).toBeInstanceOf(TradeExecuted.Payload);
    expect(isEvent(result.event, TradeExecuted.TYPE) && result.event.payload.realizedPnl).toBe('-12.75');
  });

  it('lists every reason: bad decimals, bad symbol, unknown property', () => {
    const event = createEvent(MarketCandleClosed.TYPE, { ...candle, close: '4.2e4', volume: '-1', symbol: 'btcusdt', extra: 1 } as never, {
      source: 'market-data',
    });
    const result = validateEnvelope(JSON.stringify(event));
    expect(result.ok).toBe(false);
    const reasons = (result as { reasons: string[] }).reasons.join('\n');
    expect(reasons).toContain('payload.close: close must be a positive decimal string');
    expect(reasons).toContain('payload.volume');
    expect(reasons).toContain('payload.symbol');
    expect(reasons).toContain('payload.extra');
  });

  it('refuses a float where money must be a string', () => {
    const event = createEvent(TradeExecuted.TYPE, { ...trade, price: 2250.5 } as never, { source: 'x' });
    expect(validateEnvelope(event).ok).toBe(false);
  });

  it('refuses invalid JSON, non-objects, unknown types, newer versions and the wrong stream', () => {
    const good = createEvent(TradeExecuted.TYPE, trade, { source: 'trading-engine' });
    expect(validateEnvelope('{nope')).toMatchObject({ ok: false, reasons: [expect.stringContaining('not JSON')] });
    expect(validateEnvelope('[]')).toMatchObject({ ok: false });
    expect(validateEnvelope({ ...good, type: 'trade.exploded' })).toMatchObject({ ok: false, reasons: ['type: unknown event type "trade.exploded"'] });
    expect(validateEnvelope({ ...good, version: 2 })).toMatchObject({ ok: false, reasons: [expect.stringContaining('newer')] });
    expect(validateEnvelope(good, Streams.MarketData)).toMatchObject({ ok: false, reasons: ['type: "trade.executed" is not carried by events:market_data'] });
    expect(validateEnvelope({ ...good, id: 'not-a-uuid' })).toMatchObject({ ok: false, reasons: [expect.stringContaining('id')] });
  });

  it('refuses audit details that carry a secret', () => {
    const audit: AuditRecorded.Payload = {
      actorUserId: USER,
      action: 'api_key.created',
      resourceType: 'api_key',
      resourceId: '42',
      outcome: 'success',
      ip: '10.0.0.7',
      userAgent: 'curl/8',
      details: { exchange: 'binance', apiSecret: 'shh' },
      recordedAt: '2024-01-01T00:00:00.000Z',
    };
    const result = validateEnvelope(createEvent(AuditRecorded.TYPE, audit, { source: 'auth' }));
    expect(result).toMatchObject({ ok: false, reasons: [expect.stringContaining('apiSecret')] });
    expect(validateEnvelope(createEvent(AuditRecorded.TYPE, { ...audit, details: { exchange: 'binance' } }, { source: 'auth' })).ok).toBe(true);
  });
});

// Type-level checks, enforced by `tsc --noEmit` (jest does not type-check).
export function typeChecks(fill: OrderFilled.Event, candleEvent: MarketCandleClosed.Event): void {
  const onOrders: StreamEventMap['events:orders'] = fill;
  // @ts-expect-error a candle is not carried by events:trades
  const onTrades: StreamEventMap['events:trades'] = candleEvent;
  // @ts-expect-error the payload must match the type
  createEvent(OrderFilled.TYPE, candle, { source: 'x' });
  void onOrders;
  void onTrades;
}

export function narrowsByType(event: StreamEventMap['events:trades']): string | null {
  // A stream's events form a union discriminated by `type`.
  if (event.type === TradeExecuted.TYPE) return event.payload.tradeId;
  // @ts-expect-error PositionChanged has no orderId
  return event.payload.orderId;
}
