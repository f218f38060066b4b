import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { AccountBalanceEntity } from './account-balance.entity';

type RequiredSnapshotFields = 'botId' | 'userId' | 'currency' | 'totalBalance' | 'availableBalance' | 'equity';
export type NewBalanceSnapshot = Pick<AccountBalanceEntity, RequiredSnapshotFields> &
  Partial<Omit<AccountBalanceEntity, RequiredSnapshotFields | 'id' | 'createdAt'>>;

/** Balance history (trading.account_balance), append-only. */
@Injectable()
export class AccountBalanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<AccountBalanceEntity> {
    return (manager ?? this.dataSource.manager).getRepository(AccountBalanceEntity);
  }

  async record(input: NewBalanceSnapshot, manager?: EntityManager): Promise<AccountBalanceEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const snapshot = repo.create({ timestamp: now, ...input, id: v7(), createdAt: now });
    await repo.insert(snapshot);
    return repo.findOneByOrFail({ id: snapshot.id });
  }

  /** Appends a point without reading it back. */
  async append(input: NewBalanceSnapshot, manager?: EntityManager): Promise<void> {
    const now = new Date();
    await this.repo(manager).insert({ timestamp: now, ...input, id: v7(), createdAt: now });
  }

  latest(botId: string, currency: string): Promise<AccountBalanceEntity | null> {
    return this.repo().findOne({ where: { botId, currency }, order: { timestamp: 'DESC', id: 'DESC' } });
  }

  listByBot(botId: string, page: PageRequest): Promise<Page<AccountBalanceEntity>> {
    return pageByTimeDesc(this.repo().createQueryBuilder('b').where('b.botId = :botId', { botId }), 'timestamp', page);
  }
}
