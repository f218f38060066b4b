import { quoteSchema } from '../idempotency/schema-name';
import type { MigrationSql } from '../idempotency/processed-events.migration';

/** DDL of `<schema>.outbox`, the transactional outbox of a producing service. */
export function outboxMigrationSql(schema: string): MigrationSql {
  const s = quoteSchema(schema);
  return {
    up: [
      `CREATE TABLE ${s}.outbox (
  id BIGSERIAL PRIMARY KEY,
  event_id UUID NOT NULL UNIQUE,
  stream VARCHAR(100) NOT NULL,
  event JSONB NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at TIMESTAMPTZ
)`,
      `CREATE INDEX idx_outbox_unpublished ON ${s}.outbox (id) WHERE published_at IS NULL`,
    ],
    down: [`DROP TABLE IF EXISTS ${s}.outbox`],
  };
}
