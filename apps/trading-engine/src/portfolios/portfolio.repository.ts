import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { PortfolioEntity } from './portfolio.entity';

export interface NewPortfolio {
  userId: string;
  name: string;
  description?: string | null;
  baseCurrency?: string;
  isDefault?: boolean;
}

@Injectable()
export class PortfolioRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<PortfolioEntity> {
    return (manager ?? this.dataSource.manager).getRepository(PortfolioEntity);
  }

  /** A second portfolio with the same name, or a second default one, for a user is refused by the database. */
  async create(input: NewPortfolio, manager?: EntityManager): Promise<PortfolioEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const portfolio = repo.create({ ...input, id: v7(), createdAt: now, updatedAt: now });
    await repo.insert(portfolio);
    return repo.findOneByOrFail({ id: portfolio.id });
  }

  findById(id: string): Promise<PortfolioEntity | null> {
    return this.repo().findOneBy({ id });
  }

  findDefault(userId: string): Promise<PortfolioEntity | null> {
    return this.repo().findOneBy({ userId, isDefault: true });
  }

  listByUser(userId: string): Promise<PortfolioEntity[]> {
    return this.repo().find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }
}
