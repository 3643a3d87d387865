/**
 * Staff place an order for a customer (a business-hall or call-centre sale):
 * the self-service flows themselves (buy-addon, plan-change) with the staff
 * member as actor, so eligibility, pricing, idempotency and the order record
 * are exactly the app's. The flows audit staff actions in their transaction.
 * A sale the rules refuse is kept as a failed order with the reason (and
 * audited), then the refusal is returned to the agent as usual.
 */
import type { OrderDetail, PlaceOrderRequest } from '@telehall/contracts';
import type { Clock } from '../platform/clock.js';
import { inTransaction, type Db } from '../platform/db.js';
import { AppError, notFound } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import type { Outcome } from '../platform/idempotency.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { recordOrder } from '../modules/orders/orders.record.js';
import type { Orders } from '../modules/orders/orders.service.js';
import type { ChargingFlows } from './charging-flows.js';
import '../modules/catalog/catalog.tables.js';

export function createPlaceOrder({ db, clock, ids, audit, charging, orders }: { db: Db; clock: Clock; ids: Ids; audit: Audit; charging: ChargingFlows; orders: Orders }) {
  async function recordFailure(actor: Actor, customerId: string, req: PlaceOrderRequest, err: AppError) {
    const line = await db.selectFrom('line').select(['id']).where('id', '=', req.lineId).where('customer_id', '=', customerId).executeTakeFirst();
    if (!line) return;
    const title = req.kind === 'addon_purchase'
      ? (await db.selectFrom('addon').select('name_zh').where('id', '=', req.addonId).executeTakeFirst())?.name_zh
      : (await db.selectFrom('plan').select('name_zh').where('id', '=', req.planId).executeTakeFirst())?.name_zh;
    if (title === undefined) return;
    await inTransaction(db, async (trx) => {
      const id = await recordOrder(trx, { clock, ids }, {
        customerId, lineId: line.id, kind: req.kind, status: 'failed', title: req.kind === 'plan_change' ? `→ ${title}` : title, amountFen: 0, actor,
        details: { request: req, error: { code: err.code, details: err.details ?? null } }, note: err.message,
      });
      await audit.record(trx, actor, { action: 'order.failed', resourceType: 'customer', resourceId: customerId, details: { orderId: id, kind: req.kind, code: err.code } });
    });
  }

  /**
   * @throws not_found `customer_not_found` | `line_not_found` | `addon_not_found` | `plan_not_found`,
   *   unprocessable `plan_change_not_allowed` | `addon_unavailable` | `line_suspended`, insufficient_funds
   */
  return async (actor: Actor, customerId: string, req: PlaceOrderRequest, key: string | undefined, mask: (s: string) => string): Promise<Outcome<OrderDetail>> => {
    if (!(await db.selectFrom('customer').select('id').where('id', '=', customerId).executeTakeFirst())) throw notFound('customer');
    try {
      if (req.kind === 'addon_purchase') {
        const o = await charging.buyAddon(actor, { customerId, lineId: req.lineId, addonId: req.addonId }, key);
        return { ...o, body: await orders.detailByRef('allowance_bucket', o.body.id, mask) };
      }
      const o = await charging.changePlan(actor, { customerId, lineId: req.lineId, planId: req.planId, when: req.when }, key);
      return { ...o, body: await orders.detailByRef('plan_change', o.body.id, mask) };
    } catch (err) {
      if (err instanceof AppError && (err.type === 'unprocessable' || err.type === 'insufficient_funds')) await recordFailure(actor, customerId, req, err);
      throw err;
    }
  };
}
export type PlaceOrder = ReturnType<typeof createPlaceOrder>;
