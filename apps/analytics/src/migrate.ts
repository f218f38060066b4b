import { runMigrationCommand } from '@trading/database';
import { analyticsDatabase } from './database/analytics.database';

void runMigrationCommand(analyticsDatabase);
