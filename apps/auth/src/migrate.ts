import { runMigrationCommand } from '@trading/database';
import { authDatabase } from './database/auth.database';

void runMigrationCommand(authDatabase);
