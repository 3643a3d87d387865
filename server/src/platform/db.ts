import pg from 'pg';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';

/**
 * The typed schema. Each domain declares its own tables by augmenting this
 * interface in its `<domain>.tables.ts`, so ownership stays with the domain.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface DB {}

export type Db = Kysely<DB>;
export type Trx = Transaction<DB>;
/** Repositories take either the pool-backed db or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;

// BIGINT (money in fen, bytes) and COUNT(*) come back as JS numbers; a value
// outside the safe integer range is a bug we want to hear about, not round.
pg.types.setTypeParser(20, (v: string) => {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} exceeds the safe integer range`);
  return n;
});
// NUMERIC stays a string: nothing near a balance is floating point.

export function createPool(connectionString: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString, max, application_name: 'telehall' });
  // An idle client losing its connection must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}

export function createDb(pool: pg.Pool): Db {
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Run `fn` in a transaction, retrying a bounded number of times on
 * serialization failures and deadlocks (40001/40P01).
 */
export async function inTransaction<T>(
  db: Db,
  fn: (trx: Trx) => Promise<T>,
  opts: { isolation?: 'read committed' | 'repeatable read' | 'serializable'; retries?: number } = {},
): Promise<T> {
  const retries = opts.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      let builder = db.transaction();
      if (opts.isolation) builder = builder.setIsolationLevel(opts.isolation);
      return await builder.execute(fn);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (attempt >= retries || !code || !RETRYABLE.has(code)) throw err;
      await new Promise((r) => setTimeout(r, 2 ** attempt * 5 + Math.random() * 10));
    }
  }
}
