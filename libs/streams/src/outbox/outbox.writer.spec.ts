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

  it('locks the outbox, inserts the envelopes and notifies the relay in one statement', async () => {
    const { manager, queries } = recordingManager();
    const trade = aTrade();
    await writer.add(manager, Streams.Trades, trade);

    expect(queries).toHaveLength(1);
    const [{ sql, params }] = queries;
    expect(sql).toMatch(/^WITH writer_lock AS MATERIALIZED \(SELECT pg_advisory_xact_lock\(hashtext\(\$1\), hashtext\(\$2\)\)\)/);
    expect(sql).toContain('INSERT INTO "trading_engine".outbox (event_id, stream, event)');
    expect(sql).toContain('FROM writer_lock, unnest($4::uuid[], $5::jsonb[])');
    expect(sql).toMatch(/SELECT pg_notify\(\$6, ''\)$/);
    expect(params).toEqual(['trading.outbox.writer', 'trading_engine', 'events:trades', [trade.id], [JSON.stringify(trade)], 'outbox_trading_engine']);
  });

  it('sends a large batch as one statement, in the order given', async () => {
    const { manager, queries } = recordingManager();
    const trades = Array.from({ length: 2500 }, aTrade);
    await writer.add(manager, Streams.Trades, trades);
    expect(queries).toHaveLength(1);
    expect(queries[0].params[3]).toEqual(trades.map((t) => t.id));
    expect(queries[0].params[4]).toEqual(trades.map((t) => JSON.stringify(t)));
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
