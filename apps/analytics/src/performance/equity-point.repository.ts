import { Injectable } from '@nestjs/common';
import { Between, DataSource, EntityManager, Repository } from 'typeorm';
import { EquityPointEntity } from './equity-point.entity';

@Injectable()
export class EquityPointRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<EquityPointEntity> {
    return (manager ?? this.dataSource.manager).getRepository(EquityPointEntity);
  }

  /** Records the equity of a bot at an instant; recording the same instant again overwrites it. */
  async record(botId: string, time: Date, equity: string, manager?: EntityManager): Promise<void> {
    await this.repo(manager).upsert(
      { botId, time, equity },
      { conflictPaths: ['botId', 'time'], skipUpdateIfNoValuesChanged: true },
    );
  }

  /** The equity curve between two instants (inclusive), oldest first. */
  curve(botId: string, from: Date, to: Date): Promise<EquityPointEntity[]> {
    return this.repo().find({ where: { botId, time: Between(from, to) }, order: { time: 'ASC' } });
  }
}
