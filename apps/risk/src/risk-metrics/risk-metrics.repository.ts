import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { RiskMetricsEntity } from './risk-metrics.entity';

type RequiredMetricFields = 'botId' | 'userId' | 'date' | 'startingEquity' | 'endingEquity';
export type DailyRiskMetrics = Pick<RiskMetricsEntity, RequiredMetricFields> &
  Partial<Omit<RiskMetricsEntity, RequiredMetricFields | 'id' | 'createdAt' | 'calculatedAt'>>;

@Injectable()
export class RiskMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<RiskMetricsEntity> {
    return (manager ?? this.dataSource.manager).getRepository(RiskMetricsEntity);
  }

  /** Writes a bot's metrics for a day, replacing an earlier calculation of the same day (unique_bot_date). */
  async upsertDaily(metrics: DailyRiskMetrics, manager?: EntityManager): Promise<RiskMetricsEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const kept = ['id', 'bot_id', 'date', 'created_at'];
    const overwritten = repo.metadata.columns.map((c) => c.databaseName).filter((name) => !kept.includes(name));
    await repo
      .createQueryBuilder()
      .insert()
      .values({ ...metrics, id: v7(), createdAt: now, calculatedAt: now })
      .orUpdate(overwritten, ['bot_id', 'date'])
      .updateEntity(false)
      .execute();
    return repo.findOneByOrFail({ botId: metrics.botId, date: metrics.date });
  }

  find(botId: string, date: string, manager?: EntityManager): Promise<RiskMetricsEntity | null> {
    return this.repo(manager).findOneBy({ botId, date });
  }

  /** Days from..to inclusive (YYYY-MM-DD), oldest first. */
  listByBot(botId: string, from: string, to: string): Promise<RiskMetricsEntity[]> {
    return this.repo().find({ where: { botId, date: Between(from, to) }, order: { date: 'ASC' } });
  }
}
