import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { BalanceEntity } from './balance.entity';

export interface BalanceAmounts {
  readonly botId: string;
  readonly userId: string;
  readonly currency: string;
  readonly free: string;
  readonly locked: string;
}

/** Current balances per bot and currency (trading.balances). */
@Injectable()
export class BalanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<BalanceEntity> {
    return (manager ?? this.dataSource.manager).getRepository(BalanceEntity);
  }

  /** Sets the balance of one currency (insert or overwrite); negative amounts are refused by valid_balance. */
  async set(amounts: BalanceAmounts, manager?: EntityManager): Promise<BalanceEntity> {
    const repo = this.repo(manager);
    await repo.upsert(
      { ...amounts, updatedAt: new Date() },
      { conflictPaths: ['botId', 'currency'], skipUpdateIfNoValuesChanged: false },
    );
    return repo.findOneByOrFail({ botId: amounts.botId, currency: amounts.currency });
  }

  /** Like `set`, for several currencies in one statement, without reading them back. */
  async setAll(rows: readonly BalanceAmounts[], manager?: EntityManager): Promise<void> {
    if (rows.length === 0) return;
    const now = new Date();
    await this.repo(manager).upsert(
      rows.map((r) => ({ ...r, updatedAt: now })),
      { conflictPaths: ['botId', 'currency'], skipUpdateIfNoValuesChanged: false },
    );
  }

  find(botId: string, currency: string, manager?: EntityManager): Promise<BalanceEntity | null> {
    return this.repo(manager).findOneBy({ botId, currency });
  }

  listByBot(botId: string): Promise<BalanceEntity[]> {
    return this.repo().find({ where: { botId }, order: { currency: 'ASC' } });
  }

  listByUser(userId: string): Promise<BalanceEntity[]> {
    return this.repo().find({ where: { userId }, order: { botId: 'ASC', currency: 'ASC' } });
  }

  listAll(): Promise<BalanceEntity[]> {
    return this.repo().find({ order: { botId: 'ASC', currency: 'ASC' } });
  }
}
