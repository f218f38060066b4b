import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { v7 } from 'uuid';
import { KeysetPage as Page, KeysetPageRequest as PageRequest, pageByTimeDesc } from '@trading/database';
import { ACTIVE_ORDER_STATUSES, OrderEntity } from './order.entity';

type RequiredOrderFields = 'clientOrderId' | 'userId' | 'exchange' | 'symbol' | 'orderType' | 'side' | 'quantity';
export type NewOrder = Pick<OrderEntity, RequiredOrderFields> &
  Partial<Omit<OrderEntity, RequiredOrderFields | 'id' | 'createdAt' | 'updatedAt' | 'portfolio'>>;
export type OrderChanges = Partial<Omit<OrderEntity, 'id' | 'clientOrderId' | 'createdAt' | 'portfolio'>>;

@Injectable()
export class OrderRepository {
  constructor(private readonly dataSource: DataSource) {}

  private repo(manager?: EntityManager): Repository<OrderEntity> {
    return (manager ?? this.dataSource.manager).getRepository(OrderEntity);
  }

  /** Inserts a new order (id v7); a duplicate client_order_id is refused by the database. */
  async create(input: NewOrder, manager?: EntityManager): Promise<OrderEntity> {
    const repo = this.repo(manager);
    const now = new Date();
    const order = repo.create({
      ...input,
      id: v7(),
      remainingQuantity: input.remainingQuantity ?? input.quantity,
      createdAt: now,
      updatedAt: now,
    });
    await repo.insert(order);
    return repo.findOneByOrFail({ id: order.id });
  }

  async update(id: string, changes: OrderChanges, manager?: EntityManager): Promise<void> {
    await this.repo(manager).update({ id }, { ...changes, updatedAt: new Date() });
  }

  findById(id: string, manager?: EntityManager): Promise<OrderEntity | null> {
    return this.repo(manager).findOneBy({ id });
  }

  findByClientOrderId(clientOrderId: string, manager?: EntityManager): Promise<OrderEntity | null> {
    return this.repo(manager).findOneBy({ clientOrderId });
  }

  /** Client order ids of a bot's orders still working (its paper account must remember them). */
  async activeClientOrderIds(botId: string, manager?: EntityManager): Promise<string[]> {
    const rows: { client_order_id: string }[] = await (manager ?? this.dataSource.manager).query(
      `SELECT client_order_id FROM trading.orders WHERE bot_id = $1 AND status IN ('pending', 'submitted', 'partially_filled')`,
      [botId],
    );
    return rows.map((r) => r.client_order_id);
  }

  /** Orders still working on the exchange (served by the partial idx_orders_active). */
  findActiveByBot(botId: string, symbol?: string): Promise<OrderEntity[]> {
    return this.repo().find({
      where: { botId, status: In([...ACTIVE_ORDER_STATUSES]), ...(symbol ? { symbol } : {}) },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  /** The exchange key of the newest live order that traded into this position (the account that holds it). */
  async liveKeyOfPosition(positionId: string): Promise<string | null> {
    const rows: { api_key_id: string }[] = await this.dataSource.query(
      `SELECT order_metadata->>'apiKeyId' AS api_key_id FROM trading.orders
        WHERE position_id = $1 AND mode = 'live' AND order_metadata ? 'apiKeyId'
        ORDER BY created_at DESC, id DESC LIMIT 1`,
      [positionId],
    );
    return rows[0]?.api_key_id ?? null;
  }

  listByUser(userId: string, page: PageRequest): Promise<Page<OrderEntity>> {
    return pageByTimeDesc(
      this.repo().createQueryBuilder('o').where('o.userId = :userId', { userId }),
      'createdAt',
      page,
    );
  }

  listByBot(botId: string, page: PageRequest): Promise<Page<OrderEntity>> {
    return pageByTimeDesc(this.repo().createQueryBuilder('o').where('o.botId = :botId', { botId }), 'createdAt', page);
  }

  /** Newest first; owner and bot filters optional (an admin lists everyone's). */
  list(filter: { userId?: string; botId?: string }, page: PageRequest): Promise<Page<OrderEntity>> {
    const qb = this.repo().createQueryBuilder('o');
    if (filter.userId) qb.andWhere('o.userId = :userId', { userId: filter.userId });
    if (filter.botId) qb.andWhere('o.botId = :botId', { botId: filter.botId });
    return pageByTimeDesc(qb, 'createdAt', page);
  }
}
