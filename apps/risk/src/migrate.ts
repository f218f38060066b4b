import { runMigrationCommand } from '@trading/database';
import { riskDatabase } from './database/risk.database';

void runMigrationCommand(riskDatabase);
