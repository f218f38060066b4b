import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { insertOnce } from '../database/insert-once';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { PortfolioSnapshotEntity } from './portfolio-snapshot.entity';

type RequiredSnapshotFields = 'userId' | 'timestamp' | 'totalEquity' | 'totalBalance';
export type NewPortfolioSnapshot = Pick<PortfolioSnapshotEntity, RequiredSnapshotFields> &
  Partial<Omit<PortfolioSnapshotEntity, RequiredSnapshotFields | 'id' | 'createdAt'>>;

@Injectable()
export class PortfolioSnapshotRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<PortfolioSnapshotEntity> {
    return (manager ?? this.dataSource.manager).getRepository(PortfolioSnapshotEntity);
  }

  /** Stores a snapshot; a second one for the same user, bot and instant is ignored (returns false). */
  record(snapshot: NewPortfolioSnapshot, manager?: EntityManager): Promise<boolean> {
    return insertOnce(this.repo(manager), { ...snapshot, id: v7(), createdAt: new Date() });
  }

  /** The newest user-wide snapshot (botId null) or the newest of one bot. */
  latest(userId: string, botId: string | null = null): Promise<PortfolioSnapshotEntity | null> {
    return this.repo().findOne({
      where: { userId, botId: botId ?? IsNull() },
      order: { timestamp: 'DESC', id: 'DESC' },
    });
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<PortfolioSnapshotEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('s').where('s.userId = :userId', { userId }),
      'timestamp',
      page,
    );
  }
}
