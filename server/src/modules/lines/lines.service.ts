import { unitOf, type Balance, type Line, type UsageRecord, type UsageSummary } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { cny, toPlan } from '../catalog/catalog.mapper.js';
import type { UsageType } from '../charging/tariff.js';
import '../catalog/catalog.tables.js';
import '../charging/charging.tables.js';
import '../ledger/ledger.tables.js';
import './lines.tables.js';

/**
 * Read models of lines: what a subscriber (or staff) sees of a line's plan,
 * balance, allowances and itemised usage. Ownership is checked here: a line
 * that is not the customer's answers "not found".
 */
export function createLines({ db, clock }: { db: Db; clock: Clock }) {
  async function owned(trx: Executor, customerId: string | null, lineId?: string) {
    let q = trx.selectFrom('line').selectAll().where('status', '!=', 'closed').orderBy('created_at');
    if (customerId) q = q.where('customer_id', '=', customerId);
    if (lineId) q = q.where('id', '=', lineId);
    const line = await q.executeTakeFirst();
    if (!line) throw notFound('line');
    return line;
  }

  async function toLine(trx: Executor, l: Awaited<ReturnType<typeof owned>>): Promise<Line> {
    const plan = await trx.selectFrom('plan').selectAll().where('id', '=', l.plan_id).executeTakeFirstOrThrow();
    const acct = await trx.selectFrom('ledger_account').select('balance').where('code', '=', `line:${l.id}:CNY`).executeTakeFirstOrThrow();
    const sched = await trx.selectFrom('plan_change').innerJoin('plan', 'plan.id', 'plan_change.to_plan_id').selectAll('plan')
      .where('plan_change.line_id', '=', l.id).where('plan_change.status', '=', 'scheduled').executeTakeFirst();
    return {
      id: l.id, msisdn: l.msisdn, status: l.status, statusReason: l.status_reason, plan: toPlan(plan), balance: cny(acct.balance),
      creditLimit: cny(l.credit_limit_fen), cycleStart: l.cycle_start.toISOString(), cycleEnd: l.cycle_end.toISOString(),
      contractEnd: l.contract_end?.toISOString() ?? null, scheduledPlan: sched ? toPlan(sched) : null,
    };
  }

  return {
    owned,

    /** A customer's open lines (all customers' when `customerId` is null: staff). */
    async list(customerId: string): Promise<Line[]> {
      const rows = await db.selectFrom('line').selectAll().where('customer_id', '=', customerId).where('status', '!=', 'closed').orderBy('created_at').execute();
      return Promise.all(rows.map((l) => toLine(db, l)));
    },

    /** Staff search by number or customer. */
    async search(q: { msisdn?: string; customerId?: string }): Promise<Line[]> {
      if (!q.msisdn && !q.customerId) return [];
      let query = db.selectFrom('line').selectAll().orderBy('created_at').limit(50);
      if (q.msisdn) query = query.where('msisdn', '=', q.msisdn);
      if (q.customerId) query = query.where('customer_id', '=', q.customerId);
      return Promise.all((await query.execute()).map((l) => toLine(db, l)));
    },

    async get(customerId: string | null, lineId: string): Promise<Line> {
      return toLine(db, await owned(db, customerId, lineId));
    },

    /** @throws not_found `line_not_found` */
    async balance(customerId: string | null, lineId?: string): Promise<Balance> {
      const l = await owned(db, customerId, lineId);
      const acct = await db.selectFrom('ledger_account').select('balance').where('code', '=', `line:${l.id}:CNY`).executeTakeFirstOrThrow();
      return { lineId: l.id, balance: cny(acct.balance), creditLimit: cny(l.credit_limit_fen), asOf: clock.now().toISOString() };
    },

    /** Allowances valid now: per bucket and per kind. */
    async usage(customerId: string | null, lineId?: string): Promise<UsageSummary> {
      const l = await owned(db, customerId, lineId);
      const now = clock.now();
      const rows = await db.selectFrom('allowance_bucket as b')
        .leftJoin('plan as p', (j) => j.onRef('p.id', '=', 'b.source_id').on('b.source', '=', 'plan'))
        .leftJoin('addon as a', (j) => j.onRef('a.id', '=', 'b.source_id').on('b.source', '=', 'addon'))
        .select(['b.kind', 'b.source', 'b.total', 'b.used', 'b.expires_at', 'p.name_zh as plan_name', 'a.name_zh as addon_name', 'p.name_en as plan_name_en', 'a.name_en as addon_name_en'])
        .where('b.line_id', '=', l.id).where('b.starts_at', '<=', now).where('b.expires_at', '>', now)
        .orderBy('b.kind').orderBy('b.source', 'desc').orderBy('b.expires_at').execute();
      const buckets = rows.map((r) => ({
        kind: r.kind, source: r.source, name: (r.source === 'plan' ? r.plan_name : r.addon_name) ?? '',
        nameEn: (r.source === 'plan' ? r.plan_name_en : r.addon_name_en) ?? '', allowance: r.total, used: r.used,
        remaining: r.total - r.used, unit: unitOf(r.kind), resetsAt: r.expires_at.toISOString(),
      }));
      const totals = (['data', 'voice', 'sms'] as const).map((kind) => {
        const of = buckets.filter((b) => b.kind === kind);
        const allowance = of.reduce((s, b) => s + b.allowance, 0);
        const used = of.reduce((s, b) => s + b.used, 0);
        return { kind, allowance, used, remaining: allowance - used, unit: unitOf(kind) };
      });
      return { lineId: l.id, cycleStart: l.cycle_start.toISOString(), cycleEnd: l.cycle_end.toISOString(), totals, buckets };
    },

    /** Itemised usage (详单), newest first, filtered by type and time. */
    async records(customerId: string | null, q: { lineId?: string; type?: UsageType; from?: string; to?: string; limit?: number; cursor?: string }) {
      const l = await owned(db, customerId, q.lineId);
      const limit = q.limit ?? 50;
      let query = db.selectFrom('usage_event').selectAll().where('line_id', '=', l.id).orderBy('started_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
      if (q.type) query = query.where('type', '=', q.type);
      if (q.from) query = query.where('started_at', '>=', new Date(q.from));
      if (q.to) query = query.where('started_at', '<', new Date(q.to));
      const c = decodeCursor(q.cursor);
      if (c) query = query.where((eb) => eb.or([eb('started_at', '<', c.at), eb.and([eb('started_at', '=', c.at), eb('id', '<', c.id)])]));
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const items: UsageRecord[] = page.map((r) => ({
        id: r.id, type: r.type, quantity: r.quantity, unit: unitOf(r.type), startedAt: r.started_at.toISOString(), fromAllowance: r.from_allowance,
        chargedQuantity: r.charged_quantity, charge: cny(r.charge_fen), unratedQuantity: r.unrated_quantity,
      }));
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.started_at, last.id) : null };
    },

    /** Usage per cycle for the last `n` complete cycles (for recommendations). */
    async usageByCycle(lineId: string, since: Date, until: Date) {
      const r = await sql<{ type: UsageType; q: string }>`SELECT type, sum(quantity)::text AS q FROM usage_event
        WHERE line_id = ${lineId} AND started_at >= ${since} AND started_at < ${until} GROUP BY type`.execute(db);
      const out = { data: 0, voice: 0, sms: 0 };
      for (const row of r.rows) out[row.type] = Number(row.q);
      return out;
    },
  };
}
export type Lines = ReturnType<typeof createLines>;
