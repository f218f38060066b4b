import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { MarketType, TradingPairEntity } from './trading-pair.entity';

export interface TradingPairInput {
  exchange: string;
  symbol: string;
  base: string;
  quote: string;
  marketType?: MarketType;
  exchangeSymbol?: string | null;
  isActive?: boolean;
  pricePrecision?: number;
  quantityPrecision?: number;
  tickSize?: string | null;
  stepSize?: string | null;
  minOrderSize?: string | null;
  maxOrderSize?: string | null;
  minNotional?: string | null;
  makerFee?: string;
  takerFee?: string;
}

const UPDATABLE = [
  'base', 'quote', 'market_type', 'exchange_symbol', 'is_active', 'price_precision', 'quantity_precision',
  'tick_size', 'step_size', 'min_order_size', 'max_order_size', 'min_notional', 'maker_fee', 'taker_fee',
] as const;

@Injectable()
export class TradingPairRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Inserts or refreshes markets keyed by (exchange, symbol), as loaded from the exchange. Returns the stored rows. */
  async upsertMany(pairs: readonly TradingPairInput[]): Promise<TradingPairEntity[]> {
    if (!pairs.length) return [];
    const repo = this.dataSource.getRepository(TradingPairEntity);
    await repo
      .createQueryBuilder()
      .insert()
      .values(
        pairs.map((p) => ({
          id: v7(),
          exchange: p.exchange,
          symbol: p.symbol,
          base: p.base,
          quote: p.quote,
          marketType: p.marketType ?? 'spot',
          exchangeSymbol: p.exchangeSymbol ?? null,
          isActive: p.isActive ?? true,
          pricePrecision: p.pricePrecision ?? 8,
          quantityPrecision: p.quantityPrecision ?? 8,
          tickSize: p.tickSize ?? null,
          stepSize: p.stepSize ?? null,
          minOrderSize: p.minOrderSize ?? null,
          maxOrderSize: p.maxOrderSize ?? null,
          minNotional: p.minNotional ?? null,
          makerFee: p.makerFee ?? '0.001',
          takerFee: p.takerFee ?? '0.001',
        })),
      )
      .orUpdate([...UPDATABLE, 'updated_at'], ['exchange', 'symbol'])
      .updateEntity(false)
      .execute();
    return repo
      .createQueryBuilder('p')
      .where('(p.exchange, p.symbol) IN (SELECT * FROM unnest(CAST(:exchanges AS varchar[]), CAST(:symbols AS varchar[])))', {
        exchanges: pairs.map((p) => p.exchange),
        symbols: pairs.map((p) => p.symbol),
      })
      .orderBy('p.exchange')
      .addOrderBy('p.symbol')
      .getMany();
  }

  findById(id: string): Promise<TradingPairEntity | null> {
    return this.dataSource.getRepository(TradingPairEntity).findOneBy({ id });
  }

  findByExchangeSymbol(exchange: string, symbol: string): Promise<TradingPairEntity | null> {
    return this.dataSource.getRepository(TradingPairEntity).findOneBy({ exchange, symbol });
  }

  /** Every pair, or one exchange's, ordered by exchange and symbol. */
  list(exchange?: string): Promise<TradingPairEntity[]> {
    return this.dataSource.getRepository(TradingPairEntity).find({ where: exchange ? { exchange } : {}, order: { exchange: 'ASC', symbol: 'ASC' } });
  }

  listActive(exchange: string): Promise<TradingPairEntity[]> {
    return this.dataSource.getRepository(TradingPairEntity).find({ where: { exchange, isActive: true }, order: { symbol: 'ASC' } });
  }
}
