import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { PositionAdjustmentEntity } from './position-adjustment.entity';

export type NewPositionAdjustment = Omit<PositionAdjustmentEntity, 'createdAt'> & { createdAt: Date };

/** Adjustments of live positions (trading.position_adjustments), append-only. */
@Injectable()
export class PositionAdjustmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  findByRequestId(requestId: string, manager?: EntityManager): Promise<PositionAdjustmentEntity | null> {
    return (manager ?? this.dataSource.manager).getRepository(PositionAdjustmentEntity).findOneBy({ requestId });
  }

  async insert(row: NewPositionAdjustment, manager: EntityManager): Promise<PositionAdjustmentEntity> {
    const repo = manager.getRepository(PositionAdjustmentEntity);
    await repo.insert(row);
    return repo.findOneByOrFail({ requestId: row.requestId });
  }
}
