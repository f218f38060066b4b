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
