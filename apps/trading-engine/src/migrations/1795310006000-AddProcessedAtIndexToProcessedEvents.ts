import { processedEventsPruneIndexMigrationSql } from '@trading/streams';
import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Index on trading.processed_events (processed_at), so ProcessedEventsPruner deletes expired idempotency keys
 * batch by batch without scanning the table. Built CONCURRENTLY (handlers keep inserting), hence outside a transaction.
 */
export class AddProcessedAtIndexToProcessedEvents1795310006000 implements MigrationInterface {
  name = 'AddProcessedAtIndexToProcessedEvents1795310006000';
  transaction = false;

  async up(q: QueryRunner): Promise<void> {
    for (const sql of processedEventsPruneIndexMigrationSql('trading').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of processedEventsPruneIndexMigrationSql('trading').down) await q.query(sql);
  }
}
