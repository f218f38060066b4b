import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { insertOnce } from '../database/insert-once';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { TradeFactEntity } from './trade-fact.entity';

type RequiredFactFields = 'tradeId' | 'userId' | 'exchange' | 'symbol' | 'side' | 'price' | 'quantity' | 'executedAt';
export type NewTradeFact = Pick<TradeFactEntity, RequiredFactFields> &
  Partial<Omit<TradeFactEntity, RequiredFactFields | 'id' | 'createdAt'>>;

@Injectable()
export class TradeFactRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<TradeFactEntity> {
    return (manager ?? this.dataSource.manager).getRepository(TradeFactEntity);
  }

  /** Stores a TradeExecuted once (by trade_id); returns false for a trade already stored. */
  record(fact: NewTradeFact, manager?: EntityManager): Promise<boolean> {
    return insertOnce(this.repo(manager), { ...fact, id: v7(), createdAt: new Date() });
  }

  findByTradeId(tradeId: string): Promise<TradeFactEntity | null> {
    return this.repo().findOneBy({ tradeId });
  }

  listByBot(botId: string, page: PageRequest): Promise<Page<TradeFactEntity>> {
    return pageByTimeDesc(this.repo().createQueryBuilder('t').where('t.botId = :botId', { botId }), 'executedAt', page);
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<TradeFactEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('t').where('t.userId = :userId', { userId }),
      'executedAt',
      page,
    );
  }
}
