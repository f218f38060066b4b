import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { BotStateEntity } from './bot-state.entity';

export type BotStateChanges = Partial<Omit<BotStateEntity, 'botId' | 'revision' | 'updatedAt'>>;

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
