import { MigrationInterface, QueryRunner } from 'typeorm';
import { outboxMigrationSql } from '@trading/streams';

/** Transactional outbox: auth publishes audit events (logins, lockouts, key changes) from its own transactions. */
export class CreateOutbox1795300003000 implements MigrationInterface {
  name = 'CreateOutbox1795300003000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of outboxMigrationSql('auth').up) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of outboxMigrationSql('auth').down) await q.query(sql);
  }
}
