import type { Dashboard } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Db } from '../platform/db.js';

const MONTH = sql`'YYYY-MM'`;
const TZ = sql`'Asia/Shanghai'`;

/**
 * Console dashboard figures: customers by category / channel / month of
 * creation, open lines, ARPU per month from the ledger (plan fees plus
 * overage revenue ÷ lines charged that month, integer fen rounded half up)
 * and lines closed per month. Months are Beijing-time calendar months.
 */
export async function crmDashboard(db: Db, months = 12): Promise<Dashboard> {
  const counts = async (q: ReturnType<typeof sql<{ key: string; count: string }>>) => (await q.execute(db)).rows.map((r) => ({ key: r.key ?? '', count: Number(r.count) }));
  const customersByCategory = await counts(sql`SELECT category AS key, count(*)::text AS count FROM customer GROUP BY 1 ORDER BY 2 DESC`);
  const customersByChannel = await counts(sql`SELECT COALESCE(channel, 'self_service') AS key, count(*)::text AS count FROM customer GROUP BY 1 ORDER BY 2 DESC LIMIT 20`);
  const newCustomersByMonth = await counts(sql`SELECT to_char(created_at AT TIME ZONE ${TZ}, ${MONTH}) AS key, count(*)::text AS count FROM customer
    WHERE created_at > now() - make_interval(months => ${months}) GROUP BY 1 ORDER BY 1`);
  const closedLinesByMonth = await counts(sql`SELECT to_char(closed_at AT TIME ZONE ${TZ}, ${MONTH}) AS key, count(*)::text AS count
    FROM line WHERE status = 'closed' GROUP BY 1 ORDER BY 1`);
  const active = await sql<{ n: string }>`SELECT count(*)::text AS n FROM line WHERE status <> 'closed'`.execute(db);
  const arpu = await sql<{ month: string; lines: string; revenue: string }>`
    SELECT to_char(t.created_at AT TIME ZONE ${TZ}, ${MONTH}) AS month, count(DISTINCT t.line_id)::text AS lines, sum(e.amount)::text AS revenue
    FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id JOIN ledger_tx t ON t.id = e.tx_id
    WHERE a.kind = 'revenue' AND (a.code = 'revenue:plan_fee' OR a.code LIKE 'revenue:overage:%') AND t.line_id IS NOT NULL
      AND t.created_at > now() - make_interval(months => ${months})
    GROUP BY 1 ORDER BY 1`.execute(db);
  return {
    customersByCategory,
    customersByChannel,
    newCustomersByMonth,
    activeLines: Number(active.rows[0]?.n ?? 0),
    arpuByMonth: arpu.rows.map((r) => {
      const lines = Number(r.lines);
      const revenue = BigInt(r.revenue);
      const per = lines > 0 ? Number((revenue * 2n + BigInt(lines)) / (2n * BigInt(lines))) : 0;
      return { month: r.month, lines, revenue: { amount: Number(revenue), currency: 'CNY' as const }, arpu: { amount: per, currency: 'CNY' as const } };
    }),
    closedLinesByMonth,
  };
}
