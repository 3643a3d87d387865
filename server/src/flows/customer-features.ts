/**
 * Per-customer features from the charging, ledger and subscription tables,
 * set-based: one SQL query per feature group over all customers, merged in
 * memory. Everything is computed "as of" a time so that the same code gives
 * today's features (segmentation, scoring) and the features a model is
 * trained on at a past cutoff, with labels from what happened after it.
 *
 * Where each number comes from:
 * - tenure: days from the customer's first line activation to asOf;
 * - plan fee / plan code: the plan each line was on at asOf (a plan change
 *   applied after asOf is undone using its from_plan_id);
 * - ARPU: money out of the customer's line accounts (ledger entries) for plan
 *   fees, add-ons and plan-change fee differences, plus overage, over the last
 *   3 complete cycles, divided by the cycles the customer had a line in. Plan
 *   fees are placed in the cycle their reference names (`plan_fee:<line>:<cycle
 *   start>`), overage in the cycle of the usage event (usage_event.charge_fen,
 *   the amount posted in its ledger tx), add-ons and plan changes at posting time;
 * - usage per cycle: usage_event quantities by started_at, averaged the same way;
 *   trend = last cycle ÷ mean of the two before − 1 (null without history);
 * - plan changes: non-cancelled requests before asOf, up/down by monthly fee;
 * - days suspended: from line.suspended / line.reactivated outbox events
 *   (lines keep no status history of their own);
 * - balance: the open lines' balances as of asOf (ledger entries before it);
 *   top-ups: captured payments in the 3 cycles.
 * Only lines open at asOf count (activated before it, not closed by then):
 * a customer whose lines were all closed has left and gets no features, so
 * no score, and is not a training example for the next cycle.
 */
import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { featureWindow } from '../modules/analytics/features.js';
import type { FeatureValues } from '../modules/analytics/analytics.tables.js';
import '../modules/analytics/analytics.tables.js';

const DAY = 86_400_000;
const MB = 1024 * 1024;

type Window = ReturnType<typeof featureWindow>;
/** One feature group: a query returning partial feature rows by customer id. */
type Group = (db: Executor, w: Window, base: Map<string, Base>) => Promise<Map<string, FeatureValues>>;

interface Base {
  firstAt: Date;
  /** Complete cycles (of the 3) in which the customer had a line. */
  activeCycles: number;
}

const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));
const round = (v: number, dp: number): number => Math.round(v * 10 ** dp) / 10 ** dp;
/** last ÷ mean(previous active cycles) − 1; null when there is nothing to compare with. */
function trend(values: number[], active: number): number | null {
  if (active < 2) return null;
  const prev = values.slice(1, active);
  const mean = prev.reduce((s, v) => s + v, 0) / prev.length;
  return mean > 0 ? round(values[0]! / mean - 1, 4) : null;
}

const usage: Group = async (db, w, base) => {
  const [s0, s1, s2, s3] = w.starts;
  const rows = await sql<{ customer_id: string; cycle: number; data: string | null; voice: string | null; sms: string | null }>`
    SELECT l.customer_id,
           CASE WHEN u.started_at >= ${s1} THEN 1 WHEN u.started_at >= ${s2} THEN 2 ELSE 3 END AS cycle,
           sum(u.quantity) FILTER (WHERE u.type = 'data') AS data,
           sum(u.quantity) FILTER (WHERE u.type = 'voice') AS voice,
           sum(u.quantity) FILTER (WHERE u.type = 'sms') AS sms
      FROM usage_event u JOIN line l ON l.id = u.line_id
     WHERE u.started_at >= ${s3} AND u.started_at < ${s0}
     GROUP BY 1, 2`.execute(db);
  const per = new Map<string, { data: number[]; voice: number[]; sms: number[] }>();
  for (const r of rows.rows) {
    const p = per.get(r.customer_id) ?? { data: [0, 0, 0], voice: [0, 0, 0], sms: [0, 0, 0] };
    p.data[r.cycle - 1] = n(r.data);
    p.voice[r.cycle - 1] = n(r.voice);
    p.sms[r.cycle - 1] = n(r.sms);
    per.set(r.customer_id, p);
  }
  const out = new Map<string, FeatureValues>();
  for (const [id, b] of base) {
    const p = per.get(id) ?? { data: [0, 0, 0], voice: [0, 0, 0], sms: [0, 0, 0] };
    const a = b.activeCycles;
    const avg = (v: number[], unit: number) => (a ? round(v.reduce((s, x) => s + x, 0) / a / unit, 2) : null);
    out.set(id, {
      data_mb: avg(p.data, MB), voice_min: avg(p.voice, 60), sms: avg(p.sms, 1),
      data_trend: trend(p.data, a), voice_trend: trend(p.voice, a), sms_trend: trend(p.sms, a),
    });
  }
  return out;
};

