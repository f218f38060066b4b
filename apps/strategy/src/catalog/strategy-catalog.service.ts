import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { StrategyCatalogEntry } from '@trading/contracts';
import { SERVICE_CONFIG } from '@trading/service-runtime';
import { BUILTIN_STRATEGIES, getStrategy, listStrategies, loadUserStrategies, StrategyDefinition } from '@trading/strategies';
import { DataSource } from 'typeorm';
import { v7 } from 'uuid';
import { StrategyEnv } from '../config/strategy.env';
import { StrategyEntity } from '../strategies/strategy.entity';
import { StrategyRepository } from '../strategies/strategy.repository';

/** Default parameters of a definition: its params class with nothing set. */
export function defaultParams(definition: StrategyDefinition<object>): Record<string, unknown> {
  return { ...(definition.parseParams({}) as Record<string, unknown>) };
}

/**
 * The catalog: every implementation this process knows (built-ins + the files of STRATEGIES_DIR)
 * has a row in strategy.strategies (user_id NULL, name = implementation name), made at start.
 * Concurrent instances starting together converge (insert or refresh on the unique name).
 */
@Injectable()
export class StrategyCatalogService implements OnApplicationBootstrap {
  private readonly logger = new Logger(StrategyCatalogService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly strategies: StrategyRepository,
    @Inject(SERVICE_CONFIG) private readonly config: StrategyEnv,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.STRATEGIES_DIR) {
      const loaded = loadUserStrategies(this.config.STRATEGIES_DIR);
      this.logger.log({ msg: 'user strategies loaded', dir: this.config.STRATEGIES_DIR, strategies: loaded.map((l) => l.name) });
    }
    await this.sync();
  }

  async sync(): Promise<void> {
    for (const definition of listStrategies()) {
      await this.dataSource.query(
        `INSERT INTO strategy.strategies (id, user_id, name, description, strategy_type, parameters, is_active)
         VALUES ($4, NULL, $1, $2, $1, $3, true)
         ON CONFLICT ON CONSTRAINT uq_strategies_user_name
         DO UPDATE SET description = EXCLUDED.description, is_active = true, updated_at = now()`,
        [definition.name, definition.description, JSON.stringify(defaultParams(definition)), v7()],
      );
    }
  }

  async list(userId: string): Promise<StrategyCatalogEntry[]> {
    return (await this.strategies.listUsableBy(userId)).map(toCatalogEntry);
  }
}

export function toCatalogEntry(s: StrategyEntity): StrategyCatalogEntry {
  let paramsSchema: Record<string, unknown> | null = null;
  try {
    paramsSchema = { ...getStrategy(s.strategyType).jsonSchema() };
  } catch {
    // implementation not loaded in this process (a removed user strategy file)
  }
  return {
    id: s.id,
    userId: s.userId,
    name: s.name,
    strategyType: s.strategyType,
    description: s.description,
    builtin: s.userId === null && BUILTIN_STRATEGIES.some((d) => d.name === s.strategyType),
    parameters: s.parameters,
    paramsSchema,
    isBacktested: s.isBacktested,
  };
}
