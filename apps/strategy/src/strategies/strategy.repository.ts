import { Injectable } from '@nestjs/common';
import { Brackets, DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { JsonObject } from '../database/json';
import { StrategyEntity } from './strategy.entity';

export interface NewStrategy {
  /** null for a built-in strategy. */
  userId: string | null;
  name: string;
  strategyType: string;
  description?: string | null;
  parameters?: JsonObject;
  riskSettings?: JsonObject;
  isActive?: boolean;
}

@Injectable()
export class StrategyRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<StrategyEntity> {
    return (manager ?? this.dataSource.manager).getRepository(StrategyEntity);
  }

  async create(input: NewStrategy, manager?: EntityManager): Promise<StrategyEntity> {
    const repo = this.repo(manager);
    const row = repo.create({
      id: v7(),
      userId: input.userId,
      name: input.name,
      strategyType: input.strategyType,
      description: input.description ?? null,
      parameters: input.parameters ?? {},
      riskSettings: input.riskSettings ?? {},
      isActive: input.isActive ?? false,
    });
    await repo.insert(row);
    return repo.findOneByOrFail({ id: row.id });
  }

  findById(id: string): Promise<StrategyEntity | null> {
    return this.repo().findOneBy({ id });
  }

  /** A strategy the user may use: their own or a built-in one. */
  findUsableBy(id: string, userId: string): Promise<StrategyEntity | null> {
    return this.repo()
      .createQueryBuilder('s')
      .where('s.id = :id', { id })
      .andWhere(new Brackets((b) => b.where('s.user_id = :userId', { userId }).orWhere('s.user_id IS NULL')))
      .getOne();
  }

  /** The user's strategies followed by the built-in ones, by name. */
  listUsableBy(userId: string): Promise<StrategyEntity[]> {
    return this.repo()
      .createQueryBuilder('s')
      .where('s.user_id = :userId OR s.user_id IS NULL', { userId })
      .orderBy('s.user_id IS NULL', 'ASC')
      .addOrderBy('s.name', 'ASC')
      .getMany();
  }

  async update(id: string, changes: Partial<Pick<StrategyEntity, 'name' | 'description' | 'parameters' | 'riskSettings' | 'isActive' | 'isBacktested' | 'backtestResults'>>, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }
}
