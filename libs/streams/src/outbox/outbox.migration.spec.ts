import { processedEventsMigrationSql } from '../idempotency/processed-events.migration';
import { outboxMigrationSql } from './outbox.migration';

describe('outbox and processed_events DDL', () => {
  it('schema-qualifies every statement', () => {
    const { up, down } = outboxMigrationSql('trading_engine');
    expect(up[0]).toContain('CREATE TABLE "trading_engine".outbox');
    expect(up[1]).toBe('CREATE INDEX idx_outbox_unpublished ON "trading_engine".outbox (id) WHERE published_at IS NULL');
    expect(down).toEqual(['DROP TABLE IF EXISTS "trading_engine".outbox']);
    expect(processedEventsMigrationSql('risk').up[0]).toContain('CREATE TABLE "risk".processed_events');
  });

  it('rejects a schema name that is not a plain identifier', () => {
    expect(() => outboxMigrationSql('risk; DROP TABLE x')).toThrow('Invalid schema name');
    expect(() => processedEventsMigrationSql('"risk"')).toThrow('Invalid schema name');
  });
});
