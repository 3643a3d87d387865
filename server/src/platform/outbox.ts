import type { ColumnType, Generated } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { inTransaction, type Db, type Executor, type Trx } from './db.js';
import { createPoller } from './poller.js';

export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  key: string;
  payload: ColumnType<unknown, string, never>;
  created_at: Date;
  dispatched_at: Date | null;
  published_at: Date | null;
}

declare module './db.js' {
  interface DB {
    outbox: OutboxTable;
  }
}

export interface OutboxEvent<T = unknown> {
  id: number;
  topic: string;
  key: string;
  payload: T;
  createdAt: Date;
}

/** A consumer runs inside the dispatcher's transaction: its writes commit with the "dispatched" mark. */
export type OutboxHandler = (trx: Trx, event: OutboxEvent) => Promise<void>;

/** Record an event in the caller's transaction; it leaves only if that commits. */
export async function enqueue(trx: Executor, clock: Clock, topic: string, key: string, payload: unknown): Promise<void> {
  await trx.insertInto('outbox').values({ topic, key, payload: JSON.stringify(payload), created_at: clock.now() }).execute();
}

/**
 * Delivers committed outbox events to in-process handlers, in id order, each
 * batch in one transaction with SKIP LOCKED so several replicas can run it.
 * Handlers' database writes and the dispatched mark commit together, so a
 * crash re-delivers nothing that was handled and loses nothing that was not.
 */
export function createDispatcher(deps: { db: Db; clock: Clock; log: Logger }) {
  const { db, clock, log } = deps;
  const handlers = new Map<string, OutboxHandler[]>();
  async function runOnce(batch = 200): Promise<number> {
    return inTransaction(db, async (trx) => {
      const rows = await trx
        .selectFrom('outbox')
        .selectAll()
        .where('dispatched_at', 'is', null)
        .orderBy('id')
        .limit(batch)
        .forUpdate()
        .skipLocked()
        .execute();
      for (const r of rows) {
        const event: OutboxEvent = { id: r.id, topic: r.topic, key: r.key, payload: r.payload, createdAt: r.created_at };
        for (const h of handlers.get(r.topic) ?? []) await h(trx, event);
        for (const h of handlers.get('*') ?? []) await h(trx, event);
      }
      if (rows.length) {
        await trx.updateTable('outbox').set({ dispatched_at: clock.now() }).where('id', 'in', rows.map((r) => r.id)).execute();
      }
      return rows.length;
    });
  }

  const poller = createPoller(() => runOnce(), { log, what: 'outbox dispatch' });
  return {
    on(topic: string, handler: OutboxHandler) {
      handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
    },
    runOnce,
    /** Deliver everything pending now (tests, CLI). */
    async drain(): Promise<number> {
      let total = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
      return total;
    },
    ...poller,
  };
}
export type Dispatcher = ReturnType<typeof createDispatcher>;
