import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * position_adjustments: an operator set a live position to what the exchange account holds (a coin sold or
 * withdrawn by hand, a missed fill). One row per request id (the client's UUID: a retried request books once),
 * with who asked, why, the quantities before and after, the cost basis that left at the average entry price and
 * the balance drift it answered. account_balance takes a snapshot type `adjustment` for the bot's asset after it.
 */
export class RecordPositionAdjustments1795310008000 implements MigrationInterface {
  name = 'RecordPositionAdjustments1795310008000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE trading.position_adjustments (
        request_id UUID NOT NULL,
        position_id UUID NOT NULL,
        bot_id UUID NOT NULL,
        user_id UUID NOT NULL,
        actor_user_id UUID NOT NULL,
        exchange VARCHAR(50) NOT NULL,
        exchange_key_id UUID,
        symbol VARCHAR(30) NOT NULL,
        from_quantity NUMERIC(20,8) NOT NULL,
        to_quantity NUMERIC(20,8) NOT NULL,
        removed_cost NUMERIC(28,8) NOT NULL,
        avg_entry_price NUMERIC(20,8) NOT NULL,
        reason VARCHAR(500) NOT NULL,
        drift JSONB,
        created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        CONSTRAINT pk_position_adjustments PRIMARY KEY (request_id),
        CONSTRAINT position_adjustment_reduces CHECK (to_quantity >= 0 AND to_quantity < from_quantity),
        CONSTRAINT position_adjustment_cost CHECK (removed_cost >= 0)
      )`);
    await q.query(
      `CREATE INDEX idx_position_adjustments_position ON trading.position_adjustments (position_id, created_at)`,
    );
    await q.query(`ALTER TABLE trading.account_balance DROP CONSTRAINT valid_snapshot_type`);
    await q.query(
      `ALTER TABLE trading.account_balance ADD CONSTRAINT valid_snapshot_type CHECK (snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual', 'reconciliation', 'adjustment'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM trading.account_balance WHERE snapshot_type = 'adjustment'`);
    await q.query(`ALTER TABLE trading.account_balance DROP CONSTRAINT valid_snapshot_type`);
    await q.query(
      `ALTER TABLE trading.account_balance ADD CONSTRAINT valid_snapshot_type CHECK (snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual', 'reconciliation'))`,
    );
    await q.query(`DROP TABLE trading.position_adjustments`);
  }
}
