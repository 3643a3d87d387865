import type { CampaignReport } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import { uplift } from './stats.js';
import './campaigns.tables.js';

const cny = (amount: number) => ({ amount, currency: 'CNY' as const });

interface Row {
  arm: 'treatment' | 'control' | 'suppressed';
  variant: string;
  reason: string | null;
  n: number;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  taken: number;
  converted: number;
  revenue: number;
}

/**
 * The campaign report, computed live from the recipients table: funnel,
 * channel delivery, conversion per arm and variant within the attribution
 * window, uplift with a 95% interval, and revenue. A recipient converts
 * when they take the offer (a coupon offer: when they use the coupon), or (treated or control alike) buy the offered
 * add-on — any version of it — on their line within the window.
 */
export async function campaignReport(db: Db, clock: Clock, campaignId: string): Promise<CampaignReport> {
  const c = await db.selectFrom('campaign').select(['id', 'status', 'offer', 'attribution_days']).where('id', '=', campaignId).executeTakeFirst();
  if (!c) throw notFound('campaign');
  const goalCode = c.offer.kind === 'addon' ? (await db.selectFrom('addon').select('code').where('id', '=', c.offer.addonId).executeTakeFirst())?.code ?? null : null;
  const window = `${c.attribution_days} days`;
  const conv = sql`
    r AS (SELECT * FROM campaign_recipient WHERE campaign_id = ${campaignId}::uuid),
    goal AS (
      SELECT r.run_no, r.customer_id, min(b.starts_at) AS first_at, COALESCE(sum(a.price_fen) FILTER (WHERE t.reference IS NULL), 0)::bigint AS revenue
      FROM r JOIN allowance_bucket b ON b.line_id = r.line_id AND b.source = 'addon' AND b.starts_at >= r.assigned_at AND b.starts_at < r.assigned_at + ${window}::interval
      JOIN addon a ON a.id = b.source_id AND a.code = ${goalCode}
      LEFT JOIN campaign_take t ON t.reference = b.id::text
      WHERE r.arm <> 'suppressed'
      GROUP BY r.run_no, r.customer_id
    ),
    msg AS (
      SELECT r.run_no, r.customer_id, bool_or(m.status IN ('sent', 'delivered', 'read')) AS delivered, bool_or(m.status = 'read') AS read
      FROM r JOIN message m ON m.event_id = r.outbox_id WHERE r.outbox_id IS NOT NULL GROUP BY r.run_no, r.customer_id
    ),
    x AS (
      SELECT r.arm, r.variant, r.suppressed_reason, r.clicked_at, r.outbox_id, o.id IS NOT NULL AS sent, COALESCE(msg.delivered, false) AS delivered, COALESCE(msg.read, false) AS read,
        tk.customer_id IS NOT NULL AS taken, COALESCE(tk.price_fen, 0) + COALESCE(goal.revenue, 0) AS revenue,
        LEAST(CASE WHEN tk.kind = 'coupon' THEN tk.redeemed_at ELSE tk.taken_at END, goal.first_at) AS converted_at
      FROM r LEFT JOIN outbox o ON o.id = r.outbox_id
      LEFT JOIN msg ON msg.run_no = r.run_no AND msg.customer_id = r.customer_id
      LEFT JOIN campaign_take tk ON tk.campaign_id = r.campaign_id AND tk.run_no = r.run_no AND tk.customer_id = r.customer_id
      LEFT JOIN goal ON goal.run_no = r.run_no AND goal.customer_id = r.customer_id
    )`;
  const rows = (await sql<Row>`WITH ${conv}
    SELECT arm, variant, suppressed_reason AS reason, count(*)::int AS n, count(*) FILTER (WHERE sent)::int AS sent, count(*) FILTER (WHERE delivered)::int AS delivered,
      count(*) FILTER (WHERE read OR clicked_at IS NOT NULL)::int AS opened, count(clicked_at)::int AS clicked, count(*) FILTER (WHERE taken)::int AS taken,
      count(converted_at)::int AS converted, COALESCE(sum(revenue), 0)::bigint AS revenue
    FROM x GROUP BY arm, variant, suppressed_reason ORDER BY variant`.execute(db)).rows;
  const daily = (await sql<{ day: string; arm: string; n: number }>`WITH ${conv}
    SELECT to_char(converted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, arm, count(*)::int AS n
    FROM x WHERE converted_at IS NOT NULL GROUP BY 1, 2 ORDER BY 1`.execute(db)).rows;
  const channels = (await sql<{ channel: string; queued: number; delivered: number; read: number; failed: number }>`
    SELECT m.channel, count(*) FILTER (WHERE m.status = 'queued')::int AS queued, count(*) FILTER (WHERE m.status IN ('sent', 'delivered', 'read'))::int AS delivered,
      count(*) FILTER (WHERE m.status = 'read')::int AS read, count(*) FILTER (WHERE m.status = 'failed')::int AS failed
    FROM campaign_recipient r JOIN message m ON m.event_id = r.outbox_id
    WHERE r.campaign_id = ${campaignId}::uuid AND r.outbox_id IS NOT NULL GROUP BY m.channel ORDER BY m.channel`.execute(db)).rows;
  const runs = await db.selectFrom('campaign_run').selectAll().where('campaign_id', '=', campaignId).orderBy('started_at').execute();

  const sum = (rs: Row[], k: keyof Row) => rs.reduce((s, r) => s + Number(r[k]), 0);
  const arm = (a: Row['arm']) => {
    const rs = rows.filter((r) => r.arm === a);
    const n = sum(rs, 'n');
    const converted = sum(rs, 'converted');
    return { n, converted, rate: n ? converted / n : 0, revenue: cny(sum(rs, 'revenue')) };
  };
  const treatment = arm('treatment');
  const control = arm('control');
  const treated = rows.filter((r) => r.arm === 'treatment');
  const suppressed = rows.filter((r) => r.arm === 'suppressed');
  const variantKeys = [...new Set(rows.filter((r) => r.arm !== 'suppressed').map((r) => r.variant))].sort();
  const days = [...new Set(daily.map((d) => d.day))];
  return {
    campaignId, status: c.status, asOf: clock.now().toISOString(),
    funnel: {
      audience: sum(rows, 'n'), suppressedConsent: sum(suppressed.filter((r) => r.reason === 'no_consent'), 'n'), suppressedCap: sum(suppressed.filter((r) => r.reason === 'frequency_cap'), 'n'),
      treated: treatment.n, control: control.n, sent: sum(treated, 'sent'), delivered: sum(treated, 'delivered'), opened: sum(treated, 'opened'), clicked: sum(treated, 'clicked'),
      taken: sum(treated, 'taken'), converted: treatment.converted,
    },
    channels, treatment, control, uplift: uplift(treatment, control),
    variants: variantKeys.map((key) => {
      const rs = treated.filter((r) => r.variant === key);
      const n = sum(rs, 'n');
      const converted = sum(rs, 'converted');
      return { key, n, sent: sum(rs, 'sent'), opened: sum(rs, 'opened'), converted, rate: n ? converted / n : 0, revenue: cny(sum(rs, 'revenue')) };
    }),
    daily: days.map((day) => ({ day, treatment: daily.find((x) => x.day === day && x.arm === 'treatment')?.n ?? 0, control: daily.find((x) => x.day === day && x.arm === 'control')?.n ?? 0 })),
    runs: runs.map((r) => ({ runNo: r.run_no, status: r.status, audience: r.audience, enqueued: r.enqueued, treated: r.treated, startedAt: r.started_at.toISOString(), finishedAt: r.finished_at?.toISOString() ?? null })),
  };
}