const revenue: Group = async (db, w, base) => {
  const [s0, , , s3] = w.starts;
  const rows = await sql<{ customer_id: string; revenue: string; overage: string | null; addon_fen: string | null; addon_count: string }>`
    WITH money AS (
      SELECT l.customer_id, t.kind,
             CASE WHEN t.kind = 'plan_fee' THEN substr(t.reference, 47)::timestamptz ELSE t.created_at END AS at,
             -e.amount AS fen
        FROM ledger_entry e
        JOIN ledger_account a ON a.id = e.account_id AND a.kind = 'line_balance'
        JOIN line l ON l.id = a.line_id
        JOIN ledger_tx t ON t.id = e.tx_id
       WHERE t.kind IN ('plan_fee', 'addon_purchase', 'plan_change') AND t.created_at < ${w.asOf}
      UNION ALL
      SELECT l.customer_id, 'usage_overage', u.started_at, u.charge_fen
        FROM usage_event u JOIN line l ON l.id = u.line_id
       WHERE u.charge_fen <> 0 AND u.started_at >= ${s3} AND u.started_at < ${s0}
    )
    SELECT customer_id, sum(fen) AS revenue,
           sum(fen) FILTER (WHERE kind = 'usage_overage') AS overage,
           sum(fen) FILTER (WHERE kind = 'addon_purchase') AS addon_fen,
           count(*) FILTER (WHERE kind = 'addon_purchase') AS addon_count
      FROM money WHERE at >= ${s3} AND at < ${s0}
     GROUP BY customer_id`.execute(db);
  const byId = new Map(rows.rows.map((r) => [r.customer_id, r]));
  const out = new Map<string, FeatureValues>();
  for (const [id, b] of base) {
    const r = byId.get(id);
    const total = n(r?.revenue);
    out.set(id, {
      arpu_fen: b.activeCycles ? Math.round(total / b.activeCycles) : null,
      overage_share: total > 0 ? round(n(r?.overage) / total, 4) : null,
      addon_count: n(r?.addon_count), addon_fen: n(r?.addon_fen),
    });
  }
  return out;
};

