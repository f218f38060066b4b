import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxMigrationSql } from '@trading/streams';

/**
 * Transactional outbox: market-data stores a candle or ticker and queues its event in one transaction, so a crash
 * between the two can neither lose an event (the row is there, the feed resumes after it) nor publish one twice.
 */
export class CreateOutbox1795300102000 implements MigrationInterface {
  name = 'CreateOutbox1795300102000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxMigrationSql('market').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxMigrationSql('market').down) await q.query(sql);
  }
}
