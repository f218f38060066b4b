import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { JsonObject } from '../database/json';
import { Page, PreparedStatement, TimeIdCursor, clampLimit, queryPrepared, toPage } from '@trading/database';
import { BotConfigurationEntity } from './bot-configuration.entity';
import { BotStateEntity } from './bot-state.entity';
import { BotEntity, BotStatus } from './bot.entity';

/** What a new bot needs; the optional settings take the table defaults. */
export type NewBot = Pick<BotEntity, 'userId' | 'strategyId' | 'name' | 'exchange' | 'symbol' | 'timeframe' | 'initialCapital'> &
  Partial<Omit<BotEntity, 'id' | 'userId' | 'strategyId' | 'name' | 'exchange' | 'symbol' | 'timeframe' | 'initialCapital' | 'createdAt' | 'updatedAt'>>;

/** Columns that make up a configuration snapshot (everything the user configures, not the runtime fields). */
const RUNTIME_FIELDS = new Set(['id', 'userId', 'status', 'currentEquity', 'lastHeartbeat', 'startedAt', 'stoppedAt', 'createdAt', 'updatedAt']);

export function configurationSnapshot(bot: BotEntity): JsonObject {
  return Object.fromEntries(Object.entries(bot).filter(([k]) => !RUNTIME_FIELDS.has(k)));
}

/** A running bot as candle evaluation needs it, locked together with its bot_state row. */
export interface LockedRunningBot {
  readonly id: string;
  readonly userId: string;
  readonly strategyId: string;
  /** null when the strategy row is missing (reported as the bot's error). */
  readonly strategyType: string | null;
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
  readonly strategyParams: JsonObject;
  readonly lastCandleTime: Date | null;
  readonly state: JsonObject;
}

interface LockedRunningBotRow {
  id: string;
  user_id: string;
  strategy_id: string;
  strategy_type: string | null;
  exchange: string;
  symbol: string;
  timeframe: string;
  strategy_params: JsonObject;
  last_candle_time: Date | null;
  state: JsonObject;
}

/** The market of a closed candle: which bots evaluate it. */
export interface CandleMarket {
  readonly exchange: string;
  readonly symbol: string;
  readonly timeframe: string;
}

/** The idempotency key of a consumed event in strategy.processed_events. */
export interface EventClaim {
  readonly consumerGroup: string;
  readonly eventId: string;
}

export interface LockedCandleMarket {
  /** The market's running bots, locked, in id order. */
  readonly bots: LockedRunningBot[];
  /** True when this call claimed the event: false for a redelivery, and when no bot runs. */
  readonly claimed: boolean;
}

const ANY_RUNNING_FOR_MARKET: PreparedStatement = {
  name: 'strategy.bots.any_running_for_market',
  text: `SELECT EXISTS (SELECT 1 FROM strategy.bots WHERE exchange = $1 AND symbol = $2 AND timeframe = $3 AND status = 'running') AS running`,
};

const LOCK_RUNNING_AND_CLAIM: PreparedStatement = {
  name: 'strategy.bots.lock_running_and_claim',
  text: `WITH running AS MATERIALIZED (
           SELECT b.id, b.user_id, b.strategy_id, st.strategy_type, b.exchange, b.symbol, b.timeframe, b.strategy_params, s.last_candle_time, s.state
             FROM strategy.bots b
             JOIN strategy.bot_state s ON s.bot_id = b.id
             LEFT JOIN strategy.strategies st ON st.id = b.strategy_id
            WHERE b.exchange = $1 AND b.symbol = $2 AND b.timeframe = $3 AND b.status = 'running'
            ORDER BY b.id
              FOR UPDATE OF b, s
         ),
         claim AS (
           INSERT INTO strategy.processed_events (consumer_group, event_id)
           SELECT $4::varchar, $5::uuid WHERE (SELECT count(*) FROM running) > 0
           ON CONFLICT DO NOTHING
           RETURNING 1
         )
    SELECT r.*, EXISTS (SELECT 1 FROM claim) AS claimed FROM running r ORDER BY r.id`,
};

