import { Injectable } from '@nestjs/common';
import { PreparedStatement, queryPrepared } from '@trading/database';
import { DataSource, EntityManager } from 'typeorm';
import { BotStateEntity } from './bot-state.entity';

/** What one candle's evaluation leaves in a bot's state: its target, and the error if it failed. */
export interface BotCandleDecision {
  readonly botId: string;
  readonly target: string;
  readonly errorMessage: string | null;
}

export type BotStateChanges = Partial<Omit<BotStateEntity, 'botId' | 'revision' | 'updatedAt'>>;

const RECORD_CANDLE_DECISIONS: PreparedStatement = {
  name: 'strategy.bot_state.record_candle_decisions',
  text: `WITH decided (bot_id, error_message, target) AS (
           SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[])
         ),
         states AS (
           UPDATE strategy.bot_state s
              SET last_candle_time = $4, last_run_at = $5, last_error_message = d.error_message,
                  state = s.state || jsonb_build_object('target', d.target), revision = s.revision + 1, updated_at = $5
             FROM decided d
            WHERE s.bot_id = d.bot_id
         )
    UPDATE strategy.bots b SET last_heartbeat = $5 FROM decided d WHERE b.id = d.bot_id`,
};

@Injectable()
export class BotStateRepository {
  constructor(private readonly dataSource: DataSource) {}

  get(botId: string): Promise<BotStateEntity | null> {
    return this.dataSource.getRepository(BotStateEntity).findOneBy({ botId });
  }

  /** A (re)started bot decides from the next candle on: it does not catch up on candles it missed while not running. */
  async forgetLastCandle(botId: string, manager: EntityManager): Promise<void> {
    await manager.getRepository(BotStateEntity).update({ botId }, { lastCandleTime: null, updatedAt: new Date() });
  }

  /**
   * Records a candle decided for several bots in one statement: each bot_state row gets the candle,
   * the run time, the bot's error (or none) and its target, with a revision bump; each bots row gets
   * `at` as heartbeat. The caller holds the rows' locks (see BotRepository.lockRunningForCandle).
   */
  async recordCandleDecisions(candleTime: Date, at: Date, decisions: readonly BotCandleDecision[], manager: EntityManager): Promise<void> {
    if (decisions.length === 0) return;
    await queryPrepared(manager, RECORD_CANDLE_DECISIONS, [
      decisions.map((d) => d.botId),
      decisions.map((d) => d.errorMessage),
      decisions.map((d) => d.target),
      candleTime,
      at,
    ]);
  }

  /**
   * Compare-and-set: applies `changes` only if the row is still at `expectedRevision`, and bumps the revision.
   * Returns the new state, or null when another writer got there first (reload and retry).
   */
  async save(botId: string, expectedRevision: number, changes: BotStateChanges, manager: EntityManager = this.dataSource.manager): Promise<BotStateEntity | null> {
    const result = await manager
      .getRepository(BotStateEntity)
      .createQueryBuilder()
      .update()
      .set({ ...changes, revision: () => 'revision + 1', updatedAt: () => 'now()' })
      .where('bot_id = :botId AND revision = :expectedRevision', { botId, expectedRevision })
      .execute();
    if (!result.affected) return null;
    return manager.getRepository(BotStateEntity).findOneBy({ botId });
  }
}
