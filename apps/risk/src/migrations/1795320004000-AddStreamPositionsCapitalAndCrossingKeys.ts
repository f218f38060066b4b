import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Several risk instances (each keeps its own in-memory book from every stream entry):
 * - bot_accounts.trades_entry_id / trade_event_ids: the events:trades entries a saved account holds, so an instance
 *   rebuilding its book skips them when it reads the stream again, and an older snapshot never replaces a newer one;
 * - bot_accounts.capital / capital_entry_id: the bot's capital from its bot events (BotStatusChanged.initialCapital),
 *   written apart from the snapshot so a concurrent snapshot cannot bring an old capital back;
 * - risk_events.crossing_key (unique while set): a limit crossing is reported by one instance only.
 */
export class AddStreamPositionsCapitalAndCrossingKeys1795320004000 implements MigrationInterface {
  name = 'AddStreamPositionsCapitalAndCrossingKeys1795320004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE risk.bot_accounts
        ADD COLUMN trades_entry_id VARCHAR(41),
        ADD COLUMN trade_event_ids UUID[] NOT NULL DEFAULT '{}',
        ADD COLUMN capital NUMERIC(28,8),
        ADD COLUMN capital_entry_id VARCHAR(41)`);
    await q.query(`ALTER TABLE risk.risk_events ADD COLUMN crossing_key VARCHAR(200)`);
    await q.query(`CREATE UNIQUE INDEX uq_risk_events_crossing_key ON risk.risk_events (crossing_key) WHERE crossing_key IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX risk.uq_risk_events_crossing_key`);
    await q.query(`ALTER TABLE risk.risk_events DROP COLUMN crossing_key`);
    await q.query(`
      ALTER TABLE risk.bot_accounts
        DROP COLUMN capital_entry_id,
        DROP COLUMN capital,
        DROP COLUMN trade_event_ids,
        DROP COLUMN trades_entry_id`);
  }
}
