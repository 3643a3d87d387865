import { Type, type Static } from 'typebox';
import { Money, Uuid } from './common.js';

/** Orders (issue #7): plan changes, add-on purchases and reward redemptions with a status history. */
export const OrderKind = Type.Union([Type.Literal('plan_change'), Type.Literal('addon_purchase'), Type.Literal('reward_redemption')]);
export type OrderKind = Static<typeof OrderKind>;
export const OrderStatus = Type.Union([Type.Literal('pending'), Type.Literal('completed'), Type.Literal('failed'), Type.Literal('cancelled')]);
export type OrderStatus = Static<typeof OrderStatus>;
/** self_service: the app; staff: placed by an agent (business hall / call centre); system: jobs, the seed. */
export const OrderChannel = Type.Union([Type.Literal('self_service'), Type.Literal('staff'), Type.Literal('system')]);
export type OrderChannel = Static<typeof OrderChannel>;

export const Order = Type.Object({
  id: Uuid,
  customerId: Uuid,
  customerName: Type.String(),
  lineId: Type.Union([Uuid, Type.Null()]),
  /** Masked (138****0000) in the console unless the role may see personal data. */
  msisdn: Type.Union([Type.String(), Type.Null()]),
  kind: OrderKind,
  status: OrderStatus,
  channel: OrderChannel,
  title: Type.String(),
  amount: Money,
  points: Type.Integer(),
  refType: Type.Union([Type.String(), Type.Null()]),
  refId: Type.Union([Type.String(), Type.Null()]),
  placedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Order = Static<typeof Order>;

export const OrderEvent = Type.Object({ status: OrderStatus, note: Type.Union([Type.String(), Type.Null()]), actor: Type.String(), at: Type.String({ format: 'date-time' }) });
export type OrderEvent = Static<typeof OrderEvent>;
export const OrderDetail = Type.Intersect([Order, Type.Object({ details: Type.Record(Type.String(), Type.Unknown()), history: Type.Array(OrderEvent) })]);
export type OrderDetail = Static<typeof OrderDetail>;

export const OrderQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'customer name prefix, full phone or line number, or order title words' })),
  kind: Type.Optional(OrderKind),
  status: Type.Optional(OrderStatus),
  channel: Type.Optional(OrderChannel),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type OrderQuery = Static<typeof OrderQuery>;

/** A business-hall sale: the same flows and rules as self-service, placed by staff for the customer. */
export const PlaceOrderRequest = Type.Union([
  Type.Object({ kind: Type.Literal('addon_purchase'), lineId: Uuid, addonId: Uuid }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('plan_change'), lineId: Uuid, planId: Uuid, when: Type.Union([Type.Literal('now'), Type.Literal('next_cycle')]) }, { additionalProperties: false }),
]);
export type PlaceOrderRequest = Static<typeof PlaceOrderRequest>;
