import { DataSource } from 'typeorm';
import { databaseNameOf, withDatabaseName } from './database-url';
import { dropDatabase, ensureDatabaseExists } from './ensure-database';
import { ServiceDatabase, serviceDataSourceOptions } from './service-database';

/**
 * TypeORM's schema diff (schemaDrift) compares CHECK constraints and partial-index predicates by name only.
 * This closes the gap: it builds the schema straight from the entities in a scratch database and compares,
 * as PostgreSQL itself prints them, every CHECK and index the entities declare with the migrated database.
 * Returns one line per difference; `ignore` names objects TypeORM cannot express (say why at the call site).
 */
export async function definitionDrift(db: ServiceDatabase, migratedUrl: string, ignore: readonly string[] = []): Promise<string[]> {
  const scratchUrl = withDatabaseName(migratedUrl, `${databaseNameOf(migratedUrl)}_entities`);
  await ensureDatabaseExists(scratchUrl);
  try {
    const fromEntities = await withSource(db, scratchUrl, async (ds) => {
      for (const schema of db.schemas) await ds.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
      await ds.synchronize();
      return definitions(ds, db.schemas);
    });
    const migrated = await withSource(db, migratedUrl, (ds) => definitions(ds, db.schemas));
    const diffs: string[] = [];
    for (const [name, def] of fromEntities) {
      if (ignore.includes(name.split(' ').pop() ?? '')) continue;
      const actual = migrated.get(name);
      if (actual !== def) diffs.push(`${name}: entities say "${def}", migrations made "${actual ?? '(missing)'}"`);
    }
    return diffs;
  } finally {
    await dropDatabase(scratchUrl);
  }
}

async function withSource<T>(db: ServiceDatabase, url: string, run: (ds: DataSource) => Promise<T>): Promise<T> {
  const ds = await new DataSource(serviceDataSourceOptions(db, url, { poolSize: 1 })).initialize();
  try {
    return await run(ds);
  } finally {
    await ds.destroy();
  }
}

async function definitions(ds: DataSource, schemas: readonly string[]): Promise<Map<string, string>> {
  const rows: { key: string; def: string }[] = await ds.query(
    `SELECT 'check ' || n.nspname || '.' || r.relname || ' ' || c.conname AS key, pg_get_constraintdef(c.oid) AS def
       FROM pg_constraint c
       JOIN pg_class r ON r.oid = c.conrelid
       JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = ANY($1) AND c.contype = 'c' AND NOT r.relispartition
     UNION ALL
     SELECT 'index ' || n.nspname || '.' || r.relname || ' ' || i.relname AS key,
            replace(pg_get_indexdef(x.indexrelid), ' ON ONLY ', ' ON ') AS def
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class r ON r.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = r.relnamespace
      WHERE n.nspname = ANY($1) AND NOT r.relispartition`,
    [schemas],
  );
  return new Map(rows.map((r) => [r.key, r.def]));
}
