import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { PerformanceMetricsEntity, PerformancePeriod } from './performance-metrics.entity';

type RequiredMetricFields = 'userId' | 'period' | 'periodStart' | 'periodEnd';
export type PerformanceMetrics = Pick<PerformanceMetricsEntity, RequiredMetricFields> &
  Partial<Omit<PerformanceMetricsEntity, RequiredMetricFields | 'id' | 'createdAt' | 'updatedAt'>>;

export interface PerformanceKey {
  readonly userId: string;
  readonly botId: string | null;
  readonly strategy: string | null;
  readonly period: PerformancePeriod;
  readonly periodStart: string;
}

@Injectable()
export class PerformanceMetricsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<PerformanceMetricsEntity> {
    return (manager ?? this.dataSource.manager).getRepository(PerformanceMetricsEntity);
  }

  /** Writes the metrics of one (user, bot, strategy, period, start), replacing an earlier calculation. */
  async upsert(metrics: PerformanceMetrics, manager?: EntityManager): Promise<PerformanceMetricsEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const kept = ['id', 'user_id', 'bot_id', 'strategy', 'period', 'period_start', 'created_at'];
    const overwritten = repo.metadata.columns.map((c) => c.databaseName).filter((name) => !kept.includes(name));
    await repo
      .createQueryBuilder()
      .insert()
      .values({ botId: null, strategy: null, ...metrics, id: v7(), createdAt: now, updatedAt: now })
      .orUpdate(overwritten, 'uq_performance_metrics_period')
      .updateEntity(false)
      .execute();
    const stored = await this.find(
      {
        userId: metrics.userId,
        botId: metrics.botId ?? null,
        strategy: metrics.strategy ?? null,
        period: metrics.period,
        periodStart: metrics.periodStart,
      },
      manager,
    );
    if (!stored) throw new Error('performance metrics vanished after upsert');
    return stored;
  }

  find(key: PerformanceKey, manager?: EntityManager): Promise<PerformanceMetricsEntity | null> {
    return this.repo(manager).findOneBy({
      userId: key.userId,
      botId: key.botId ?? IsNull(),
      strategy: key.strategy ?? IsNull(),
      period: key.period,
      periodStart: key.periodStart,
    });
  }

  listByBot(botId: string, period: PerformancePeriod): Promise<PerformanceMetricsEntity[]> {
    return this.repo().find({ where: { botId, period }, order: { periodStart: 'DESC' } });
  }
}
