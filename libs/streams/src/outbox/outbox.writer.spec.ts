import { createEvent, MarketCandleClosed, Streams, TradeExecuted } from '@trading/contracts';
import type { EntityManager } from 'typeorm';
import { OutboxWriter } from './outbox.writer';

function aTrade(): TradeExecuted.Event {
  return createEvent(
    TradeExecuted.TYPE,
    {
      tradeId: '0190b8a0-0000-7000-8000-000000000001',
      orderId: '0190b8a0-0000-7000-8000-000000000002',
      botId: null,
      userId: '0190b8a0-0000-7000-8000-000000000003',
      exchange: 'binance',
      symbol: 'BTC/USDT',
      side: 'sell',
      mode: 'live',
      price: '65000',
      quantity: '0.002',
      fee: '0.13',
      feeCurrency: 'USDT',
      realizedPnl: '12.4',
      executedAt: '2026-01-01T00:00:00.000Z',
    },
    { source: 'trading-engine' },
  );
}

function recordingManager(inTransaction = true): { manager: EntityManager; queries: Array<{ sql: string; params: unknown[] }> } {
  const queries: Array<{ sql: string; params: unknown[] }> = [];
  const manager = {
    queryRunner: { isTransactionActive: inTransaction },
    query: async (sql: string, params: unknown[] = []) => {
      queries.push({ sql, params });
      return [];
    },
  } as unknown as EntityManager;
  return { manager, queries };
}

describe('OutboxWriter', () => {
  const writer = new OutboxWriter({ schema: 'trading_engine' });

  it('locks the outbox, inserts the envelopes, then notifies the relay', async () => {
    const { manager, queries } = recordingManager();
    const trade = aTrade();
    await writer.add(manager, Streams.Trades, trade);

    expect(queries.map((q) => q.sql)).toEqual([
      'SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))',
      'INSERT INTO "trading_engine".outbox (event_id, stream, event) VALUES ($1, $2, $3::jsonb)',
      'SELECT pg_notify($1, $2)',
    ]);
    expect(queries[1].params).toEqual([trade.id, 'events:trades', JSON.stringify(trade)]);
    expect(queries[2].params).toEqual(['outbox_trading_engine', '']);
  });

  it('splits large batches into inserts of at most 1 000 rows', async () => {
    const { manager, queries } = recordingManager();
    await writer.add(manager, Streams.Trades, Array.from({ length: 2500 }, aTrade));
    const inserts = queries.filter((q) => q.sql.startsWith('INSERT'));
    expect(inserts.map((q) => q.params.length / 3)).toEqual([1000, 1000, 500]);
  });

  it('does nothing for no events and refuses to run outside a transaction', async () => {
    const empty = recordingManager();
    await writer.add(empty.manager, Streams.Trades, []);
    expect(empty.queries).toEqual([]);
    await expect(writer.add(recordingManager(false).manager, Streams.Trades, aTrade())).rejects.toThrow('inside the transaction');
  });

  it('only accepts events the stream carries (checked by tsc)', async () => {
    const { manager } = recordingManager();
    const candle = {} as MarketCandleClosed.Event;
    // @ts-expect-error a candle does not travel on events:trades
    await writer.add(manager, Streams.Trades, candle);
    await writer.add(manager, Streams.MarketData, candle);
  });
});
