import { Type, type Static } from 'typebox';
import { Money, Uuid } from './common.js';

/** Largest single top-up: ¥5,000. */
export const MAX_TOPUP_FEN = 500_000;
/** Preset top-up amounts shown in the app (fen). */
export const TOPUP_PRESETS_FEN = [3000, 5000, 10000, 20000] as const;

export const PaymentMethod = Type.Union([Type.Literal('redirect'), Type.Literal('qr')], { description: 'redirect to the gateway page, or show a QR code' });
export type PaymentMethod = Static<typeof PaymentMethod>;
export const PaymentStatus = Type.Union([Type.Literal('pending'), Type.Literal('captured'), Type.Literal('cancelled'), Type.Literal('expired')]);
export type PaymentStatus = Static<typeof PaymentStatus>;

export const PaymentRequest = Type.Object(
  {
    lineId: Uuid,
    amount: Type.Integer({ minimum: 100, maximum: MAX_TOPUP_FEN, description: 'fen (¥1 to ¥5,000)' }),
    method: PaymentMethod,
    couponId: Type.Optional(Type.String({ format: 'uuid', description: 'a top-up-bonus coupon from the wallet: its bonus is credited when the payment is captured' })),
  },
  { additionalProperties: false },
);
export type PaymentRequest = Static<typeof PaymentRequest>;

export const Payment = Type.Object({
  id: Uuid,
  lineId: Uuid,
  msisdn: Type.String(),
  provider: Type.String(),
  method: Type.String(),
  origin: Type.Union([Type.Literal('subscriber'), Type.Literal('auto_topup')]),
  amount: Money,
  refunded: Money,
  status: PaymentStatus,
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time' }),
  capturedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Payment = Static<typeof Payment>;

export const PaymentCreated = Type.Object({
  payment: Payment,
  gateway: Type.Object({
    provider: Type.String(),
    redirectUrl: Type.String({ description: 'open this page to pay' }),
    qrPayload: Type.String({ description: 'encode as a QR code for the payer to scan' }),
  }),
});
export type PaymentCreated = Static<typeof PaymentCreated>;

export const PaymentQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const AdminPaymentQuery = Type.Object({
  msisdn: Type.Optional(Type.String({ pattern: '^[0-9]{1,11}$' })),
  status: Type.Optional(PaymentStatus),
  paymentId: Type.Optional(Uuid),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
});

export const RefundRequest = Type.Object(
  { amount: Type.Integer({ minimum: 1, maximum: MAX_TOPUP_FEN }), reason: Type.String({ minLength: 2, maxLength: 200 }) },
  { additionalProperties: false },
);
export type RefundRequest = Static<typeof RefundRequest>;

export const Refund = Type.Object({
  id: Uuid,
  paymentId: Uuid,
  amount: Money,
  reason: Type.String(),
  payment: Payment,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Refund = Static<typeof Refund>;

export const CallbackResult = Type.Object({
  paymentId: Uuid,
  status: PaymentStatus,
  outcome: Type.String(),
});
export type CallbackResult = Static<typeof CallbackResult>;

export const AutoTopup = Type.Object(
  {
    lineId: Uuid,
    enabled: Type.Boolean(),
    threshold: Type.Integer({ minimum: 0, maximum: MAX_TOPUP_FEN, description: 'top up when the balance falls below this (fen)' }),
    amount: Type.Integer({ minimum: 100, maximum: MAX_TOPUP_FEN, description: 'fen per top-up' }),
    dailyMaxCount: Type.Integer({ minimum: 1, maximum: 10 }),
    dailyMaxAmount: Type.Integer({ minimum: 100, maximum: 5 * MAX_TOPUP_FEN, description: 'fen per day' }),
  },
  { additionalProperties: false },
);
export type AutoTopup = Static<typeof AutoTopup>;

// bills -------------------------------------------------------------------
export const Bill = Type.Object({
  id: Uuid,
  lineId: Uuid,
  msisdn: Type.String(),
  cycle: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}$' }),
  cycleStart: Type.String({ format: 'date-time' }),
  cycleEnd: Type.String({ format: 'date-time' }),
  openingBalance: Money,
  planFees: Money,
  addons: Money,
  overage: Type.Object({ data: Money, voice: Money, sms: Money }),
  adjustments: Money,
  payments: Money,
  refunds: Money,
  other: Money,
  closingBalance: Money,
  createdAt: Type.String({ format: 'date-time' }),
});
export type Bill = Static<typeof Bill>;

export const BillRunRequest = Type.Object({ cycle: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }) }, { additionalProperties: false });
export const BillRunResult = Type.Object({ cycle: Type.String(), lines: Type.Integer(), created: Type.Integer(), existing: Type.Integer() });
export type BillRunResult = Static<typeof BillRunResult>;

export const ReconciliationQuery = Type.Object({
  from: Type.String({ format: 'date', description: 'first day (China time), inclusive' }),
  to: Type.String({ format: 'date', description: 'last day, inclusive' }),
});
export const ReconciliationDay = Type.Object({
  day: Type.String(),
  gatewayCaptures: Money,
  ledgerCredits: Money,
  refunds: Money,
  ledgerRefunds: Money,
  billedPayments: Money,
  balanced: Type.Boolean(),
});
export const ReconciliationDifference = Type.Object({
  kind: Type.String({ description: 'capture_without_credit | credit_without_capture | amount_differs | refund_differs | bill_payments_differ' }),
  day: Type.String(),
  paymentId: Type.Union([Type.String(), Type.Null()]),
  billId: Type.Union([Type.String(), Type.Null()]),
  expected: Money,
  actual: Money,
});
export const Reconciliation = Type.Object({
  from: Type.String(),
  to: Type.String(),
  days: Type.Array(ReconciliationDay),
  differences: Type.Array(ReconciliationDifference),
});
export type Reconciliation = Static<typeof Reconciliation>;
