import { processedEventsMigrationSql } from '@trading/streams';
import { MigrationInterface, QueryRunner } from 'typeorm';

/** Idempotency keys of the events analytics consumes (it publishes nothing, so it has no outbox). */
export class CreateProcessedEvents1795330003000 implements MigrationInterface {
  name = 'CreateProcessedEvents1795330003000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of processedEventsMigrationSql('analytics').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of processedEventsMigrationSql('analytics').down) await q.query(sql);
  }
}
