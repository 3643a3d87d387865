import type { AutoTopup, Payment, PaymentCreated, PaymentRequest } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import type { Ids } from '../../platform/ids.js';
import type { CallbackOutcome } from './payments.tables.js';
import type { PaymentProvider } from './gateway.js';
import { toPayment } from './payments.mapper.js';
import './payments.tables.js';
import '../lines/lines.tables.js';

/** Pending payments not paid within this window expire; a later callback changes nothing. */
export const PAYMENT_TTL_MS = 15 * 60_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** One callback attempt as the log keeps it. */
export interface CallbackLog {
  provider: string;
  paymentId: string | null;
  outcome: CallbackOutcome;
  signatureValid: boolean;
  body: string;
  ip: string;
}

/**
 * Payments as records: creating a pending payment, reading them, the
 * callback log and auto top-up settings. Money moves only in flows/payments.ts.
 */
export function createPayments({ db, clock, ids, provider }: { db: Db; clock: Clock; ids: Ids; provider: PaymentProvider }) {
  const withLine = (e: Executor) => e.selectFrom('payment as p').innerJoin('line as l', 'l.id', 'p.line_id').selectAll('p').select('l.msisdn');

  const callbackRow = (c: CallbackLog) => ({
    provider: c.provider.slice(0, 40), payment_id: c.paymentId, outcome: c.outcome, signature_valid: c.signatureValid, body: c.body.slice(0, 4000), ip: c.ip, received_at: clock.now(),
  });

  /** Keyset paging on (created_at, id), newest first: stable while new payments arrive. */
  async function page(query: ReturnType<typeof withLine>, q: { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const c = decodeCursor(q.cursor);
    if (c && !UUID.test(c.id)) throw invalid('invalid_cursor', 'The cursor is not valid');
    if (c) query = query.where(sql<boolean>`(p.created_at, p.id) < (${c.at}, ${c.id}::uuid)`);
    const rows = await query.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(limit + 1).execute();
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    return { items: items.map(toPayment), nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null };
  }

  return {
    provider,

    /**
     * A pending payment on one of the customer's lines, and what the gateway needs.
     * @throws not_found `line_not_found`
     */
    async create(trx: Executor, customerId: string, input: PaymentRequest): Promise<PaymentCreated> {
      const now = clock.now();
      const id = ids.uuid();
      const row = {
        id, customer_id: customerId, line_id: input.lineId, provider: provider.name, method: input.method, origin: 'subscriber' as const,
        amount_fen: input.amount, status: 'pending' as const, provider_ref: null, ledger_tx_id: null,
        created_at: now, expires_at: new Date(now.getTime() + PAYMENT_TTL_MS), captured_at: null,
      };
      // One round trip: the line must be the customer's and open; the payment is written only then.
      const r = await sql<{ msisdn: string }>`WITH l AS (
          SELECT id, msisdn FROM line WHERE id = ${input.lineId} AND customer_id = ${customerId} AND status <> 'closed'
        ), p AS (
          INSERT INTO payment (id, customer_id, line_id, provider, method, origin, amount_fen, status, created_at, expires_at)
          SELECT ${id}, ${customerId}, l.id, ${row.provider}, ${row.method}, ${row.origin}, ${row.amount_fen}, ${row.status}, ${row.created_at}, ${row.expires_at} FROM l
        )
        SELECT msisdn FROM l`.execute(trx);
      const line = r.rows[0];
      if (!line) throw notFound('line');
      return { payment: toPayment({ ...row, refunded_fen: 0, msisdn: line.msisdn }), gateway: { provider: provider.name, ...provider.checkout({ id, amountFen: input.amount }) } };
    },

    /** A customer's payments, newest first, a page at a time. @throws invalid_data `invalid_cursor` */
    async list(customerId: string, q: { limit?: number; cursor?: string }): Promise<{ items: Payment[]; nextCursor: string | null }> {
      return page(withLine(db).where('p.customer_id', '=', customerId), q);
    },

    /** One payment; someone else's answers the same as a missing one. @throws not_found */
    async get(customerId: string | null, id: string): Promise<Payment> {
      let q = withLine(db).where('p.id', '=', id);
      if (customerId) q = q.where('p.customer_id', '=', customerId);
      const row = await q.executeTakeFirst();
      if (!row) throw notFound('payment');
      return toPayment(row);
    },

    /** Staff search by number, status or id, newest first, a page at a time. @throws invalid_data `invalid_cursor` */
    async search(q: { msisdn?: string; status?: Payment['status']; paymentId?: string; limit?: number; cursor?: string }): Promise<{ items: Payment[]; nextCursor: string | null }> {
      let query = withLine(db);
      if (q.msisdn) query = query.where('l.msisdn', 'like', `${q.msisdn}%`);
      if (q.status) query = query.where('p.status', '=', q.status);
      if (q.paymentId) query = query.where('p.id', '=', q.paymentId);
      return page(query, q);
    },

    /** Record one callback attempt, whatever became of it. */
    async logCallback(e: Executor, c: CallbackLog) {
      await e.insertInto('payment_callback').values(callbackRow(c)).execute();
    },

    /**
     * Mark a locked pending payment captured and record the callback that
     * captured it, in one statement (the capture hot path).
     */
    async markCaptured(trx: Executor, id: string, v: { providerRef: string; ledgerTxId: string; at: Date }, c: CallbackLog) {
      await trx.with('captured', (w) => w.updateTable('payment').set({ status: 'captured', captured_at: v.at, provider_ref: v.providerRef, ledger_tx_id: v.ledgerTxId }).where('id', '=', id))
        .insertInto('payment_callback').values(callbackRow(c)).execute();
    },

    async callbacks(paymentId: string) {
      return db.selectFrom('payment_callback').selectAll().where('payment_id', '=', paymentId).orderBy('id').execute();
    },

    /** Mark pending payments past their deadline as expired; returns how many. */
    async expireDue(): Promise<number> {
      const r = await db.updateTable('payment').set({ status: 'expired' }).where('status', '=', 'pending').where('expires_at', '<=', clock.now()).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },

    /** Auto top-up settings of a line (disabled defaults when never set). @throws not_found */
    async autoTopup(customerId: string, lineId?: string): Promise<AutoTopup> {
      let q = db.selectFrom('line').select('id').where('customer_id', '=', customerId).where('status', '!=', 'closed').orderBy('created_at');
      if (lineId) q = q.where('id', '=', lineId);
      const line = await q.executeTakeFirst();
      if (!line) throw notFound('line');
      const row = await db.selectFrom('auto_topup').selectAll().where('line_id', '=', line.id).executeTakeFirst();
      if (!row) return { lineId: line.id, enabled: false, threshold: 1000, amount: 5000, dailyMaxCount: 1, dailyMaxAmount: 5000 };
      return { lineId: row.line_id, enabled: row.enabled, threshold: row.threshold_fen, amount: row.amount_fen, dailyMaxCount: row.daily_max_count, dailyMaxAmount: row.daily_max_fen };
    },

    /** @throws not_found, invalid_data `daily_cap_below_amount` */
    async setAutoTopup(customerId: string, s: AutoTopup): Promise<AutoTopup> {
      const line = await db.selectFrom('line').select('id').where('id', '=', s.lineId).where('customer_id', '=', customerId).where('status', '!=', 'closed').executeTakeFirst();
      if (!line) throw notFound('line');
      if (s.dailyMaxAmount < s.amount) throw new AppError('invalid_data', 'daily_cap_below_amount', 'The daily cap must allow at least one top-up');
      const v = { enabled: s.enabled, threshold_fen: s.threshold, amount_fen: s.amount, daily_max_count: s.dailyMaxCount, daily_max_fen: s.dailyMaxAmount, updated_at: clock.now() };
      await db.insertInto('auto_topup').values({ line_id: line.id, customer_id: customerId, ...v })
        .onConflict((oc) => oc.column('line_id').doUpdateSet(v)).execute();
      return s;
    },
  };
}
export type Payments = ReturnType<typeof createPayments>;
