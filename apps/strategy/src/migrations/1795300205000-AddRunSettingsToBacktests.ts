import { MigrationInterface, QueryRunner } from 'typeorm';

/** A queued backtest must know where its candles come from (a shipped dataset or market-data) and its cost model. */
export class AddRunSettingsToBacktests1795300205000 implements MigrationInterface {
  name = 'AddRunSettingsToBacktests1795300205000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE strategy.backtests ADD COLUMN settings jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE strategy.backtests DROP COLUMN settings`);
  }
}
