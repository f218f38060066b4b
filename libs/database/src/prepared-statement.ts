import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** SQL run often enough to be worth preparing: `name` identifies it on every connection, so it always carries the same `text`. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/**
 * Runs `statement` as a named prepared statement on the manager's connection (inside its transaction, if it
 * has one) or on a pooled connection of the DataSource: PostgreSQL parses and plans it on a connection's first
 * use and only binds and executes it after. TypeORM sends every query unnamed, planned anew each time: for the
 * strategy service's candle transaction, preparing its statements halved the backend's CPU (1.2 -> 0.6 ms).
 *
 * For hot paths only, with a fixed list of result columns: PostgreSQL refuses to run a prepared statement whose
 * result columns changed type under it (a migration altering them while instances run) until it is re-prepared.
 */
export async function queryPrepared<T extends QueryResultRow>(
  target: DataSource | EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  const run = async (client: PoolClient) =>
    (await client.query<T>({ name: statement.name, text: statement.text, values })).rows;
  const runner = target instanceof EntityManager ? target.queryRunner : undefined;
  if (runner && !runner.isReleased) return run((await runner.connect()) as PoolClient);
  const dataSource = target instanceof EntityManager ? target.connection : target;
  const own = dataSource.createQueryRunner();
  try {
    return await run((await own.connect()) as PoolClient);
  } finally {
    await own.release();
  }
}