/** A bot with its persisted state (null before its first evaluation). */
export interface BotWithState {
  readonly bot: BotEntity;
  readonly state: BotStateEntity | null;
}

@Injectable()
export class BotRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<BotEntity> {
    return (manager ?? this.dataSource.manager).getRepository(BotEntity);
  }

  /**
   * Creates the bot with its restart state and configuration version 1, in one transaction
   * (or in the caller's, e.g. together with an outbox event).
   */
  async create(input: NewBot, createdBy: string, manager?: EntityManager): Promise<BotEntity> {
    const run = async (m: EntityManager): Promise<BotEntity> => {
      const repo = m.getRepository(BotEntity);
      const bot = repo.create({ ...input, id: v7() });
      await repo.insert(bot);
      const stored = await repo.findOneByOrFail({ id: bot.id });
      await m.getRepository(BotStateEntity).insert({ botId: stored.id, status: stored.status });
      await m.getRepository(BotConfigurationEntity).insert({
        id: v7(),
        botId: stored.id,
        version: 1,
        config: configurationSnapshot(stored),
        changeReason: 'created',
        effectiveFrom: stored.createdAt,
        createdBy,
      });
      return stored;
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }

  findById(id: string, manager?: EntityManager): Promise<BotEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  /** Owner-scoped lookup: another user's bot id yields null. */
  findByIdForUser(id: string, userId: string): Promise<BotEntity | null> {
    return this.repo().findOneBy({ id, userId });
  }

  /** A user's bots, newest first, keyset-paginated by (created_at, id). */
  async listByUser(userId: string, options: { after?: TimeIdCursor; limit?: number; status?: BotStatus } = {}): Promise<Page<BotEntity>> {
    const limit = clampLimit(options.limit);
    const qb = this.repo()
      .createQueryBuilder('b')
      .where('b.user_id = :userId', { userId })
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit + 1);
    if (options.status) qb.andWhere('b.status = :status', { status: options.status });
    if (options.after) qb.andWhere('(b.created_at, b.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    return toPage(await qb.getMany(), limit, (b) => ({ time: b.createdAt, id: b.id }));
  }

  /**
   * Bots of one user, or of everyone (userId undefined, for admins), newest first; archived ones only when asked;
   * each with its bot_state row (one query: this is the dashboards' most frequent read).
   */
  async listPage(options: { userId?: string; after?: TimeIdCursor; limit?: number; status?: BotStatus; includeArchived?: boolean }): Promise<Page<BotWithState>> {
    const limit = clampLimit(options.limit);
    const qb = this.repo()
      .createQueryBuilder('b')
      .leftJoinAndMapOne('b.state', BotStateEntity, 's', 's.bot_id = b.id')
      .orderBy('b.created_at', 'DESC')
      .addOrderBy('b.id', 'DESC')
      .limit(limit + 1);
    if (options.userId) qb.andWhere('b.user_id = :userId', { userId: options.userId });
    if (options.status) qb.andWhere('b.status = :status', { status: options.status });
    else if (!options.includeArchived) qb.andWhere(`b.status <> 'archived'`);
    if (options.after) qb.andWhere('(b.created_at, b.id) < (:time, :id)', { time: options.after.time, id: options.after.id });
    const rows = (await qb.getMany()) as (BotEntity & { state?: BotStateEntity })[];
    const withState = rows.map(({ state, ...bot }) => ({ bot: Object.assign(new BotEntity(), bot), state: state ?? null }));
    return toPage(withState, limit, (row) => ({ time: row.bot.createdAt, id: row.bot.id }));
  }

  /** Locks the bot row for the rest of the caller's transaction (status changes, edits). */
  lockForUpdate(id: string, manager: EntityManager): Promise<BotEntity | null> {
    return manager.getRepository(BotEntity).createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :id', { id }).getOne();
  }

  /** Applies setting changes to a bot (the caller appends the configuration version in the same transaction). */
  async applySettings(id: string, changes: Partial<BotEntity>, at: Date, manager: EntityManager): Promise<BotEntity> {
    await manager.getRepository(BotEntity).update({ id }, { ...changes, updatedAt: at });
    return manager.getRepository(BotEntity).findOneByOrFail({ id });
  }

  /** Running bots trading a market on a timeframe: who must evaluate a closed candle. */
  listRunningForMarket(exchange: string, symbol: string, timeframe: string): Promise<BotEntity[]> {
    return this.repo().find({ where: { exchange, symbol, timeframe, status: 'running' }, order: { id: 'ASC' } });
  }

  /** Whether any bot runs on the market (no lock): lets a candle of a market without bots skip the transaction. */
  async hasRunningForMarket(market: CandleMarket): Promise<boolean> {
    const rows = await queryPrepared<{ running: boolean }>(this.dataSource, ANY_RUNNING_FOR_MARKET, [market.exchange, market.symbol, market.timeframe]);
    return rows[0]?.running === true;
  }

  /**
   * Locks every running bot of a market and its bot_state row (bots row, then state row, in id order)
   * for the rest of the caller's transaction, returns them with their strategy type and, once they are
   * all locked, claims the candle event in processed_events (runIdempotent's key) if there is any: one
   * statement, one round trip. Rows are locked in the sorted order, so writers of one market serialize
   * per bot without deadlocks; a bot stopped (or decided) by a writer we waited for is re-read at its
   * newest version, and left out once it no longer runs. A bot without a bot_state row is not evaluated.
   * `claimed` is false when the event was claimed before (a redelivery: nothing to do) and when no bot
   * runs (nothing claimed). The claim counts the locked rows first, so it never happens before every row is
   * locked; a concurrent delivery of the same event waits on the bots' locks, then finds the first one's claim.
   */
  async lockRunningForCandle(market: CandleMarket, claim: EventClaim, manager: EntityManager): Promise<LockedCandleMarket> {
    const rows = await queryPrepared<LockedRunningBotRow & { claimed: boolean }>(manager, LOCK_RUNNING_AND_CLAIM, [
      market.exchange,
      market.symbol,
      market.timeframe,
      claim.consumerGroup,
      claim.eventId,
    ]);
    return {
      bots: rows.map((r) => ({
        id: r.id,
        userId: r.user_id,
        strategyId: r.strategy_id,
        strategyType: r.strategy_type,
        exchange: r.exchange,
        symbol: r.symbol,
        timeframe: r.timeframe,
        strategyParams: r.strategy_params,
        lastCandleTime: r.last_candle_time,
        state: r.state,
      })),
      claimed: rows.length > 0 && rows[0].claimed,
    };
  }

  /** Every running bot (restart recovery). */
  listRunning(): Promise<BotEntity[]> {
    return this.repo().find({ where: { status: 'running' }, order: { id: 'ASC' } });
  }

  /** Moves a bot to `status` and keeps started_at/stopped_at and its state row in step. */
  async setStatus(id: string, status: BotStatus, at: Date, manager?: EntityManager): Promise<void> {
    const run = async (m: EntityManager): Promise<void> => {
      const times = status === 'running' ? { startedAt: at } : status === 'stopped' || status === 'archived' ? { stoppedAt: at } : {};
      await m.getRepository(BotEntity).update({ id }, { status, ...times, updatedAt: at });
      await m.getRepository(BotStateEntity).update({ botId: id }, { status, updatedAt: at });
    };
    await (manager ? run(manager) : this.dataSource.transaction(run));
  }

  async heartbeat(id: string, at: Date, currentEquity?: string): Promise<void> {
    await this.repo().update({ id }, { lastHeartbeat: at, ...(currentEquity !== undefined ? { currentEquity } : {}) });
  }
}
