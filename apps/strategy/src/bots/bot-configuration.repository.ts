import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { v7 } from 'uuid';
import { JsonObject } from '../database/json';
import { BotConfigurationEntity } from './bot-configuration.entity';
import { BotEntity } from './bot.entity';

@Injectable()
export class BotConfigurationRepository {
  constructor(private readonly dataSource: DataSource) {}

  current(botId: string): Promise<BotConfigurationEntity | null> {
    return this.dataSource.getRepository(BotConfigurationEntity).findOneBy({ botId, effectiveUntil: IsNull() });
  }

  /** The version in effect at `at` (what configuration produced a past signal). */
  effectiveAt(botId: string, at: Date): Promise<BotConfigurationEntity | null> {
    return this.dataSource
      .getRepository(BotConfigurationEntity)
      .createQueryBuilder('c')
      .where('c.bot_id = :botId AND c.effective_from <= :at AND (c.effective_until IS NULL OR c.effective_until > :at)', { botId, at })
      .getOne();
  }

  history(botId: string): Promise<BotConfigurationEntity[]> {
    return this.dataSource.getRepository(BotConfigurationEntity).find({ where: { botId }, order: { version: 'DESC' } });
  }

  /**
   * Closes the current version at `at` and opens the next one with `config`. The bot row is locked so
   * concurrent edits get consecutive versions instead of failing.
   */
  async append(botId: string, config: JsonObject, input: { changeReason?: string; createdBy: string; at: Date }, manager?: EntityManager): Promise<BotConfigurationEntity> {
    const run = async (m: EntityManager): Promise<BotConfigurationEntity> => {
      await m.getRepository(BotEntity).createQueryBuilder('b').setLock('pessimistic_write').where('b.id = :botId', { botId }).getOneOrFail();
      const repo = m.getRepository(BotConfigurationEntity);
      const current = await repo.findOneBy({ botId, effectiveUntil: IsNull() });
      if (current) await repo.update({ id: current.id }, { effectiveUntil: input.at });
      const row = repo.create({
        id: v7(),
        botId,
        version: (current?.version ?? 0) + 1,
        config,
        changeReason: input.changeReason ?? null,
        effectiveFrom: input.at,
        createdBy: input.createdBy,
      });
      await repo.insert(row);
      return repo.findOneByOrFail({ id: row.id });
    };
    return manager ? run(manager) : this.dataSource.transaction(run);
  }
}
