import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TickerEntity } from './ticker.entity';

export type TickerInput = Omit<TickerEntity, 'updatedAt' | 'bid' | 'ask' | 'high' | 'low' | 'baseVolume' | 'quoteVolume' | 'change' | 'percentage'> &
  Partial<Pick<TickerEntity, 'bid' | 'ask' | 'high' | 'low' | 'baseVolume' | 'quoteVolume' | 'change' | 'percentage'>>;

const COLUMNS = ['exchange', 'symbol', 'last', 'bid', 'ask', 'high', 'low', 'base_volume', 'quote_volume', 'change', 'percentage', 'time'] as const;

@Injectable()
export class TickerRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores the latest ticker per market. Only a newer ticker (by exchange time) overwrites the stored one, so
   * out-of-order deliveries and replays are harmless. Returns whether the row changed. With `manager`, inside the
   * caller's transaction.
   */
  async upsert(t: TickerInput, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const values = [t.exchange, t.symbol, t.last, t.bid ?? null, t.ask ?? null, t.high ?? null, t.low ?? null, t.baseVolume ?? null, t.quoteVolume ?? null, t.change ?? null, t.percentage ?? null, t.time];
    const rows: unknown[] = await manager.query(
      `INSERT INTO market.tickers (${COLUMNS.join(', ')}, updated_at)
       VALUES (${COLUMNS.map((_, i) => `$${i + 1}`).join(', ')}, now())
       ON CONFLICT (exchange, symbol) DO UPDATE SET
         ${COLUMNS.slice(2).map((c) => `${c} = EXCLUDED.${c}`).join(', ')}, updated_at = now()
       WHERE market.tickers.time < EXCLUDED.time
       RETURNING 1`,
      values,
    );
    return rows.length > 0;
  }

  find(exchange: string, symbol: string): Promise<TickerEntity | null> {
    return this.dataSource.getRepository(TickerEntity).findOneBy({ exchange, symbol });
  }

  /** The latest tickers, filtered by exchange and/or symbol when given. */
  list(exchange?: string, symbol?: string): Promise<TickerEntity[]> {
    const where: Partial<Pick<TickerEntity, 'exchange' | 'symbol'>> = {};
    if (exchange) where.exchange = exchange;
    if (symbol) where.symbol = symbol;
    return this.dataSource.getRepository(TickerEntity).find({ where, order: { exchange: 'ASC', symbol: 'ASC' } });
  }

  listByExchange(exchange: string): Promise<TickerEntity[]> {
    return this.dataSource.getRepository(TickerEntity).find({ where: { exchange }, order: { symbol: 'ASC' } });
  }
}
