import { outboxMigrationSql, processedEventsMigrationSql } from '@trading/streams';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (events written in the same transaction as the orders and trades they describe) and the idempotency keys of consumed events,
 * with the DDL @trading/streams' relay and idempotency helper are written against.
 */
export class CreateOutboxAndProcessedEvents1795310004000 implements MigrationInterface {
  name = 'CreateOutboxAndProcessedEvents1795310004000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...outboxMigrationSql('trading').up, ...processedEventsMigrationSql('trading').up])
      await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [...processedEventsMigrationSql('trading').down, ...outboxMigrationSql('trading').down])
      await q.query(sql);
  }
}
