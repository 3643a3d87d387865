import { createHash } from 'node:crypto';
import type { ColumnType } from 'kysely';
import type { Clock } from './clock.js';
import { inTransaction, type Db, type Trx } from './db.js';
import { conflict, invalid } from './errors.js';

export interface IdempotencyKeyTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: ColumnType<unknown, string | null, string>;
  created_at: Date;
}

declare module './db.js' {
  interface DB {
    idempotency_key: IdempotencyKeyTable;
  }
}

export interface Outcome<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[A-Za-z0-9._:-]{8,100}$/;

/**
 * Run a command once per (scope, key). The key row is written in the
 * command's own transaction: a concurrent duplicate waits on it and then
 * replays the stored response; a failed command leaves no key behind, so a
 * retry runs it again. The same key with a different body is a conflict.
 * @throws invalid_data `invalid_idempotency_key`, conflict `idempotency_key_reused`
 */
export async function idempotent<T>(
  db: Db,
  clock: Clock,
  req: { scope: string; key: string | undefined; body: unknown },
  status: number,
  fn: (trx: Trx) => Promise<T>,
): Promise<Outcome<T>> {
  if (req.key === undefined) return inTransaction(db, async (trx) => ({ status, body: await fn(trx), replayed: false }));
  if (!KEY.test(req.key)) throw invalid('invalid_idempotency_key', 'Idempotency-Key must be 8–100 letters, digits or ._:-');
  const hash = createHash('sha256').update(JSON.stringify(req.body ?? null)).digest('hex');
  const key = req.key;
  return inTransaction(db, async (trx) => {
    const fresh = await trx.insertInto('idempotency_key')
      .values({ scope: req.scope, key, request_hash: hash, status_code: null, response: null, created_at: clock.now() })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing()).returning('key').executeTakeFirst();
    if (!fresh) {
      const prior = await trx.selectFrom('idempotency_key').selectAll().where('scope', '=', req.scope).where('key', '=', key).executeTakeFirstOrThrow();
      if (prior.request_hash !== hash) throw conflict('idempotency_key_reused', 'This Idempotency-Key was used with a different request');
      return { status: prior.status_code ?? status, body: prior.response as T, replayed: true };
    }
    const body = await fn(trx);
    await trx.updateTable('idempotency_key').set({ status_code: status, response: JSON.stringify(body) })
      .where('scope', '=', req.scope).where('key', '=', key).execute();
    return { status, body, replayed: false };
  });
}
