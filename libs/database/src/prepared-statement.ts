import type { PoolClient, QueryResultRow } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

/** SQL run often enough to be worth preparing: `name` identifies it on every connection, so it always carries the same `text`. */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

/** Per connection, the statements PostgreSQL refused to run because their result columns changed type. */
const outdated = new WeakMap<PoolClient, Set<string>>();

/** pg's own record of the names it has prepared on a connection (it sends Parse only for names not in it). */
type PreparingClient = PoolClient & { connection?: { parsedStatements?: Record<string, string> } };

/**
 * Runs `statement` as a named prepared statement on the manager's connection (inside its transaction, if it
 * has one) or on a pooled connection of the DataSource: PostgreSQL parses and plans it on a connection's first
 * use and only binds and executes it after. TypeORM sends every query unnamed, planned anew each time: for the
 * strategy service's candle transaction, preparing its statements halved the backend's CPU (1.2 -> 0.6 ms).
 *
 * For hot paths only, with a fixed list of result columns. PostgreSQL refuses to run a prepared statement whose
 * result columns changed type under it (a migration altering them while instances run: "cached plan must not
 * change result type"); that call fails (its transaction is aborted, so it cannot be retried in place), and the
 * connection's next use of the statement deallocates and prepares it again, so a redelivered message succeeds
 * without a restart.
 */
export async function queryPrepared<T extends QueryResultRow>(
  target: DataSource | EntityManager,
  statement: PreparedStatement,
  values: unknown[],
): Promise<T[]> {
  const run = async (client: PoolClient) => {
    const stale = outdated.get(client);
    if (stale?.has(statement.name)) {
      await client.query(`DEALLOCATE ${quoteIdentifier(statement.name)}`);
      stale.delete(statement.name);
    }
    try {
      return (await client.query<T>({ name: statement.name, text: statement.text, values })).rows;
    } catch (error) {
      if (isResultTypeChanged(error)) {
        const names = outdated.get(client) ?? new Set<string>();
        names.add(statement.name);
        outdated.set(client, names);
        // pg must send Parse again next time: forget that it prepared this name here.
        delete (client as PreparingClient).connection?.parsedStatements?.[statement.name];
      }
      throw error;
    }
  };
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

function isResultTypeChanged(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown };
  return e.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan must not change result type');
}

function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