const planChanges: Group = async (db, w) => {
  const rows = await sql<{ customer_id: string; up: number; down: number }>`
    SELECT pc.customer_id,
           count(*) FILTER (WHERE tp.monthly_fee_fen > fp.monthly_fee_fen)::int AS up,
           count(*) FILTER (WHERE tp.monthly_fee_fen < fp.monthly_fee_fen)::int AS down
      FROM plan_change pc JOIN plan fp ON fp.id = pc.from_plan_id JOIN plan tp ON tp.id = pc.to_plan_id
     WHERE pc.status <> 'cancelled' AND pc.requested_at < ${w.asOf}
     GROUP BY 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.customer_id, { plan_up: r.up, plan_down: r.down }]));
};

const suspension: Group = async (db, w) => {
  const rows = await sql<{ customer_id: string; days: number }>`
    WITH ev AS (
      SELECT o.key AS line_id, o.topic, o.created_at,
             lead(o.created_at) OVER (PARTITION BY o.key ORDER BY o.id) AS next_at
        FROM outbox o
       WHERE o.topic IN ('line.suspended', 'line.reactivated') AND o.created_at < ${w.asOf}
    )
    SELECT l.customer_id, sum(extract(epoch FROM (coalesce(ev.next_at, ${w.asOf}::timestamptz) - ev.created_at)) / 86400)::float8 AS days
      FROM ev JOIN line l ON l.id::text = ev.line_id
     WHERE ev.topic = 'line.suspended'
     GROUP BY 1`.execute(db);
  return new Map(rows.rows.map((r) => [r.customer_id, { suspended_days: round(r.days, 2) }]));
};

/** Money on the customer's open lines as of asOf (ledger entries before it), and top-ups paid in the 3 cycles. */
const balance: Group = async (db, w) => {
  const [s0, , , s3] = w.starts;
  const rows = await sql<{ customer_id: string; balance: string | null; topups: number }>`
    WITH open AS (
      SELECT l.id, l.customer_id FROM line l WHERE l.activated_at < ${w.asOf} AND (l.closed_at IS NULL OR l.closed_at > ${w.asOf})
    )
    SELECT o.customer_id,
           (SELECT sum(e.amount) FROM ledger_account a JOIN ledger_entry e ON e.account_id = a.id
             WHERE a.kind = 'line_balance' AND a.line_id IN (SELECT id FROM open o2 WHERE o2.customer_id = o.customer_id) AND e.created_at < ${w.asOf})::text AS balance,
           (SELECT count(*)::int FROM payment p
             WHERE p.line_id IN (SELECT id FROM open o3 WHERE o3.customer_id = o.customer_id) AND p.status = 'captured'
               AND p.captured_at >= ${s3} AND p.captured_at < ${s0}) AS topups
      FROM (SELECT DISTINCT customer_id FROM open) o`.execute(db);
  return new Map(rows.rows.map((r) => [r.customer_id, { balance_fen: n(r.balance), topup_count: r.topups }]));
};

/** Feature groups after the base one; a new source of features is one more entry. */
export const FEATURE_GROUPS: readonly { name: string; compute: Group }[] = [
  { name: 'usage', compute: usage },
  { name: 'revenue', compute: revenue },
  { name: 'plan_changes', compute: planChanges },
  { name: 'suspension', compute: suspension },
  { name: 'balance', compute: balance },
];

/**
 * Features of every customer with a line open at `asOf`.
 * Values the groups could not compute are null; preprocess.ts fills them by
 * each feature's declared missing rule when a model or segmentation reads them.
 */
export async function computeCustomerFeatures(db: Executor, asOf: Date): Promise<Map<string, FeatureValues>> {
  const w = featureWindow(asOf);
  const rows = await sql<{ customer_id: string; first_at: Date; lines: number; plan_fee_fen: string; plan_code: string }>`
    WITH l AS (
      SELECT l.customer_id, l.activated_at, l.id,
             coalesce((SELECT pc.from_plan_id FROM plan_change pc
                        WHERE pc.line_id = l.id AND pc.status = 'applied' AND pc.effective_at > ${asOf}
                        ORDER BY pc.effective_at LIMIT 1), l.plan_id) AS plan_id
        FROM line l WHERE l.activated_at < ${asOf} AND (l.closed_at IS NULL OR l.closed_at > ${asOf})
    )
    SELECT l.customer_id, min(l.activated_at) AS first_at, count(*)::int AS lines,
           sum(p.monthly_fee_fen) AS plan_fee_fen,
           (array_agg(p.code ORDER BY l.activated_at, l.id))[1] AS plan_code
      FROM l JOIN plan p ON p.id = l.plan_id
     GROUP BY l.customer_id`.execute(db);
  const base = new Map<string, Base>();
  const out = new Map<string, FeatureValues>();
  for (const r of rows.rows) {
    const firstAt = new Date(r.first_at);
    base.set(r.customer_id, { firstAt, activeCycles: [1, 2, 3].filter((i) => w.starts[i - 1]! > firstAt).length });
    out.set(r.customer_id, {
      tenure_days: Math.floor((asOf.getTime() - firstAt.getTime()) / DAY), lines: r.lines,
      plan_fee_fen: n(r.plan_fee_fen), plan_code: r.plan_code,
    });
  }
  for (const g of FEATURE_GROUPS) {
    const part = await g.compute(db, w, base);
    for (const [id, values] of part) {
      const row = out.get(id);
      if (row) Object.assign(row, values);
    }
  }
  return out;
}

export type LabelTarget = 'churn' | 'purchase';

/**
 * Customers with a positive label in [from, to):
 * - churn: a line closed in the window (line.closed_at);
 * - purchase: an add-on bought in the window (a completed add-on purchase order).
 */
export async function positiveLabels(db: Executor, target: LabelTarget, from: Date, to: Date): Promise<Set<string>> {
  const rows = target === 'churn'
    ? await sql<{ customer_id: string }>`
        SELECT DISTINCT customer_id FROM line WHERE closed_at >= ${from} AND closed_at < ${to}`.execute(db)
    : await sql<{ customer_id: string }>`
        SELECT DISTINCT customer_id FROM customer_order
         WHERE kind = 'addon_purchase' AND status = 'completed' AND created_at >= ${from} AND created_at < ${to}`.execute(db);
  return new Set(rows.rows.map((r) => r.customer_id));
}
