/**
 * Orders read side: search with cursor paging (console), a customer's orders
 * (360, subscriber "my orders"), one order with its history. Writing is in
 * orders.record.ts (inside the flows' transactions); staff sales in
 * flows/place-order.ts.
 */
import type { Order, OrderDetail, OrderQuery } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import './orders.tables.js';
import '../lines/lines.tables.js';
import '../customers/customers.tables.js';

interface Row {
  id: string; customer_id: string; customer_name: string; line_id: string | null; msisdn: string | null; kind: Order['kind']; status: Order['status'];
  channel: Order['channel']; title: string; amount_fen: number; points: number; ref_type: string | null; ref_id: string | null; placed_by: string;
  created_at: Date; updated_at: Date; details: Record<string, unknown>;
}

const toOrder = (r: Row, mask: (s: string) => string): Order => ({
  id: r.id, customerId: r.customer_id, customerName: r.customer_name, lineId: r.line_id, msisdn: r.msisdn === null ? null : mask(r.msisdn), kind: r.kind, status: r.status,
  channel: r.channel, title: r.title, amount: { amount: Number(r.amount_fen), currency: 'CNY' }, points: Number(r.points), refType: r.ref_type, refId: r.ref_id,
  placedBy: r.placed_by, createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export function createOrders({ db }: { db: Db }) {
  const base = () => db.selectFrom('customer_order as o').innerJoin('customer as c', 'c.id', 'o.customer_id').leftJoin('line as l', 'l.id', 'o.line_id')
    .select(['o.id', 'o.customer_id', 'c.name as customer_name', 'o.line_id', 'l.msisdn', 'o.kind', 'o.status', 'o.channel', 'o.title', 'o.amount_fen', 'o.points',
      'o.ref_type', 'o.ref_id', 'o.placed_by', 'o.created_at', 'o.updated_at', 'o.details']);

  /** One order with its status history; `customerId` limits it to that customer's (subscriber). @throws not_found `order_not_found` */
  async function detail(id: string, mask: (s: string) => string, customerId?: string): Promise<OrderDetail> {
    let q = base().where('o.id', '=', id);
    if (customerId) q = q.where('o.customer_id', '=', customerId);
    const r = (await q.executeTakeFirst());
    if (!r) throw notFound('order');
    const history = await db.selectFrom('customer_order_event').select(['status', 'note', 'actor', 'at']).where('order_id', '=', id).orderBy('id').execute();
    return { ...toOrder(r, mask), details: r.details, history: history.map((h) => ({ status: h.status, note: h.note, actor: h.actor, at: h.at.toISOString() })) };
  }

  return {
    detail,

    /**
     * Newest first, keyset-paged. `q`: a full phone / line number, else a
     * customer name prefix or words of the title. `mask` hides numbers.
     * @throws invalid_data `invalid_cursor`
     */
    async search(q: OrderQuery & { customerId?: string }, mask: (s: string) => string): Promise<{ items: Order[]; nextCursor: string | null }> {
      const limit = q.limit ?? 50;
      const after = decodeCursor(q.cursor);
      let query = base();
      if (q.customerId) query = query.where('o.customer_id', '=', q.customerId);
      if (q.kind) query = query.where('o.kind', '=', q.kind);
      if (q.status) query = query.where('o.status', '=', q.status);
      if (q.channel) query = query.where('o.channel', '=', q.channel);
      if (q.q) {
        const term = q.q.trim();
        query = /^\+?(86)?1[3-9][0-9]{9}$/.test(term)
          ? query.where((eb) => eb.or([eb('l.msisdn', '=', term.slice(-11)), eb('c.phone', '=', term.slice(-11))]))
          : query.where((eb) => eb.or([eb('c.name', 'like', `${term.replace(/[%_\\]/g, '\\$&')}%`), eb('o.title', 'ilike', `%${term.replace(/[%_\\]/g, '\\$&')}%`)]));
      }
      if (after) query = query.where(sql<boolean>`(o.created_at, o.id) < (${after.at}, ${after.id}::uuid)`);
      const rows = (await query.orderBy('o.created_at', 'desc').orderBy('o.id', 'desc').limit(limit + 1).execute()) as Row[];
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return { items: page.map((r) => toOrder(r, mask)), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
    },

    /** The order that produced a record (e.g. 'plan_change', id). @throws not_found `order_not_found` */
    async detailByRef(refType: string, refId: string, mask: (s: string) => string): Promise<OrderDetail> {
      const r = await db.selectFrom('customer_order').select('id').where('ref_type', '=', refType).where('ref_id', '=', refId).executeTakeFirst();
      if (!r) throw notFound('order');
      return detail(r.id, mask);
    },

  };
}
export type Orders = ReturnType<typeof createOrders>;
