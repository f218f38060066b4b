import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { insertOnce } from '../database/insert-once';
import { RiskEventFactEntity } from './risk-event-fact.entity';

export type NewRiskEventFact = Omit<RiskEventFactEntity, 'resolved' | 'resolvedAt' | 'createdAt'>;

@Injectable()
export class RiskEventFactRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<RiskEventFactEntity> {
    return (manager ?? this.dataSource.manager).getRepository(RiskEventFactEntity);
  }

  /** Stores a RiskLimitBreached once (id = breach id). */
  record(fact: NewRiskEventFact, manager?: EntityManager): Promise<boolean> {
    return insertOnce(this.repo(manager), { ...fact, createdAt: new Date() });
  }

  async resolve(id: string, at: Date, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id, resolved: false }, { resolved: true, resolvedAt: at });
  }

  find(id: string): Promise<RiskEventFactEntity | null> {
    return this.repo().findOneBy({ id });
  }
}
