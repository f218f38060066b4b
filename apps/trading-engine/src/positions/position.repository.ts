import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, IsNull, Repository } from 'typeorm';
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

  /** Open positions of the given bots on one market (one read for every bot a market event concerns). */
  listOpenOfBots(botIds: readonly string[], exchange: string, symbol: string): Promise<PositionEntity[]> {
    if (botIds.length === 0) return Promise.resolve([]);
    return this.repo().find({ where: { botId: In([...botIds]), exchange, symbol, status: 'open' } });
  }

  /**
   * Moves an open position's trailing marks and its display mark in one autocommitted statement, without a lock:
   * the high-water mark only ever rises and the low-water mark only ever falls (GREATEST/LEAST skip a null), so
   * concurrent or repeated writes keep the most extreme price seen. The display mark is written only while the
   * size and entry it was computed from still hold.
   */
  async raiseTrailingMarks(
    mark: { id: string; highestPrice: string | null; lowestPrice: string | null; size: string; avgEntryPrice: string; currentPrice: string; unrealizedPnl: string },
    manager?: EntityManager,
  ): Promise<void> {
    await (manager ?? this.dataSource.manager).query(
      `UPDATE trading.positions
          SET highest_price = GREATEST(highest_price, $2::numeric),
              lowest_price = LEAST(lowest_price, $3::numeric),
              current_price = CASE WHEN size = $4::numeric AND avg_entry_price = $5::numeric THEN $6::numeric ELSE current_price END,
              unrealized_pnl = CASE WHEN size = $4::numeric AND avg_entry_price = $5::numeric THEN $7::numeric ELSE unrealized_pnl END,
              updated_at = now()
        WHERE id = $1 AND status = 'open'`,
      [mark.id, mark.highestPrice, mark.lowestPrice, mark.size, mark.avgEntryPrice, mark.currentPrice, mark.unrealizedPnl],
    );
  }

  /** Display marks of many open positions in one statement; a row whose size or entry changed since is left alone. */
  async writeDisplayMarks(marks: readonly { id: string; size: string; avgEntryPrice: string; currentPrice: string; unrealizedPnl: string }[]): Promise<number> {
    if (marks.length === 0) return 0;
    const [, affected] = (await this.dataSource.query(
      `UPDATE trading.positions p
          SET current_price = v.price, unrealized_pnl = v.upnl, updated_at = now()
         FROM unnest($1::uuid[], $2::numeric[], $3::numeric[], $4::numeric[], $5::numeric[]) AS v(id, size, avg, price, upnl)
        WHERE p.id = v.id AND p.status = 'open' AND p.size = v.size AND p.avg_entry_price = v.avg`,
      [marks.map((m) => m.id), marks.map((m) => m.size), marks.map((m) => m.avgEntryPrice), marks.map((m) => m.currentPrice), marks.map((m) => m.unrealizedPnl)],
    )) as [unknown, number];
    return affected;
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
