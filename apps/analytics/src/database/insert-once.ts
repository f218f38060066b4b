import { ObjectLiteral, Repository } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';

/** Inserts a row unless a unique key already holds it (a redelivered event); tells whether it was inserted. */
export async function insertOnce<T extends ObjectLiteral>(
  repo: Repository<T>,
  row: QueryDeepPartialEntity<T>,
): Promise<boolean> {
  const result = await repo
    .createQueryBuilder()
    .insert()
    .values(row)
    .orIgnore()
    .returning('1 AS inserted')
    .updateEntity(false)
    .execute();
  return (result.raw as unknown[]).length > 0;
}
