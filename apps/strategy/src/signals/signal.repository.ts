import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Page, PreparedStatement, TimeIdCursor, clampLimit, queryPrepared, toPage } from '@trading/database';
import { SignalEntity, SignalOutcome } from './signal.entity';

/** A signal as the strategy produced it; the id is deterministic (computed by the caller). */
export type NewSignal = Pick<
  SignalEntity,
  'id' | 'botId' | 'userId' | 'strategy' | 'exchange' | 'symbol' | 'timeframe' | 'candleTime' | 'signalType' | 'target' | 'price'
> &
  Partial<Omit<SignalEntity, 'executed' | 'executionTime' | 'executionOrderId' | 'outcome' | 'outcomePnl' | 'createdAt'>>;

/** A signal as candle evaluation records it: every other column takes its default. */
export type EvaluatedSignal = Pick<
  SignalEntity,
  'id' | 'botId' | 'userId' | 'strategy' | 'exchange' | 'symbol' | 'timeframe' | 'candleTime' | 'signalType' | 'target' | 'price' | 'indicators' | 'passedFilters' | 'notes'
>;

const INSERT_EVALUATED_SIGNALS: PreparedStatement = {
  name: 'strategy.signals.insert_evaluated',
  text: `INSERT INTO strategy.signals (id, bot_id, user_id, strategy, exchange, symbol, timeframe, candle_time, signal_type, target, price, indicators, passed_filters, notes)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[], $10::text[], $11::numeric[], $12::jsonb[], $13::jsonb[], $14::text[])
    ON CONFLICT DO NOTHING
    RETURNING id`,
};

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

  /**
   * insertIfAbsent for several signals in one statement (a candle's signals, inside its transaction).
   * Returns the ids this call stored (only those are published); the others existed already.
   */
  async insertManyIfAbsent(signals: readonly EvaluatedSignal[], manager: EntityManager): Promise<Set<string>> {
    if (signals.length === 0) return new Set();
    const column = <K extends keyof EvaluatedSignal>(key: K) => signals.map((s) => s[key]);
    const json = (key: 'indicators' | 'passedFilters') => signals.map((s) => (s[key] === null ? null : JSON.stringify(s[key])));
    const rows = await queryPrepared<{ id: string }>(manager, INSERT_EVALUATED_SIGNALS, [
      column('id'),
      column('botId'),
      column('userId'),
      column('strategy'),
      column('exchange'),
      column('symbol'),
      column('timeframe'),
      signals.map((s) => s.candleTime.toISOString()),
      column('signalType'),
      column('target'),
      column('price'),
      json('indicators'),
      json('passedFilters'),
      column('notes'),
    ]);
    return new Set(rows.map((r) => r.id));
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
