import type { Customer360, Line, TimelineEvent } from '@telehall/contracts';
import { sql } from 'kysely';
import { maskPhone } from '../platform/access.js';
import type { Db } from '../platform/db.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import type { CustomerAdmin } from '../modules/customers/customers.admin.js';
import { toCustomerView } from '../modules/customers/customers.mapper.js';
import type { Lines } from '../modules/lines/lines.service.js';
import type { Analytics } from '../modules/analytics/analytics.service.js';
import type { Orders } from '../modules/orders/orders.service.js';
import '../modules/catalog/catalog.tables.js';
import '../modules/charging/charging.tables.js';
import '../modules/lines/lines.tables.js';

const RECENT_USAGE = 20;

/**
 * Customer 360: profile, open lines with plan and balance, allowances,
 * recent usage, plan changes, orders, interactions, churn / purchase scores
 * with their reasons, and one timeline merging them. Only what the platform holds is shown (no ticket/payment/points
 * sections until those domains exist). Phone, ID and line numbers are
 * masked; the read is audited.
 * @throws not_found `customer_not_found`
 */
export function createCustomer360({ db, audit, customerAdmin, lines, orders, analytics }: { db: Db; audit: Audit; customerAdmin: CustomerAdmin; lines: Lines; orders: Orders; analytics: Analytics }) {
  return async (actor: Actor, customerId: string): Promise<Customer360> => {
    const c = await customerAdmin.row(customerId);
    const ls = await lines.list(customerId);
    const usage = await Promise.all(ls.map((l) => lines.usage(customerId, l.id)));
    const records = (await Promise.all(ls.map(async (l) => (await lines.records(customerId, { lineId: l.id, limit: RECENT_USAGE })).items.map((r) => ({ ...r, lineId: l.id })))))
      .flat()
      .sort((a, b) => b.startedAt.localeCompare(a.startedAt))
      .slice(0, RECENT_USAGE);
    const pcs = await sql<{ id: string; line_id: string; from_name: string; to_name: string; timing: string; status: string; fee_delta_fen: string; requested_at: Date; effective_at: Date }>`
      SELECT pc.id, pc.line_id, fp.name_zh AS from_name, tp.name_zh AS to_name, pc.timing, pc.status, pc.fee_delta_fen::text, pc.requested_at, pc.effective_at
      FROM plan_change pc JOIN plan fp ON fp.id = pc.from_plan_id JOIN plan tp ON tp.id = pc.to_plan_id
      WHERE pc.customer_id = ${customerId} ORDER BY pc.requested_at DESC LIMIT 100`.execute(db);
    const planChanges = pcs.rows.map((p) => ({
      id: p.id, lineId: p.line_id, fromPlan: p.from_name, toPlan: p.to_name, when: p.timing, status: p.status,
      charged: { amount: Number(p.fee_delta_fen), currency: 'CNY' as const }, requestedAt: p.requested_at.toISOString(), effectiveAt: p.effective_at.toISOString(),
    }));
    const recentOrders = (await orders.search({ customerId, limit: 50 }, maskPhone)).items;
    const interactions = await customerAdmin.interactions(customerId);
    const scores = await analytics.customerScores(customerId);
    const opened = await db.selectFrom('line').select(['id', 'msisdn', 'activated_at', 'closed_at']).where('customer_id', '=', customerId).execute();
    const timeline: TimelineEvent[] = [
      { at: c.created_at.toISOString(), kind: 'customer_created' as const, title: c.channel ?? '', refId: c.id },
      ...opened.map((l) => ({ at: l.activated_at.toISOString(), kind: 'line_opened' as const, title: maskPhone(l.msisdn), refId: l.id })),
      ...opened.filter((l) => l.closed_at).map((l) => ({ at: l.closed_at!.toISOString(), kind: 'line_closed' as const, title: maskPhone(l.msisdn), refId: l.id })),
      ...recentOrders.map((o) => ({ at: o.createdAt, kind: o.kind, title: o.title, refId: o.id, status: o.status })),
      ...interactions.map((i) => ({ at: i.createdAt, kind: 'interaction' as const, title: i.summary.slice(0, 120), refId: i.id })),
    ].sort((a, b) => b.at.localeCompare(a.at));
    await audit.record(db, actor, { action: 'customer.view.360', resourceType: 'customer', resourceId: customerId });
    const masked = (l: Line): Line => ({ ...l, msisdn: maskPhone(l.msisdn) });
    return { customer: toCustomerView(c, false), lines: ls.map(masked), usage, recentUsage: records, planChanges, orders: recentOrders, interactions, timeline, scores };
  };
}
export type CustomerThreeSixty = ReturnType<typeof createCustomer360>;
