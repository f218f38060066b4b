import { quoteSchema } from './schema-name';

export interface MigrationSql {
  readonly up: string[];
  readonly down: string[];
}

/** DDL of `<schema>.processed_events`, the idempotency keys of every consumer group of a service. */
export function processedEventsMigrationSql(schema: string): MigrationSql {
  const s = quoteSchema(schema);
  return {
    up: [
      `CREATE TABLE ${s}.processed_events (
  consumer_group VARCHAR(100) NOT NULL,
  event_id UUID NOT NULL,
  processed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
)`,
    ],
    down: [`DROP TABLE IF EXISTS ${s}.processed_events`],
  };
}

/**
 * Index on `processed_at` for ProcessedEventsPruner, so each of its batches reads the oldest rows
 * instead of scanning the table. Built CONCURRENTLY because the table may already be large and
 * handlers keep inserting: run it from a migration with `transaction = false`. The leading DROP
 * only ever removes what an interrupted earlier attempt left behind (an INVALID index of that name).
 */
export function processedEventsPruneIndexMigrationSql(schema: string): MigrationSql {
  const s = quoteSchema(schema);
  return {
    up: [
      `DROP INDEX CONCURRENTLY IF EXISTS ${s}.idx_processed_events_processed_at`,
      `CREATE INDEX CONCURRENTLY idx_processed_events_processed_at ON ${s}.processed_events (processed_at)`,
    ],
    // TypeORM reverts inside a transaction whatever the migration says; dropping an index needs no scan anyway.
    down: [`DROP INDEX IF EXISTS ${s}.idx_processed_events_processed_at`],
  };
}
