import { runMigrationCommand } from '@trading/database';
import { tradingEngineDatabase } from './database/trading-engine.database';

void runMigrationCommand(tradingEngineDatabase);
