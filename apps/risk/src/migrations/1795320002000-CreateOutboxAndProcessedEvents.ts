import { outboxMigrationSql, processedEventsMigrationSql } from '@trading/streams';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The transactional outbox (events written in the same transaction as the risk decisions they announce) and the idempotency keys of consumed events,
 * with the DDL @trading/streams' relay and idempotency helper are written against.
 */
export class CreateOutboxAndProcessedEvents1795320002000 implements MigrationInterface {
  name = 'CreateOutboxAndProcessedEvents1795320002000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...outboxMigrationSql('risk').up, ...processedEventsMigrationSql('risk').up]) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [...processedEventsMigrationSql('risk').down, ...outboxMigrationSql('risk').down])
      await q.query(sql);
  }
}
