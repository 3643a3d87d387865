import type { QueueQuery, Ticket, TicketCreate, TicketDetail, TicketMessage, TicketUpdate } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Executor, type Trx } from '../../platform/db.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { enqueue } from '../../platform/outbox.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import '../customers/customers.tables.js';
import '../identity/identity.tables.js';
import '../lines/lines.tables.js';
import { agentLoad, pickAssignee } from './support.assign.js';
import type { SupportLive } from './support.live.js';
import { toTicket, toTicketMessage } from './support.mapper.js';
import { canMove, canReopen, PRIORITY_BY_CATEGORY, slaDue } from './support.rules.js';
import type { TicketStatus } from './support.tables.js';

export interface StaffActor extends Actor {
  id: string;
}

const unprocessable = (code: string, message: string) => new AppError('unprocessable', code, message);

/**
 * Support tickets for both sides. Subscribers reach only their own tickets
 * (anything else is "not found") and never see internal notes: every
 * subscriber read filters `internal = false` in SQL.
 *
 * Errors: not_found `ticket_not_found`; conflict `ticket_closed`,
 * `already_rated`, `ticket_not_closed`; unprocessable `reopen_window_passed`,
 * `invalid_transition`, `assignee_not_agent`; invalid_data `line_not_yours`.
 */
