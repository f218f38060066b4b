import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Page, TimeIdCursor, clampLimit, toPage } from '@trading/database';
import { SignalEntity, SignalOutcome } from './signal.entity';

/** A signal as the strategy produced it; the id is deterministic (computed by the caller). */
export type NewSignal = Pick<
  SignalEntity,
  'id' | 'botId' | 'userId' | 'strategy' | 'exchange' | 'symbol' | 'timeframe' | 'candleTime' | 'signalType' | 'target' | 'price'
> &
  Partial<Omit<SignalEntity, 'executed' | 'executionTime' | 'executionOrderId' | 'outcome' | 'outcomePnl' | 'createdAt'>>;

@Injectable()
export class SignalRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Records a signal once: a second attempt for the same id or the same (bot, candle, target) is ignored.
   * Returns true when this call stored it (only then publish it).
   */
  async insertIfAbsent(signal: NewSignal, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(SignalEntity)
      .createQueryBuilder()
      .insert()
      .values(signal)
      .orIgnore()
      .returning(['id'])
      .updateEntity(false)
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  findById(id: string): Promise<SignalEntity | null> {
    return this.dataSource.getRepository(SignalEntity).findOneBy({ id });
  }

  /** A bot's signals, newest candle first, keyset-paginated by (candle_time, id). */
  async listByBot(botId: string, options: { after?: TimeIdCursor; limit?: number } = {}): Promise<Page<SignalEntity>> {
    const limit = clampLimit(options.limit);
    const qb = this.dataSource
      .getRepository(SignalEntity)
      .createQueryBuilder('s')
      .where('s.bot_id = :botId', { botId })
      .orderBy('s.candle_time', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit + 1);
    if (options.after) qb.andWhere('(s.candle_time, s.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    return toPage(await qb.getMany(), limit, (s) => ({ time: s.candleTime, id: s.id }));
  }

  /** A user's signals across bots, newest first, keyset-paginated by (created_at, id). */
  async listByUser(userId: string, options: { after?: TimeIdCursor; limit?: number } = {}): Promise<Page<SignalEntity>> {
    const limit = clampLimit(options.limit);
    const qb = this.dataSource
      .getRepository(SignalEntity)
      .createQueryBuilder('s')
      .where('s.user_id = :userId', { userId })
      .orderBy('s.created_at', 'DESC')
      .addOrderBy('s.id', 'DESC')
      .limit(limit + 1);
    if (options.after) qb.andWhere('(s.created_at, s.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    return toPage(await qb.getMany(), limit, (s) => ({ time: s.createdAt, id: s.id }));
  }

  /** Every user's signals, newest first (admins). */
  async listAll(options: { after?: TimeIdCursor; limit?: number } = {}): Promise<Page<SignalEntity>> {
    const limit = clampLimit(options.limit);
    const qb = this.dataSource.getRepository(SignalEntity).createQueryBuilder('s').orderBy('s.created_at', 'DESC').addOrderBy('s.id', 'DESC').limit(limit + 1);
    if (options.after) qb.andWhere('(s.created_at, s.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    return toPage(await qb.getMany(), limit, (s) => ({ time: s.createdAt, id: s.id }));
  }

  /** Marks a signal executed by an order; false if it was rejected or already executed. */
  async markExecuted(id: string, executionOrderId: string, at: Date, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await manager
      .getRepository(SignalEntity)
      .createQueryBuilder()
      .update()
      .set({ executed: true, executionOrderId, executionTime: at })
      .where('id = :id AND NOT executed AND NOT rejected', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async markRejected(id: string, reason: string, reasonCodes: string[] = []): Promise<boolean> {
    const result = await this.dataSource
      .getRepository(SignalEntity)
      .createQueryBuilder()
      .update()
      .set({ rejected: true, rejectionReason: reason, reasonCodes: () => `array_cat(reason_codes, CAST(:codes AS text[]))`, outcome: 'not_executed' })
      .setParameter('codes', reasonCodes)
      .where('id = :id AND NOT executed', { id })
      .execute();
    return (result.affected ?? 0) > 0;
  }

  async recordOutcome(id: string, outcome: SignalOutcome, outcomePnl: string | null): Promise<void> {
    await this.dataSource.getRepository(SignalEntity).update({ id }, { outcome, outcomePnl });
  }
}
