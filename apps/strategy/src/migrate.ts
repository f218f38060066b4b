import { runMigrationCommand } from '@trading/database';
import { strategyDatabase } from './database/strategy.database';

void runMigrationCommand(strategyDatabase);
