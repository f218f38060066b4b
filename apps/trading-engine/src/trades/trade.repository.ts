import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { TradeEntity } from './trade.entity';

type RequiredTradeFields =
  | 'tradeId'
  | 'orderId'
  | 'userId'
  | 'exchange'
  | 'symbol'
  | 'side'
  | 'price'
  | 'quantity'
  | 'quoteQuantity'
  | 'executedAt';
export type NewTrade = Pick<TradeEntity, RequiredTradeFields> &
  Partial<Omit<TradeEntity, RequiredTradeFields | 'id' | 'createdAt' | 'order'>>;

@Injectable()
export class TradeRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<TradeEntity> {
    return (manager ?? this.dataSource.manager).getRepository(TradeEntity);
  }

  /**
   * Books a fill once: a fill seen again (same exchange trade id, e.g. after a reconnect) is ignored.
   * Returns the stored trade and whether this call inserted it.
   */
  async record(input: NewTrade, manager?: EntityManager): Promise<{ trade: TradeEntity; inserted: boolean }> {
    const repo = this.repo(manager);
    const trade = repo.create({ ...input, id: v7(), createdAt: new Date() });
    await repo.createQueryBuilder().insert().values(trade).orIgnore().updateEntity(false).execute();
    const stored = await repo.findOneByOrFail({ tradeId: input.tradeId });
    return { trade: stored, inserted: stored.id === trade.id };
  }

  findById(id: string): Promise<TradeEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findByTradeId(tradeId: string): Promise<TradeEntity | null> {
    return this.repo().findOneBy({ tradeId });
  }

  listByOrder(orderId: string, manager?: EntityManager): Promise<TradeEntity[]> {
    return this.repo(manager).find({ where: { orderId }, order: { executedAt: 'ASC', id: 'ASC' } });
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<TradeEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('t').where('t.userId = :userId', { userId }),
      'executedAt',
      page,
    );
  }

  listByBot(botId: string, page: PageRequest): Promise<Page<TradeEntity>> {
    return pageByTimeDesc(this.repo().createQueryBuilder('t').where('t.botId = :botId', { botId }), 'executedAt', page);
  }

  /** Newest first; owner and bot filters optional (an admin lists everyone's). */
  list(filter: { userId?: string; botId?: string }, page: PageRequest): Promise<Page<TradeEntity>> {
    const qb = this.repo().createQueryBuilder('t');
    if (filter.userId) qb.andWhere('t.userId = :userId', { userId: filter.userId });
    if (filter.botId) qb.andWhere('t.botId = :botId', { botId: filter.botId });
    return pageByTimeDesc(qb, 'executedAt', page);
  }
}
