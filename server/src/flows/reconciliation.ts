import type { Reconciliation } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { cny } from '../modules/catalog/catalog.mapper.js';
import { localDay } from '../modules/payments/payments.mapper.js';

const DAY = 86_400_000;
const OFFSET = 8 * 3600_000;

function dayStart(day: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== day) throw new AppError('invalid_data', 'invalid_date', `${day} is not a date`);
  return new Date(t - OFFSET);
}

/**
 * Daily reconciliation (China time): what the gateway captured and refunded
 * (payment records) against what the ledger credited and debited through the
 * clearing account, and against the payments printed on bills. Every
 * mismatch is listed, payment by payment.
 * @throws invalid_data `invalid_date` | `invalid_range`
 */
export function createReconciliation({ db }: { db: Db }) {
  return {
    async run(from: string, to: string): Promise<Reconciliation> {
      const start = dayStart(from);
      const end = new Date(dayStart(to).getTime() + DAY);
      if (end <= start || end.getTime() - start.getTime() > 92 * DAY) throw new AppError('invalid_data', 'invalid_range', 'from must not be after to, and the range is at most 92 days');

      const captures = await sql<{ id: string; line_id: string; amount_fen: number; captured_at: Date }>`
        SELECT id, line_id, amount_fen, captured_at FROM payment WHERE captured_at >= ${start} AND captured_at < ${end}`.execute(db);
      const credits = await sql<{ reference: string | null; amount: number; created_at: Date; kind: string }>`
        SELECT t.reference, t.kind, t.created_at, (-sum(e.amount))::bigint AS amount FROM ledger_tx t
        JOIN ledger_entry e ON e.tx_id = t.id JOIN ledger_account a ON a.id = e.account_id AND a.kind = 'clearing'
        WHERE t.kind IN ('payment', 'refund') AND t.created_at >= ${start} AND t.created_at < ${end} GROUP BY t.id`.execute(db);
      const refunds = await sql<{ id: string; amount_fen: number; created_at: Date }>`
        SELECT id, amount_fen, created_at FROM payment_refund WHERE created_at >= ${start} AND created_at < ${end}`.execute(db);
      const bills = await sql<{ id: string; line_id: string; cycle_start: Date; cycle_end: Date; payment_fen: number; captured: number }>`
        SELECT b.id, b.line_id, b.cycle_start, b.cycle_end, b.payment_fen,
          coalesce((SELECT sum(p.amount_fen) FROM payment p WHERE p.line_id = b.line_id AND p.captured_at >= b.cycle_start AND p.captured_at < b.cycle_end), 0)::bigint AS captured
        FROM bill b WHERE b.cycle_start < ${end} AND b.cycle_end > ${start}`.execute(db);

      type Day = { cap: number; cred: number; ref: number; lref: number; billed: number };
      const days = new Map<string, Day>();
      for (let t = start.getTime(); t < end.getTime(); t += DAY) days.set(localDay(new Date(t)), { cap: 0, cred: 0, ref: 0, lref: 0, billed: 0 });
      const dayOf = (at: Date) => days.get(localDay(at))!;
      const differences: Reconciliation['differences'] = [];
      const diff = (kind: string, at: Date, paymentId: string | null, billId: string | null, expected: number, actual: number) =>
        differences.push({ kind, day: localDay(at), paymentId, billId, expected: cny(expected), actual: cny(actual) });

      const ledgerByRef = new Map(credits.rows.map((c) => [c.reference ?? '', c]));
      const billed = new Set(bills.rows.map((b) => `${b.line_id}:${b.cycle_start.getTime()}`));
      for (const p of captures.rows) {
        dayOf(p.captured_at).cap += p.amount_fen;
        const c = ledgerByRef.get(`payment:${p.id}`);
        if (!c) diff('capture_without_credit', p.captured_at, p.id, null, p.amount_fen, 0);
        else if (c.amount !== p.amount_fen) diff('amount_differs', p.captured_at, p.id, null, p.amount_fen, c.amount);
        const cyc = bills.rows.find((b) => b.line_id === p.line_id && b.cycle_start <= p.captured_at && p.captured_at < b.cycle_end);
        if (cyc && billed.has(`${cyc.line_id}:${cyc.cycle_start.getTime()}`)) dayOf(p.captured_at).billed += p.amount_fen;
      }
      const captured = new Set(captures.rows.map((p) => `payment:${p.id}`));
      const refundIds = new Map(refunds.rows.map((r) => [`refund:${r.id}`, r]));
      for (const c of credits.rows) {
        if (c.kind === 'payment') {
          dayOf(c.created_at).cred += c.amount;
          if (!captured.has(c.reference ?? '')) diff('credit_without_capture', c.created_at, c.reference?.slice(8) ?? null, null, 0, c.amount);
        } else {
          dayOf(c.created_at).lref += -c.amount;
          const r = refundIds.get(c.reference ?? '');
          if (!r || r.amount_fen !== -c.amount) diff('refund_differs', c.created_at, null, null, r?.amount_fen ?? 0, -c.amount);
        }
      }
      for (const r of refunds.rows) {
        dayOf(r.created_at).ref += r.amount_fen;
        if (!ledgerByRef.has(`refund:${r.id}`)) diff('refund_differs', r.created_at, null, null, r.amount_fen, 0);
      }
      for (const b of bills.rows) {
        if (b.payment_fen !== b.captured) diff('bill_payments_differ', b.cycle_start < start ? start : b.cycle_start, null, b.id, b.captured, b.payment_fen);
      }
      return {
        from, to,
        days: [...days].map(([day, v]) => ({
          day, gatewayCaptures: cny(v.cap), ledgerCredits: cny(v.cred), refunds: cny(v.ref), ledgerRefunds: cny(v.lref), billedPayments: cny(v.billed),
          balanced: v.cap === v.cred && v.ref === v.lref,
        })),
        differences,
      };
    },
  };
}
