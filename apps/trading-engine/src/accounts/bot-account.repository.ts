import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { BotAccountEntity } from './bot-account.entity';

export type NewBotAccount = Pick<
  BotAccountEntity,
  'botId' | 'userId' | 'mode' | 'marketType' | 'exchange' | 'quoteCurrency' | 'initialCapital' | 'cash'
> &
  Partial<Pick<BotAccountEntity, 'status' | 'paperSnapshot'>>;

@Injectable()
export class BotAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<BotAccountEntity> {
    return (manager ?? this.dataSource.manager).getRepository(BotAccountEntity);
  }

  /** Creates the account unless it exists; returns the stored one, locked when inside a transaction. */
  async ensure(input: NewBotAccount, manager: EntityManager): Promise<BotAccountEntity> {
    const existing = await this.repo(manager).findOne({ where: { botId: input.botId }, lock: { mode: 'pessimistic_write' } });
    if (existing) return existing;
    const now = new Date();
    await this.repo(manager)
      .createQueryBuilder()
      .insert()
      .values({ status: 'running', paperSnapshot: null, ...input, createdAt: now, updatedAt: now })
      .orIgnore()
      .updateEntity(false)
      .execute();
    return this.repo(manager).findOneOrFail({ where: { botId: input.botId }, lock: { mode: 'pessimistic_write' } });
  }

  /** The account locked for the rest of the caller's transaction. */
  lock(botId: string, manager: EntityManager): Promise<BotAccountEntity> {
    return this.repo(manager).findOneOrFail({ where: { botId }, lock: { mode: 'pessimistic_write' } });
  }

  find(botId: string, manager?: EntityManager): Promise<BotAccountEntity | null> {
    return this.repo(manager).findOneBy({ botId });
  }

  async update(botId: string, changes: Partial<Omit<BotAccountEntity, 'botId' | 'createdAt'>>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ botId }, { ...changes, updatedAt: new Date() });
  }

  /** Records a status from BotStatusChanged; a bot the engine has not traded yet gets a row when it first trades. */
  async setStatus(botId: string, status: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ botId }, { status, updatedAt: new Date() });
  }

  listAll(): Promise<BotAccountEntity[]> {
    return this.repo().find({ order: { botId: 'ASC' } });
  }
}
