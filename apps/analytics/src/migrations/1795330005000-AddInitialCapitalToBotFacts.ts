import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * bot_facts.initial_capital: the bot's capital from BotStatusChanged.initialCapital (null until a bot event carried
 * it): a bot's equity curve, returns and ratios start from it instead of ANALYTICS_DEFAULT_STARTING_EQUITY.
 */
export class AddInitialCapitalToBotFacts1795330005000 implements MigrationInterface {
  name = 'AddInitialCapitalToBotFacts1795330005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics.bot_facts ADD COLUMN initial_capital NUMERIC(20,8)`);
    await q.query(`ALTER TABLE analytics.bot_facts ADD CONSTRAINT positive_initial_capital CHECK (initial_capital IS NULL OR initial_capital > 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE analytics.bot_facts DROP CONSTRAINT positive_initial_capital`);
    await q.query(`ALTER TABLE analytics.bot_facts DROP COLUMN initial_capital`);
  }
}
