import { connect, headers, type JetStreamClient, type NatsConnection } from 'nats';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import { inTransaction, type Db } from './db.js';
import { createPoller } from './poller.js';

export interface Broker {
  /** Publish one outbox event; resolves when JetStream has stored it. */
  publish(e: { id: number; topic: string; key: string; payload: unknown; createdAt: Date }): Promise<void>;
  close(): Promise<void>;
}

/**
 * NATS JetStream publishing. Events go to `<prefix>.<topic>` in one stream;
 * the outbox id is the message id, so JetStream drops a re-publish after a
 * crash (inside the duplicate window) and consumers see each event once.
 */
export async function connectJetStream(url: string, opts: { stream?: string; prefix?: string } = {}): Promise<Broker> {
  const stream = opts.stream ?? 'TELEHALL';
  const prefix = opts.prefix ?? 'telehall';
  const u = new URL(url);
  const nc: NatsConnection = await connect({ servers: `${u.hostname}:${u.port || 4222}`, ...(u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : {}), name: 'telehall' });
  const jsm = await nc.jetstreamManager();
  try {
    await jsm.streams.info(stream);
  } catch {
    await jsm.streams.add({ name: stream, subjects: [`${prefix}.>`], duplicate_window: 3_600_000_000_000 /* 1 h in ns */ });
  }
  const js: JetStreamClient = nc.jetstream();
  const enc = new TextEncoder();
  return {
    async publish(e) {
      const h = headers();
      h.set('telehall-key', e.key);
      h.set('telehall-created-at', e.createdAt.toISOString());
      await js.publish(`${prefix}.${e.topic}`, enc.encode(JSON.stringify(e.payload)), { msgID: `outbox-${e.id}`, headers: h });
    },
    async close() {
      await nc.drain();
    },
  };
}

/**
 * Moves committed outbox events to the broker in id order, with its own
 * cursor (`published_at`). A failed publish stops the batch; it is retried.
 */
export function createPublisher(deps: { db: Db; clock: Clock; log: Logger; broker: Broker }) {
  const { db, clock, log, broker } = deps;
  /** Publish one batch; what the broker acknowledged is marked even when a later publish fails. */
  async function runOnce(batch = 500): Promise<number> {
    const { done, error } = await inTransaction(db, async (trx) => {
      const rows = await trx.selectFrom('outbox').selectAll().where('published_at', 'is', null).orderBy('id').limit(batch).forUpdate().skipLocked().execute();
      const acked: number[] = [];
      let failure: unknown;
      for (const r of rows) {
        try {
          await broker.publish({ id: r.id, topic: r.topic, key: r.key, payload: r.payload, createdAt: r.created_at });
          acked.push(r.id);
        } catch (err) {
          failure = err;
          break;
        }
      }
      if (acked.length) await trx.updateTable('outbox').set({ published_at: clock.now() }).where('id', 'in', acked).execute();
      return { done: acked.length, error: failure };
    });
    if (error) throw error;
    return done;
  }

  return { runOnce, ...createPoller(() => runOnce(), { log, what: 'publishing to NATS', backoff: 8 }) };
}
