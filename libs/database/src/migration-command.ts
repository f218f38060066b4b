import { DEFAULT_DATABASE_URL, redactUrl } from './database-url';
import { ServiceDatabase, migrateDownAll, migrateUp, migrationStatus, schemaDrift } from './service-database';

/**
 * Entry point of each service's `migrate` script:
 *   node dist/apps/<service>/src/migrate.js up|down|status|drift
 * The database comes from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/trading).
 */
export async function runMigrationCommand(db: ServiceDatabase, argv: string[] = process.argv.slice(2)): Promise<void> {
  const command = argv[0] ?? 'up';
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const label = `${db.service} (${db.schemas.join(', ')}) on ${redactUrl(url)}`;
  try {
    switch (command) {
      case 'up': {
        const applied = await migrateUp(db, url);
        console.log(`${label}: ${applied.length ? `applied ${applied.join(', ')}` : 'up to date'}`);
        break;
      }
      case 'down': {
        const reverted = await migrateDownAll(db, url);
        console.log(`${label}: reverted ${reverted} migration(s)`);
        break;
      }
      case 'status': {
        const status = await migrationStatus(db, url);
        console.log(`${label}: ${status.applied.length} applied${status.pending ? ', some pending' : ', none pending'}`);
        break;
      }
      case 'drift': {
        const sql = await schemaDrift(db, url);
        if (sql.length) {
          console.error(`${label}: entities and migrations differ; TypeORM would run:\n${sql.join(';\n')}`);
          process.exitCode = 1;
        } else console.log(`${label}: no drift`);
        break;
      }
      default:
        throw new Error(`unknown migrate command "${command}" (use up, down, status or drift)`);
    }
  } catch (error) {
    console.error(`${label}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
