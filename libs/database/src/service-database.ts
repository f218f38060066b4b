import { DataSource, DataSourceOptions, MixedList } from 'typeorm';
import { ensureDatabaseExists } from './ensure-database';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * What a service owns in PostgreSQL: its schema(s), entities and migrations.
 * The first schema holds the service's migrations table, so each service migrates on its own.
 */
export interface ServiceDatabase {
  readonly service: string;
  readonly schemas: readonly [string, ...string[]];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly entities: MixedList<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  readonly migrations: MixedList<Function>;
}

export interface DataSourceTuning {
  poolSize?: number;
  applicationName?: string;
  logging?: boolean;
}

export function serviceDataSourceOptions(db: ServiceDatabase, url: string, tuning: DataSourceTuning = {}): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    schema: db.schemas[0],
    entities: db.entities,
    migrations: db.migrations,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: tuning.logging ?? false,
    applicationName: tuning.applicationName ?? db.service,
    poolSize: tuning.poolSize ?? 10,
    extra: { connectionTimeoutMillis: 5000 },
  };
}

async function withDataSource<T>(db: ServiceDatabase, url: string, run: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = new DataSource({ ...serviceDataSourceOptions(db, url, { poolSize: 2 }), applicationName: `${db.service}-migrate` } as DataSourceOptions);
  await ds.initialize();
  try {
    return await run(ds);
  } finally {
    await ds.destroy();
  }
}

async function ensureSchemas(db: ServiceDatabase, ds: DataSource): Promise<void> {
  for (const schema of db.schemas) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
}

/** Creates the database if missing, the service's schemas, then applies pending migrations. Returns their names. */
export async function migrateUp(db: ServiceDatabase, url: string): Promise<string[]> {
  await ensureDatabaseExists(url);
  return withDataSource(db, url, async (ds) => {
    await ensureSchemas(db, ds);
    // Serialize concurrent migrators (several replicas starting at once).
    const runner = ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrations:${db.service}`]);
      const applied = await ds.runMigrations({ transaction: 'each' });
      return applied.map((m) => m.name);
    } finally {
      // Never let a failed unlock (e.g. a dropped connection) hide the error that got us here.
      await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [`migrations:${db.service}`]).catch(() => undefined);
      await runner.release().catch(() => undefined);
    }
  });
}

/** Reverts every applied migration of the service, newest first. Returns how many were reverted. */
export async function migrateDownAll(db: ServiceDatabase, url: string): Promise<number> {
  return withDataSource(db, url, async (ds) => {
    await ensureSchemas(db, ds);
    let reverted = 0;
    while (true) {
      const executed: unknown[] = await ds.query(`SELECT id FROM "${db.schemas[0]}"."migrations"`);
      if (executed.length === 0) return reverted;
      await ds.undoLastMigration({ transaction: 'each' });
      reverted++;
    }
  });
}

export async function migrationStatus(db: ServiceDatabase, url: string): Promise<{ applied: string[]; pending: boolean }> {
  return withDataSource(db, url, async (ds) => {
    await ensureSchemas(db, ds);
    const pending = await ds.showMigrations();
    const rows: { name: string }[] = await ds
      .query(`SELECT name FROM "${db.schemas[0]}"."migrations" ORDER BY timestamp`)
      .catch(() => []);
    return { applied: rows.map((r) => r.name), pending };
  });
}

/**
 * The SQL TypeORM would run to make the schema match the entities. Empty means the
 * entities and the migrations agree (the drift check run in CI).
 */
export async function schemaDrift(db: ServiceDatabase, url: string): Promise<string[]> {
  return withDataSource(db, url, async (ds) => {
    const sql = await ds.driver.createSchemaBuilder().log();
    return sql.upQueries.map((q) => q.query);
  });
}
