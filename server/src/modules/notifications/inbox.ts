import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import type { Ids } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import './notifications.tables.js';

export interface InboxItem {
  id: string;
  category: string;
  template: string;
  title: string | null;
  body: string;
  read: boolean;
  createdAt: string;
}

/** The in-app inbox: `inapp` messages in the message log, per customer. */
export function createInbox({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  return {
    async deliver(trx: Executor, m: { customerId: string; category: string; template: string; locale: string; title: string; body: string }) {
      const now = clock.now();
      await trx
        .insertInto('message')
        .values({
          id: ids.uuid(), channel: 'inapp', recipient: m.customerId, customer_id: m.customerId, category: m.category, template: m.template,
          locale: m.locale, subject: m.title, body: m.body, status: 'delivered', provider: 'inapp', attempts: 1, error: null, created_at: now, sent_at: now,
        })
        .execute();
    },

    async list(customerId: string, q: { limit?: number; cursor?: string }) {
      const limit = q.limit ?? 30;
      let query = db.selectFrom('message').selectAll().where('customer_id', '=', customerId).where('channel', '=', 'inapp')
        .orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
      const c = decodeCursor(q.cursor);
      if (c) query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
      const rows = await query.execute();
      const unread = await db.selectFrom('message').select((eb) => eb.fn.countAll<number>().as('n'))
        .where('customer_id', '=', customerId).where('channel', '=', 'inapp').where('status', '!=', 'read').executeTakeFirstOrThrow();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const items: InboxItem[] = page.map((r) => ({ id: r.id, category: r.category, template: r.template, title: r.subject, body: r.body, read: r.status === 'read', createdAt: r.created_at.toISOString() }));
      return { items, unread: unread.n, nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** Mark some (or all) of a customer's inbox read; returns how many changed. */
    async markRead(customerId: string, ids_: string[] | 'all'): Promise<number> {
      let q = db.updateTable('message').set({ status: 'read' }).where('customer_id', '=', customerId).where('channel', '=', 'inapp').where('status', '!=', 'read');
      if (ids_ !== 'all') q = q.where('id', 'in', ids_.length ? ids_ : ['00000000-0000-0000-0000-000000000000']);
      const r = await q.executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
export type Inbox = ReturnType<typeof createInbox>;
