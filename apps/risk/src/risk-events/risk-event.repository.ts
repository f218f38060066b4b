import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import type { RiskScope } from '../limits/risk-limit.entity';
import { RiskEventEntity } from './risk-event.entity';

type RequiredEventFields = 'scope' | 'riskType' | 'currentValue' | 'limitValue' | 'severity' | 'actionTaken';
export type NewRiskEvent = Pick<RiskEventEntity, RequiredEventFields> &
  Partial<
    Omit<
      RiskEventEntity,
      RequiredEventFields | 'id' | 'createdAt' | 'limit' | 'resolved' | 'resolvedAt' | 'resolutionNotes'
    >
  >;

@Injectable()
export class RiskEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<RiskEventEntity> {
    return (manager ?? this.dataSource.manager).getRepository(RiskEventEntity);
  }

  async record(input: NewRiskEvent, manager?: EntityManager): Promise<RiskEventEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const event = repo.create({ eventTime: now, ...input, id: v7(), createdAt: now });
    await repo.insert(event);
    return repo.findOneByOrFail({ id: event.id });
  }

  /** Records a crossing unless one with the same crossing_key is recorded (by any instance); null then. */
  async recordCrossing(input: NewRiskEvent & { crossingKey: string }, manager: EntityManager): Promise<RiskEventEntity | null> {
    const repo = this.repo(manager);
    const now = new Date();
    const event = repo.create({ eventTime: now, ...input, id: v7(), createdAt: now });
    await repo.createQueryBuilder().insert().values(event).orIgnore().execute();
    return repo.findOneBy({ id: event.id });
  }

  /** A scope set back to ACTIVE: its crossings may be reported again (keys `<limit>:<scope>:<id>:...`; global: all). */
  async rearm(scope: RiskScope, scopeId: string | null, manager: EntityManager): Promise<void> {
    const pattern = scope === 'global' ? '%' : `%:${scope}:${scopeId}:%`;
    await manager.query(`UPDATE risk.risk_events SET crossing_key = NULL WHERE crossing_key LIKE $1`, [pattern]);
  }

  async resolve(id: string, notes: string | null, at: Date = new Date()): Promise<boolean> {
    const result = await this.repo().update(
      { id, resolved: false },
      { resolved: true, resolvedAt: at, resolutionNotes: notes },
    );
    return (result.affected ?? 0) > 0;
  }

  findById(id: string): Promise<RiskEventEntity | null> {
    return this.repo().findOneBy({ id });
  }

  listUnresolved(): Promise<RiskEventEntity[]> {
    return this.repo().find({ where: { resolved: false }, order: { eventTime: 'DESC', id: 'DESC' } });
  }

  listByBot(botId: string, page: PageRequest): Promise<Page<RiskEventEntity>> {
    return pageByTimeDesc(this.repo().createQueryBuilder('e').where('e.botId = :botId', { botId }), 'eventTime', page);
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<RiskEventEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('e').where('e.userId = :userId', { userId }),
      'eventTime',
      page,
    );
  }
}
