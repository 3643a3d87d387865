import type { Bill, BillRunResult } from '@telehall/contracts';
import { sql, type Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/outbox.js';
import { cny } from '../catalog/catalog.mapper.js';
import { cycleOf } from '../lines/cycle.js';
import type { BillTable } from './billing.tables.js';
import './billing.tables.js';
import '../lines/lines.tables.js';

const BATCH = 500;

/** "2026-11" → that China-time calendar month. @throws invalid_data `invalid_cycle` */
export function cycleWindow(cycle: string): { start: Date; end: Date } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(cycle);
  if (!m) throw new AppError('invalid_data', 'invalid_cycle', 'The cycle must look like 2026-11');
  return cycleOf(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 15)));
}

export const toBill = (r: Selectable<BillTable> & { msisdn: string }): Bill => ({
  id: r.id, lineId: r.line_id, msisdn: r.msisdn, cycle: r.cycle, cycleStart: r.cycle_start.toISOString(), cycleEnd: r.cycle_end.toISOString(),
  openingBalance: cny(r.opening_fen), planFees: cny(r.plan_fee_fen), addons: cny(r.addon_fen),
  overage: { data: cny(r.overage_data_fen), voice: cny(r.overage_voice_fen), sms: cny(r.overage_sms_fen) },
  adjustments: cny(r.adjustment_fen), payments: cny(r.payment_fen), refunds: cny(r.refund_fen), other: cny(r.other_fen),
  closingBalance: cny(r.closing_fen), createdAt: r.created_at.toISOString(),
});

/**
 * Monthly bills: one per line and cycle, every figure summed from the line's
 * ledger entries in the cycle window by transaction kind, so a bill ties to
 * the books exactly. Re-running a cycle creates only the bills still missing.
 */
export function createBilling({ db, clock, log }: { db: Db; clock: Clock; log: Logger }) {
  const withLine = () => db.selectFrom('bill as b').innerJoin('line as l', 'l.id', 'b.line_id').selectAll('b').select('l.msisdn');

  return {
    /**
     * Bill every line active during a closed cycle; emits `bill.ready` per new bill.
     * @throws invalid_data `invalid_cycle`, unprocessable `cycle_not_closed`
     */
    async run(cycle: string, onProgress?: (done: number, total: number) => void): Promise<BillRunResult> {
      const { start, end } = cycleWindow(cycle);
      if (end > clock.now()) throw new AppError('unprocessable', 'cycle_not_closed', `The cycle ${cycle} has not ended yet`);
      const lines = await sql<{ id: string }>`SELECT l.id FROM line l JOIN ledger_account a ON a.line_id = l.id AND a.kind = 'line_balance'
        WHERE l.activated_at < ${end} ORDER BY l.id`.execute(db);
      const all = lines.rows.map((r) => r.id);
      let created = 0;
      onProgress?.(0, all.length);
      for (let i = 0; i < all.length; i += BATCH) {
        const batch = all.slice(i, i + BATCH);
        created += await inTransaction(db, async (trx) => {
          const now = clock.now();
          const rows = await sql<{ id: string; line_id: string; customer_id: string; closing_fen: number }>`
            INSERT INTO bill (id, line_id, customer_id, cycle, cycle_start, cycle_end, opening_fen, plan_fee_fen, addon_fen,
              overage_data_fen, overage_voice_fen, overage_sms_fen, adjustment_fen, payment_fen, refund_fen, other_fen, closing_fen, created_at)
            SELECT gen_random_uuid(), l.id, l.customer_id, ${cycle}, ${start}::timestamptz, ${end}::timestamptz, x.opening,
              x.plan_fee, x.addon, coalesce(o.data, 0), coalesce(o.voice, 0), coalesce(o.sms, 0), x.adjustment, x.payment, x.refund,
              x.total - (-x.plan_fee - x.addon - x.overage + x.adjustment + x.payment - x.refund), x.opening + x.total, ${now}::timestamptz
            FROM line l
            JOIN ledger_account a ON a.line_id = l.id AND a.kind = 'line_balance'
            CROSS JOIN LATERAL (
              SELECT
                coalesce(sum(e.amount) FILTER (WHERE e.created_at < ${start}), 0)::bigint AS opening,
                coalesce(sum(e.amount) FILTER (WHERE e.created_at >= ${start}), 0)::bigint AS total,
                coalesce(-sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind IN ('plan_fee', 'plan_change')), 0)::bigint AS plan_fee,
                coalesce(-sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind = 'addon_purchase'), 0)::bigint AS addon,
                coalesce(-sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind = 'usage_overage'), 0)::bigint AS overage,
                coalesce(sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind = 'staff_adjustment'), 0)::bigint AS adjustment,
                coalesce(sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind = 'payment'), 0)::bigint AS payment,
                coalesce(-sum(e.amount) FILTER (WHERE e.created_at >= ${start} AND t.kind = 'refund'), 0)::bigint AS refund
              FROM ledger_entry e JOIN ledger_tx t ON t.id = e.tx_id
              WHERE e.account_id = a.id AND e.created_at < ${end}
            ) x
            LEFT JOIN LATERAL (
              -- overage by type: what the usage transactions paid into each overage revenue account
              SELECT sum(ce.amount) FILTER (WHERE ca.code = 'revenue:overage:data')::bigint AS data,
                     sum(ce.amount) FILTER (WHERE ca.code = 'revenue:overage:voice')::bigint AS voice,
                     sum(ce.amount) FILTER (WHERE ca.code = 'revenue:overage:sms')::bigint AS sms
              FROM ledger_tx ut JOIN ledger_entry ce ON ce.tx_id = ut.id JOIN ledger_account ca ON ca.id = ce.account_id
              WHERE ut.line_id = l.id AND ut.kind = 'usage_overage' AND ut.created_at >= ${start} AND ut.created_at < ${end} AND ca.line_id IS NULL
            ) o ON true
            WHERE l.id = ANY(${batch}::uuid[])
            ON CONFLICT ON CONSTRAINT bill_line_cycle_uq DO NOTHING
            RETURNING id, line_id, customer_id, closing_fen`.execute(trx);
          for (const r of rows.rows) {
            await enqueue(trx, clock, 'bill.ready', r.line_id, { billId: r.id, lineId: r.line_id, customerId: r.customer_id, cycle, closingFen: r.closing_fen });
          }
          return rows.rows.length;
        });
        onProgress?.(Math.min(all.length, i + BATCH), all.length);
      }
      log.info({ cycle, lines: all.length, created }, 'bill run');
      return { cycle, lines: all.length, created, existing: all.length - created };
    },

    async list(customerId: string): Promise<{ items: Bill[]; nextCursor: null }> {
      const rows = await withLine().where('b.customer_id', '=', customerId).orderBy('b.cycle_start', 'desc').orderBy('l.msisdn').limit(120).execute();
      return { items: rows.map(toBill), nextCursor: null };
    },

    /** @throws not_found `bill_not_found` (also for someone else's bill) */
    async get(customerId: string | null, id: string): Promise<Bill> {
      let q = withLine().where('b.id', '=', id);
      if (customerId) q = q.where('b.customer_id', '=', customerId);
      const row = await q.executeTakeFirst();
      if (!row) throw notFound('bill');
      return toBill(row);
    },
  };
}
export type Billing = ReturnType<typeof createBilling>;
