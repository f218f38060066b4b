import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * account_balance also keeps what an exchange account reported when its balances were reconciled with the live
 * bots' ledger: snapshot type `reconciliation`, no bot (the account is shared by the bots trading on its key),
 * the exchange and the key's id, and ledger_balance (what the bots hold by the ledger). Every row still belongs to
 * a bot or to an exchange key.
 */
export class RecordExchangeBalanceChecks1795310007000 implements MigrationInterface {
  name = 'RecordExchangeBalanceChecks1795310007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE trading.account_balance ALTER COLUMN bot_id DROP NOT NULL`);
    await q.query(`ALTER TABLE trading.account_balance ADD COLUMN exchange VARCHAR(50)`);
    await q.query(`ALTER TABLE trading.account_balance ADD COLUMN exchange_key_id UUID`);
    await q.query(`ALTER TABLE trading.account_balance ADD COLUMN ledger_balance NUMERIC(20,8)`);
    await q.query(`ALTER TABLE trading.account_balance DROP CONSTRAINT valid_snapshot_type`);
    await q.query(
      `ALTER TABLE trading.account_balance ADD CONSTRAINT valid_snapshot_type CHECK (snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual', 'reconciliation'))`,
    );
    await q.query(
      `ALTER TABLE trading.account_balance ADD CONSTRAINT account_balance_owner CHECK (bot_id IS NOT NULL OR exchange_key_id IS NOT NULL)`,
    );
    await q.query(
      `CREATE INDEX idx_balance_exchange_key_time ON trading.account_balance (exchange_key_id, "timestamp", id) WHERE exchange_key_id IS NOT NULL`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM trading.account_balance WHERE bot_id IS NULL`);
    await q.query(`DROP INDEX trading.idx_balance_exchange_key_time`);
    await q.query(`ALTER TABLE trading.account_balance DROP CONSTRAINT account_balance_owner`);
    await q.query(`ALTER TABLE trading.account_balance DROP CONSTRAINT valid_snapshot_type`);
    await q.query(
      `ALTER TABLE trading.account_balance ADD CONSTRAINT valid_snapshot_type CHECK (snapshot_type IN ('periodic', 'trade_open', 'trade_close', 'deposit', 'withdrawal', 'manual'))`,
    );
    await q.query(`ALTER TABLE trading.account_balance DROP COLUMN ledger_balance`);
    await q.query(`ALTER TABLE trading.account_balance DROP COLUMN exchange_key_id`);
    await q.query(`ALTER TABLE trading.account_balance DROP COLUMN exchange`);
    await q.query(`ALTER TABLE trading.account_balance ALTER COLUMN bot_id SET NOT NULL`);
  }
}
