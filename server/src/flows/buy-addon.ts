import type { AddonOrder } from '@telehall/contracts';
import type { Executor } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import { cny, toAddon } from '../modules/catalog/catalog.mapper.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { recordOrder } from '../modules/orders/orders.record.js';
import { lockLine, rollLine, type LifecycleDeps } from './line-lifecycle.js';
import { applyAddonCoupon, COUPON_EXPENSE } from '../modules/loyalty/coupons.js';

const DAY = 86_400_000;

/**
 * Buy an add-on pack from the line's balance. The line row is locked, so two
 * purchases racing for the last yuan cannot both pass the balance check.
 * Purchases never use the credit limit. A coupon from the line's wallet
 * (discount or data pack) lowers what the balance pays; the operator books
 * the difference to the coupon expense account, so revenue stays at list price.
 * Records a completed order; a purchase by staff (a business-hall sale) is audited.
 * @throws not_found, unprocessable `addon_unavailable` | `line_suspended` | `coupon_*`, insufficient_funds `insufficient_funds`
 */
export async function buyAddon(trx: Executor, d: LifecycleDeps & { audit: Audit }, actor: Actor, input: { customerId: string | null; lineId: string; addonId: string; couponId?: string; priceFen?: number; memo?: string }): Promise<AddonOrder> {
  const now = d.clock.now();
  let line = await lockLine(trx, input.lineId, input.customerId);
  line = await rollLine(trx, d, line, now);
  const addon = await trx.selectFrom('addon').selectAll().where('id', '=', input.addonId).executeTakeFirst();
  if (!addon) throw new AppError('not_found', 'addon_not_found', 'add-on not found');
  if (!addon.active) throw new AppError('unprocessable', 'addon_unavailable', 'This add-on is no longer on sale');
  if (line.status !== 'active') throw new AppError('unprocessable', 'line_suspended', 'The line is suspended; top up first');
  const account = await d.ledger.lineAccount(trx, line.id);
  const id = d.ids.uuid();
  // A campaign offer sells at its own (discounted) price; everything else at the list price.
  const price = input.priceFen ?? addon.price_fen;
  const discount = input.couponId
    ? await applyAddonCoupon(trx, d, { customerId: input.customerId, lineId: line.id, couponId: input.couponId, addonCode: addon.code, priceFen: price, orderRef: `addon:${id}` })
    : 0;
  const pay = price - discount;
  if (account.balance < pay) {
    throw new AppError('insufficient_funds', 'insufficient_funds', 'The balance does not cover this pack', {
      details: { balance: cny(account.balance), price: cny(pay) },
    });
  }
  const validUntil = new Date(now.getTime() + addon.validity_days * DAY);
  if (price > 0) {
    const revenue = await d.ledger.systemAccount(trx, 'addon');
    const postings = [{ from: account.id, to: revenue, amount: pay }, { from: await d.ledger.systemAccount(trx, COUPON_EXPENSE), to: revenue, amount: discount }].filter((p) => p.amount > 0);
    await d.ledger.post(trx, { kind: 'addon_purchase', lineId: line.id, reference: `addon:${id}`, memo: `${addon.name_zh} ${addon.code} v${addon.version}${input.memo ? ` ${input.memo}` : ''}`, postings });
  }
  await trx.insertInto('allowance_bucket').values({
    id, line_id: line.id, kind: addon.kind, source: 'addon', source_id: addon.id, total: addon.quantity, used: 0, starts_at: now, expires_at: validUntil, created_at: now,
  }).execute();
  const orderId = await recordOrder(trx, d, {
    customerId: line.customer_id, lineId: line.id, kind: 'addon_purchase', status: 'completed', title: addon.name_zh, amountFen: pay,
    ref: { type: 'allowance_bucket', id }, actor, details: { addon: addon.code, version: addon.version, validUntil: validUntil.toISOString(), listPriceFen: addon.price_fen, discountFen: addon.price_fen - pay, ...(input.couponId ? { couponId: input.couponId } : {}), ...(input.memo ? { memo: input.memo } : {}) },
  });
  if (actor.kind === 'staff') {
    await d.audit.record(trx, actor, { action: 'line.addon_purchase', resourceType: 'line', resourceId: line.id, details: { addon: addon.code, orderId } });
  }
  return {
    id, lineId: line.id, addon: toAddon(addon), price: cny(price), discount: cny(discount), couponId: input.couponId ?? null, balanceAfter: cny(account.balance - pay),
    validUntil: validUntil.toISOString(), createdAt: now.toISOString(),
  };
}
