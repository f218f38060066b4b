import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, MoreThan, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { insertOnce } from '../database/insert-once';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { SystemEventEntity, SystemEventLevel } from './system-event.entity';

export type NewSystemEvent = Pick<SystemEventEntity, 'eventType' | 'eventLevel' | 'message'> &
  Partial<Omit<SystemEventEntity, 'eventType' | 'eventLevel' | 'message' | 'id' | 'createdAt'>>;

@Injectable()
export class SystemEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<SystemEventEntity> {
    return (manager ?? this.dataSource.manager).getRepository(SystemEventEntity);
  }

  /** Appends a system event; one whose event_id is already stored is ignored (returns false). */
  record(event: NewSystemEvent, manager?: EntityManager): Promise<boolean> {
    const now = new Date();
    return insertOnce(this.repo(manager), { eventTime: now, ...event, id: v7(), createdAt: now });
  }

  listRecent(page: PageRequest, levels?: SystemEventLevel[]): Promise<Page<SystemEventEntity>> {
    const qb = this.repo().createQueryBuilder('e');
    if (levels?.length) qb.where('e.eventLevel IN (:...levels)', { levels });
    return pageByTimeDesc(qb, 'eventTime', page);
  }

  countSince(levels: SystemEventLevel[], since: Date): Promise<number> {
    return this.repo().countBy({ eventLevel: In(levels), eventTime: MoreThan(since) });
  }
}