export function createTickets(d: { db: Db; clock: Clock; ids: Ids; audit: Audit; live: SupportLive }) {
  const { db, clock, ids, live } = d;

  const baseQuery = (ex: Executor) =>
    ex.selectFrom('ticket').leftJoin('staff_user', 'staff_user.id', 'ticket.assignee_id').selectAll('ticket').select('staff_user.display_name as assignee_name');

  async function load(ex: Executor, id: string, customerId?: string, lock = false) {
    let q = ex.selectFrom('ticket').selectAll().where('id', '=', id);
    if (customerId) q = q.where('customer_id', '=', customerId);
    const r = await (lock ? q.forUpdate() : q).executeTakeFirst();
    if (!r) throw notFound('ticket');
    return r;
  }

  async function view(ex: Executor, id: string): Promise<Ticket> {
    return toTicket(await baseQuery(ex).where('ticket.id', '=', id).executeTakeFirstOrThrow(), clock.now());
  }

  async function messages(ex: Executor, ticketId: string, includeInternal: boolean): Promise<TicketMessage[]> {
    let q = ex.selectFrom('ticket_message').selectAll().where('ticket_id', '=', ticketId).orderBy('created_at').orderBy('id');
    if (!includeInternal) q = q.where('internal', '=', false);
    return (await q.execute()).map(toTicketMessage);
  }

  async function addMessage(trx: Trx, t: { id: string; customer_id: string }, m: { kind: 'subscriber' | 'staff'; authorId: string; body: string; internal?: boolean }) {
    const who = m.kind === 'subscriber'
      ? await trx.selectFrom('customer').select('name').where('id', '=', m.authorId).executeTakeFirst()
      : await trx.selectFrom('staff_user').select('display_name as name').where('id', '=', m.authorId).executeTakeFirst();
    const row = await trx.insertInto('ticket_message').values({
      id: ids.uuid(), ticket_id: t.id, customer_id: t.customer_id, author_kind: m.kind, author_id: m.authorId, author_name: who?.name ?? '',
      body: m.body, internal: m.internal ?? false, created_at: clock.now(), read_at: null,
    }).returningAll().executeTakeFirstOrThrow();
    return toTicketMessage(row);
  }

  function setStatus(to: TicketStatus, now: Date) {
    if (to === 'resolved') return { status: to, resolved_at: now, updated_at: now };
    if (to === 'closed') return { status: to, closed_at: now, updated_at: now };
    return { status: to, updated_at: now };
  }

  async function list(q: ReturnType<typeof baseQuery>, limit: number, cursor: string | undefined) {
    const c = decodeCursor(cursor);
    if (c) q = q.where((eb) => eb.or([eb('ticket.created_at', '<', c.at), eb.and([eb('ticket.created_at', '=', c.at), eb('ticket.id', '<', c.id)])]));
    const rows = await q.orderBy('ticket.created_at', 'desc').orderBy('ticket.id', 'desc').limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    const now = clock.now();
    return { items: page.map((r) => toTicket(r, now)), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }

  const publishTicket = async (id: string) => live.publish(id, { type: 'ticket', ticket: await view(db, id) });

  return {
    // -- subscriber side ---------------------------------------------------
    async open(customerId: string, input: TicketCreate): Promise<TicketDetail> {
      const id = await inTransaction(db, async (trx) => {
        if (input.ref?.kind === 'line') {
          const line = await trx.selectFrom('line').select('id').where('customer_id', '=', customerId)
            .where((eb) => eb.or([eb('msisdn', '=', input.ref!.id), eb(eb.cast('id', 'text'), '=', input.ref!.id)])).executeTakeFirst();
          if (!line) throw invalid('line_not_yours', 'That line is not on your account');
        }
        const now = clock.now();
        const priority = PRIORITY_BY_CATEGORY[input.category];
        const id = ids.uuid();
        const assignee = await pickAssignee(trx);
        await trx.insertInto('ticket').values({
          id, customer_id: customerId, subject: input.subject.trim(), category: input.category, priority, status: 'open',
          ref_kind: input.ref?.kind ?? null, ref_id: input.ref?.id ?? null, assignee_id: assignee, sla_due_at: slaDue(now, priority),
          first_response_at: null, resolved_at: null, closed_at: null, rating: null, rating_comment: null, created_at: now, updated_at: now,
        }).execute();
        await addMessage(trx, { id, customer_id: customerId }, { kind: 'subscriber', authorId: customerId, body: input.body });
        return id;
      });
      return { ticket: await view(db, id), messages: await messages(db, id, false) };
    },

    listMine: (customerId: string, q: { limit?: number; cursor?: string }) => list(baseQuery(db).where('ticket.customer_id', '=', customerId), q.limit ?? 30, q.cursor),

    async getMine(customerId: string, id: string): Promise<TicketDetail> {
      await load(db, id, customerId);
      return { ticket: await view(db, id), messages: await messages(db, id, false) };
    },

    /** Ownership check without loading messages (SSE). */
    async assertMine(customerId: string, id: string): Promise<void> {
      await load(db, id, customerId);
    },

    async postMine(customerId: string, id: string, body: string): Promise<TicketMessage> {
      const m = await inTransaction(db, async (trx) => {
        const t = await load(trx, id, customerId, true);
        const now = clock.now();
        if (t.status === 'closed') throw conflict('ticket_closed', 'This ticket is closed; open a new one');
        if (t.status === 'resolved' && !canReopen(t.status, t.resolved_at, now)) throw unprocessable('reopen_window_passed', 'This ticket was resolved more than 7 days ago');
        if (t.status !== 'open') {
          await trx.updateTable('ticket').set(t.status === 'resolved' ? { status: 'open', resolved_at: null, sla_due_at: slaDue(now, t.priority), updated_at: now } : { status: 'open', updated_at: now })
            .where('id', '=', id).execute();
        } else {
          await trx.updateTable('ticket').set({ updated_at: now }).where('id', '=', id).execute();
        }
        return addMessage(trx, t, { kind: 'subscriber', authorId: customerId, body });
      });
      live.publish(id, { type: 'message', message: m });
      await publishTicket(id);
      return m;
    },

    /** Reopen a resolved ticket within 7 days of its resolution; the SLA starts again. */
    async reopen(customerId: string, id: string): Promise<Ticket> {
      await inTransaction(db, async (trx) => {
        const t = await load(trx, id, customerId, true);
        const now = clock.now();
        if (t.status !== 'resolved') throw unprocessable('invalid_transition', `A ${t.status} ticket cannot be reopened`);
        if (!canReopen(t.status, t.resolved_at, now)) throw unprocessable('reopen_window_passed', 'This ticket was resolved more than 7 days ago');
        await trx.updateTable('ticket').set({ status: 'open', resolved_at: null, sla_due_at: slaDue(now, t.priority), updated_at: now }).where('id', '=', id).execute();
      });
      await publishTicket(id);
      return view(db, id);
    },

    async closeMine(customerId: string, id: string): Promise<Ticket> {
      await inTransaction(db, async (trx) => {
        const t = await load(trx, id, customerId, true);
        if (t.status === 'closed') return;
        await trx.updateTable('ticket').set(setStatus('closed', clock.now())).where('id', '=', id).execute();
      });
      await publishTicket(id);
      return view(db, id);
    },

    async rate(customerId: string, id: string, rating: number, comment?: string): Promise<Ticket> {
      await inTransaction(db, async (trx) => {
        const t = await load(trx, id, customerId, true);
        if (t.status !== 'closed') throw conflict('ticket_not_closed', 'Rate a ticket once it is closed');
        if (t.rating !== null) throw conflict('already_rated', 'This ticket is already rated');
        await trx.updateTable('ticket').set({ rating, rating_comment: comment?.trim() || null, updated_at: clock.now() }).where('id', '=', id).execute();
      });
      await publishTicket(id);
      return view(db, id);
    },

    /** The viewer has seen the other side's messages up to now. */
    async markRead(by: 'subscriber' | 'staff', id: string, customerId?: string): Promise<number> {
      await load(db, id, customerId);
      const at = clock.now();
      const r = await db.updateTable('ticket_message').set({ read_at: at }).where('ticket_id', '=', id).where('read_at', 'is', null)
        .where('author_kind', '=', by === 'subscriber' ? 'staff' : 'subscriber').where('internal', '=', false).executeTakeFirst();
      const n = Number(r.numUpdatedRows);
      if (n) live.publish(id, { type: 'read', by, at: at.toISOString() });
      return n;
    },

    // -- staff side --------------------------------------------------------
    async queue(staffId: string, q: QueueQuery) {
      let query = baseQuery(db);
      const filter = q.filter ?? 'all';
      if (q.status) query = query.where('ticket.status', '=', q.status);
      else if (filter !== 'all') query = query.where('ticket.status', 'in', ['open', 'pending']);
      if (filter === 'unassigned') query = query.where('ticket.assignee_id', 'is', null);
      if (filter === 'mine') query = query.where('ticket.assignee_id', '=', staffId);
      if (filter === 'breaching') query = query.where('ticket.sla_due_at', '<', clock.now()).where('ticket.status', 'in', ['open', 'pending']);
      return list(query, q.limit ?? 50, q.cursor);
    },

    async get(id: string): Promise<TicketDetail> {
      await load(db, id);
      return { ticket: await view(db, id), messages: await messages(db, id, true) };
    },

    async assertExists(id: string): Promise<void> {
      await load(db, id);
    },

    /** A reply goes to the subscriber (and notifies them); an internal note stays with staff. */
    async reply(actor: StaffActor, id: string, body: string, internal: boolean): Promise<TicketMessage> {
      const m = await inTransaction(db, async (trx) => {
        const t = await load(trx, id, undefined, true);
        if (t.status === 'closed') throw conflict('ticket_closed', 'This ticket is closed');
        const msg = await addMessage(trx, t, { kind: 'staff', authorId: actor.id, body, internal });
        if (!internal) {
          const now = clock.now();
          await trx.updateTable('ticket').set({ status: t.status === 'open' ? 'pending' : t.status, first_response_at: t.first_response_at ?? now, updated_at: now })
            .where('id', '=', id).execute();
          await enqueue(trx, clock, 'ticket.replied', id, { customerId: t.customer_id, ticketId: id, subject: t.subject, messageId: msg.id });
        }
        await d.audit.record(trx, actor, { action: internal ? 'ticket.note' : 'ticket.reply', resourceType: 'ticket', resourceId: id });
        return msg;
      });
      live.publish(id, { type: 'message', message: m }, internal);
      if (!internal) await publishTicket(id);
      return m;
    },

    async update(actor: StaffActor, id: string, patch: TicketUpdate): Promise<Ticket> {
      await inTransaction(db, async (trx) => {
        const t = await load(trx, id, undefined, true);
        const now = clock.now();
        if (patch.status && patch.status !== t.status) {
          if (!canMove(t.status, patch.status)) throw unprocessable('invalid_transition', `A ${t.status} ticket cannot become ${patch.status}`);
          const reopening = t.status === 'resolved' && patch.status === 'open';
          await trx.updateTable('ticket').set({ ...setStatus(patch.status, now), ...(reopening ? { resolved_at: null, sla_due_at: slaDue(now, t.priority) } : {}) })
            .where('id', '=', id).execute();
        }
        if (patch.priority && patch.priority !== t.priority) {
          await trx.updateTable('ticket').set({ priority: patch.priority, sla_due_at: slaDue(t.created_at, patch.priority), updated_at: now }).where('id', '=', id).execute();
        }
        if (patch.category) await trx.updateTable('ticket').set({ category: patch.category, updated_at: now }).where('id', '=', id).execute();
        await d.audit.record(trx, actor, { action: 'ticket.update', resourceType: 'ticket', resourceId: id, details: { ...patch } });
      });
      await publishTicket(id);
      return view(db, id);
    },

    /** Assign or transfer to an active agent (null: back to the unassigned queue). */
    async assign(actor: StaffActor, id: string, assigneeId: string | null): Promise<Ticket> {
      await inTransaction(db, async (trx) => {
        const t = await load(trx, id, undefined, true);
        if (assigneeId) {
          const a = await trx.selectFrom('staff_user').select('id').where('id', '=', assigneeId).where('status', '=', 'active').where('role', 'in', ['agent', 'admin']).executeTakeFirst();
          if (!a) throw unprocessable('assignee_not_agent', 'Tickets can only go to an active agent');
        }
        await trx.updateTable('ticket').set({ assignee_id: assigneeId, updated_at: clock.now() }).where('id', '=', id).execute();
        await d.audit.record(trx, actor, { action: 'ticket.assign', resourceType: 'ticket', resourceId: id, details: { from: t.assignee_id, to: assigneeId } });
      });
      await publishTicket(id);
      return view(db, id);
    },

    agents: () => agentLoad(db),
  };
}
export type Tickets = ReturnType<typeof createTickets>;
