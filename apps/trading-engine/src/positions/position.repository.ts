import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { PositionEntity } from './position.entity';

type RequiredPositionFields = 'userId' | 'exchange' | 'symbol' | 'side' | 'size' | 'avgEntryPrice';
export type NewPosition = Pick<PositionEntity, RequiredPositionFields> &
  Partial<Omit<PositionEntity, RequiredPositionFields | 'id' | 'createdAt' | 'updatedAt'>>;
export type PositionChanges = Partial<
  Omit<PositionEntity, 'id' | 'userId' | 'botId' | 'exchange' | 'symbol' | 'createdAt'>
>;

export interface PositionKey {
  readonly userId: string;
  readonly botId: string | null;
  readonly exchange: string;
  readonly symbol: string;
}

@Injectable()
export class PositionRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<PositionEntity> {
    return (manager ?? this.dataSource.manager).getRepository(PositionEntity);
  }

  /** Opens a position; a second open one for the same bot and symbol is refused by uq_positions_open. */
  async create(input: NewPosition, manager?: EntityManager): Promise<PositionEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const position = repo.create({ openedAt: now, ...input, id: v7(), createdAt: now, updatedAt: now });
    await repo.insert(position);
    return repo.findOneByOrFail({ id: position.id });
  }

  async update(id: string, changes: PositionChanges, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }

  findById(id: string, manager?: EntityManager): Promise<PositionEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /** The open position of a bot (or of a user's manual trading) on a symbol, locked for update when in a transaction. */
  findOpen(key: PositionKey, manager?: EntityManager): Promise<PositionEntity | null> {
    return this.repo(manager).findOne({
      where: {
        userId: key.userId,
        botId: key.botId ?? IsNull(),
        exchange: key.exchange,
        symbol: key.symbol,
        status: 'open',
      },
      ...(manager?.queryRunner?.isTransactionActive ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  listOpenByBot(botId: string): Promise<PositionEntity[]> {
    return this.repo().find({ where: { botId, status: 'open' }, order: { openedAt: 'ASC', id: 'ASC' } });
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<PositionEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('p').where('p.userId = :userId', { userId }),
      'openedAt',
      page,
    );
  }

  /** Newest first; owner and bot filters optional (an admin lists everyone's). */
  list(filter: { userId?: string; botId?: string; status?: 'open' | 'closed' }, page: PageRequest): Promise<Page<PositionEntity>> {
    const qb = this.repo().createQueryBuilder('p');
    if (filter.userId) qb.andWhere('p.userId = :userId', { userId: filter.userId });
    if (filter.botId) qb.andWhere('p.botId = :botId', { botId: filter.botId });
    if (filter.status) qb.andWhere(`p.status ${filter.status === 'open' ? '=' : '<>'} 'open'`);
    return pageByTimeDesc(qb, 'openedAt', page);
  }
}
