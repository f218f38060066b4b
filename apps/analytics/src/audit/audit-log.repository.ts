import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { insertOnce } from '../database/insert-once';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { AuditLogEntity } from './audit-log.entity';

export type NewAuditLog = Pick<AuditLogEntity, 'action'> & Partial<Omit<AuditLogEntity, 'action' | 'id'>>;

@Injectable()
export class AuditLogRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<AuditLogEntity> {
    return (manager ?? this.dataSource.manager).getRepository(AuditLogEntity);
  }

  /** Appends an audit entry; an entry whose event_id is already stored is ignored (returns false). */
  record(entry: NewAuditLog, manager?: EntityManager): Promise<boolean> {
    return insertOnce(this.repo(manager), { createdAt: new Date(), ...entry, id: v7() });
  }

  findByEventId(eventId: string): Promise<AuditLogEntity | null> {
    return this.repo().findOneBy({ eventId });
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<AuditLogEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('a').where('a.userId = :userId', { userId }),
      'createdAt',
      page,
    );
  }

  listByResource(resourceType: string, resourceId: string, page: PageRequest): Promise<Page<AuditLogEntity>> {
    return pageByTimeDesc(
      this.repo()
        .createQueryBuilder('a')
        .where('a.resourceType = :resourceType AND a.resourceId = :resourceId', { resourceType, resourceId }),
      'createdAt',
      page,
    );
  }
}
