import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxMigrationSql, processedEventsMigrationSql } from '@trading/streams';

/** strategy consumes market data and trade events (processed_events) and publishes signals from its transactions (outbox). */
export class CreateOutboxAndProcessedEvents1795300204000 implements MigrationInterface {
  name = 'CreateOutboxAndProcessedEvents1795300204000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of [...outboxMigrationSql('strategy').up, ...processedEventsMigrationSql('strategy').up]) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of [...processedEventsMigrationSql('strategy').down, ...outboxMigrationSql('strategy').down]) await q.query(sql);
  }
}
