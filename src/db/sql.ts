import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

export const dialectOf = (ds: DataSource): Dialect => (ds.options.type === 'postgres' ? 'postgres' : 'sqlite');

export interface SqlResult<Row> {
  affected: number;
  rows: Row[];
}

/**
 * Runs one statement with `:named` parameters and returns the affected row count and any rows.
 * The atomic operations (quota reservation, download counting, leases) are single conditional
 * statements, so they stay correct without transactions, which TypeORM's SQLite driver cannot run
 * concurrently on its single connection. Pass an EntityManager to run inside its transaction.
 */
export async function sql<Row = Record<string, unknown>>(
  db: DataSource | EntityManager,
  statement: string,
  params: Record<string, unknown> = {},
): Promise<SqlResult<Row>> {
  const ds = 'createQueryRunner' in db ? db : db.connection;
  const [query, values] = ds.driver.escapeQueryWithParameters(statement, params, {});
  const inTransaction: QueryRunner | undefined = 'createQueryRunner' in db ? undefined : db.queryRunner;
  const runner = inTransaction ?? ds.createQueryRunner();
  try {
    const result = await runner.query(query, values, true);
    return { affected: result.affected ?? 0, rows: (result.records ?? []) as Row[] };
  } finally {
    if (!inTransaction) await runner.release();
  }
}
