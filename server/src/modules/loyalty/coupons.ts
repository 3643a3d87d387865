import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { enqueue } from '../../platform/outbox.js';
import type { Ledger } from '../ledger/ledger.service.js';
import type { RewardKind } from './loyalty.tables.js';
import './loyalty.tables.js';

/** What a coupon costs the operator is booked to this CNY account. */
export const COUPON_EXPENSE = { code: 'expense:loyalty_coupon', kind: 'adjustment' } as const;

export interface CouponDeps {
  clock: Clock;
  ids: Ids;
  ledger: Ledger;
}

interface Lockable {
  id: string;
  line_id: string;
  customer_id: string;
  reward_id: string;
  status: string;
  expires_at: Date;
  reserved_ref: string | null;
  kind: RewardKind;
  value_fen: number;
  min_spend_fen: number;
  addon_code: string | null;
}

/**
 * Lock one of the line's coupons for use at checkout. A coupon held by a
 * top-up whose payment was never captured (expired, cancelled) is free again.
 * @throws not_found `coupon_not_found`, unprocessable `coupon_used` | `coupon_expired` | `coupon_reserved`
 */
async function lockCoupon(trx: Executor, clock: Clock, input: { customerId: string | null; lineId: string; couponId: string }): Promise<Lockable> {
  const r = await sql<Lockable>`SELECT c.id, c.line_id, c.customer_id, c.reward_id, c.status, c.expires_at, c.reserved_ref, r.kind, r.value_fen, r.min_spend_fen, r.addon_code
    FROM coupon c JOIN reward r ON r.id = c.reward_id WHERE c.id = ${input.couponId} AND c.line_id = ${input.lineId} FOR UPDATE OF c`.execute(trx);
  const c = r.rows[0];
  if (!c || (input.customerId && c.customer_id !== input.customerId)) throw notFound('coupon');
  if (c.status === 'used') throw new AppError('unprocessable', 'coupon_used', 'This coupon was already used');
  if (c.expires_at <= clock.now()) throw new AppError('unprocessable', 'coupon_expired', 'This coupon has expired');
  if (c.status === 'reserved') {
    const held = c.reserved_ref?.startsWith('payment:')
      ? await sql<{ status: string }>`SELECT status FROM payment WHERE id = ${c.reserved_ref.slice(8)}::uuid`.execute(trx)
      : { rows: [] };
    if (held.rows[0] && held.rows[0].status === 'pending') throw new AppError('unprocessable', 'coupon_reserved', 'This coupon is held by a top-up that is still being paid');
  }
  return c;
}

const wrongUse = () => new AppError('unprocessable', 'coupon_not_applicable', 'This coupon cannot be used for this purchase');
const belowMin = (min: number) => new AppError('unprocessable', 'coupon_min_spend', 'The purchase is below the coupon\u2019s minimum spend', { details: { minSpend: { amount: min, currency: 'CNY' } } });

async function markUsed(trx: Executor, d: CouponDeps, c: Lockable, orderRef: string, discountFen: number): Promise<void> {
  await trx.updateTable('coupon').set({ status: 'used', used_at: d.clock.now(), used_ref: orderRef, discount_fen: discountFen, reserved_ref: null }).where('id', '=', c.id).execute();
  await enqueue(trx, d.clock, 'loyalty.coupon.used', c.line_id, { customerId: c.customer_id, lineId: c.line_id, couponId: c.id, rewardId: c.reward_id, orderRef, discountFen });
}

/**
 * Use a coupon on an add-on purchase (in the purchase's transaction): a
 * discount coupon takes its value off (never below zero, subject to its
 * minimum spend); a data-pack coupon pays in full for the add-on it names.
 * Returns the discount in fen.
 * @throws not_found, unprocessable `coupon_used` | `coupon_expired` | `coupon_reserved` | `coupon_not_applicable` | `coupon_min_spend`
 */
export async function applyAddonCoupon(trx: Executor, d: CouponDeps, input: { customerId: string | null; lineId: string; couponId: string; addonCode: string; priceFen: number; orderRef: string }): Promise<number> {
  const c = await lockCoupon(trx, d.clock, input);
  let discount: number;
  if (c.kind === 'discount') {
    if (input.priceFen < c.min_spend_fen) throw belowMin(c.min_spend_fen);
    discount = Math.min(c.value_fen, input.priceFen);
  } else if (c.kind === 'data_pack' && c.addon_code === input.addonCode) {
    discount = input.priceFen;
  } else {
    throw wrongUse();
  }
  await markUsed(trx, d, c, input.orderRef, discount);
  return discount;
}

/**
 * Hold a top-up-bonus coupon for a pending payment; the bonus is credited
 * when the payment is captured (`completeTopupCoupon`).
 * @throws not_found, unprocessable `coupon_used` | `coupon_expired` | `coupon_reserved` | `coupon_not_applicable` | `coupon_min_spend`
 */
export async function reserveTopupCoupon(trx: Executor, d: CouponDeps, input: { customerId: string; lineId: string; couponId: string; amountFen: number; paymentId: string }): Promise<void> {
  const c = await lockCoupon(trx, d.clock, input);
  if (c.kind !== 'topup_bonus') throw wrongUse();
  if (input.amountFen < c.min_spend_fen) throw belowMin(c.min_spend_fen);
  await trx.updateTable('coupon').set({ status: 'reserved', reserved_ref: `payment:${input.paymentId}` }).where('id', '=', c.id).execute();
}

/**
 * A captured top-up uses the coupon it holds: the bonus moves from the
 * coupon expense account to the line's balance. Once per payment.
 * Returns the bonus in fen (0 when the payment held no coupon).
 */
export async function completeTopupCoupon(trx: Executor, d: CouponDeps, input: { paymentId: string; lineId: string }): Promise<number> {
  const ref = `payment:${input.paymentId}`;
  const r = await sql<Lockable>`SELECT c.id, c.line_id, c.customer_id, c.reward_id, c.status, c.expires_at, c.reserved_ref, r.kind, r.value_fen, r.min_spend_fen, r.addon_code
    FROM coupon c JOIN reward r ON r.id = c.reward_id WHERE c.reserved_ref = ${ref} AND c.status = 'reserved' FOR UPDATE OF c`.execute(trx);
  const c = r.rows[0];
  if (!c) return 0;
  const account = await d.ledger.lineAccount(trx, input.lineId);
  await d.ledger.post(trx, {
    kind: 'coupon_bonus', lineId: input.lineId, reference: `coupon:${c.id}`, memo: 'top-up bonus coupon',
    postings: [{ from: await d.ledger.systemAccount(trx, COUPON_EXPENSE), to: account.id, amount: c.value_fen }],
  });
  await markUsed(trx, d, c, ref, c.value_fen);
  return c.value_fen;
}
