import { DataSource, QueryFailedError } from 'typeorm';

/** PostgreSQL error codes a constraint test expects. */
export const CHECK_VIOLATION = '23514';
export const UNIQUE_VIOLATION = '23505';
export const FOREIGN_KEY_VIOLATION = '23503';

/** The error code and constraint name with which PostgreSQL refused a write (fails if it accepted it). */
export async function refusal(write: Promise<unknown>): Promise<{ code: string; constraint: string }> {
  const error: unknown = await write.then(
    () => new Error('the database accepted the row'),
    (e: unknown) => e,
  );
  if (!(error instanceof QueryFailedError)) throw error;
  const driverError = error.driverError as { code: string; constraint: string };
  return { code: driverError.code, constraint: driverError.constraint };
}

/** The tables of a schema, by name. */
export async function tablesOf(ds: DataSource, schema: string): Promise<string[]> {
  const rows = await ds.query<{ table_name: string }[]>(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
  return rows.map((r) => r.table_name);
}
