/**
 * Writing orders. Call these inside the transaction that does the work (plan
 * change, add-on purchase, reward redemption), so an order exists exactly
 * when its effect does.
 */
import type { OrderKind, OrderStatus } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Executor } from '../../platform/db.js';
import type { Ids } from '../../platform/ids.js';
import type { Actor } from '../audit/audit.service.js';
import './orders.tables.js';

export interface RecordOrderInput {
  customerId: string;
  /** The line the order is for; null for customer-level orders (a reward without a line). */
  lineId: string | null;
  kind: OrderKind;
  /** 'completed' for immediate effects, 'pending' for scheduled ones, 'failed' for a refused staff sale. */
  status: OrderStatus;
  /** Shown in lists, e.g. "1GB流量包" or "39元智享套餐 → 58元智享套餐". */
  title: string;
  /** Money charged (fen); 0 when nothing is charged now. */
  amountFen: number;
  /** Points spent (reward redemptions); default 0. */
  points?: number;
  /** The record the order produced, e.g. ('plan_change', id), ('allowance_bucket', id), ('redemption', id); unique per pair. */
  ref?: { type: string; id: string };
  /** Who placed it: the channel follows the actor (subscriber → self_service, staff → staff, else system). */
  actor: Actor;
  details?: Record<string, unknown>;
  /** A note on the first history entry (e.g. why a staff sale failed). */
  note?: string;
}

export const actorRef = (a: Actor): string => `${a.kind}:${a.id ?? ''}`;
const channelOf = (a: Actor) => (a.kind === 'subscriber' ? 'self_service' as const : a.kind === 'staff' ? 'staff' as const : 'system' as const);

/**
 * Records an order and its first history entry; returns the order id.
 *
 *   recordOrder(trx, { clock, ids }, { customerId, lineId, kind, status, title, amountFen, points?, ref?, actor, details?, note? }): Promise<string>
 */
export async function recordOrder(trx: Executor, d: { clock: Clock; ids: Ids }, input: RecordOrderInput): Promise<string> {
  const now = d.clock.now();
  const id = d.ids.uuid();
  await trx.insertInto('customer_order').values({
    id, customer_id: input.customerId, line_id: input.lineId, kind: input.kind, status: input.status, channel: channelOf(input.actor),
    title: input.title, amount_fen: input.amountFen, points: input.points ?? 0, ref_type: input.ref?.type ?? null, ref_id: input.ref?.id ?? null,
    details: JSON.stringify(input.details ?? {}), placed_by: actorRef(input.actor), created_at: now, updated_at: now,
  }).execute();
  await trx.insertInto('customer_order_event').values({ order_id: id, status: input.status, note: input.note ?? null, actor: actorRef(input.actor), at: now }).execute();
  return id;
}

/**
 * Moves the order that produced `ref` to a new status with a history entry
 * (a scheduled plan change applied at rollover, or replaced). No-op when no
 * order has that ref or it already has that status.
 */
export async function setOrderStatus(trx: Executor, clock: Clock, ref: { type: string; id: string }, status: OrderStatus, actor: string, note?: string): Promise<void> {
  const now = clock.now();
  const row = await trx.updateTable('customer_order').set({ status, updated_at: now })
    .where('ref_type', '=', ref.type).where('ref_id', '=', ref.id).where('status', '!=', status).returning('id').executeTakeFirst();
  if (row) await trx.insertInto('customer_order_event').values({ order_id: row.id, status, note: note ?? null, actor, at: now }).execute();
}
