import { runMigrationCommand } from '@trading/database';
import { marketDataDatabase } from './database/market-data.database';

void runMigrationCommand(marketDataDatabase);
