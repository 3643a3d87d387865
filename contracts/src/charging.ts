import { Type, type Static } from 'typebox';
import { Money, Uuid } from './common.js';

export const UsageType = Type.Union([Type.Literal('data'), Type.Literal('voice'), Type.Literal('sms')]);
export type UsageType = Static<typeof UsageType>;
export const Unit = Type.Union([Type.Literal('bytes'), Type.Literal('seconds'), Type.Literal('count')]);
export type Unit = Static<typeof Unit>;
export const unitOf = (t: UsageType): Unit => (t === 'data' ? 'bytes' : t === 'voice' ? 'seconds' : 'count');

// catalog -------------------------------------------------------------------
export const Plan = Type.Object({
  id: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  tier: Type.Integer(),
  monthlyFee: Money,
  dataBytes: Type.Integer({ minimum: 0 }),
  voiceSeconds: Type.Integer({ minimum: 0 }),
  smsCount: Type.Integer({ minimum: 0 }),
  overage: Type.Object({ dataPerGb: Money, voicePerMinute: Money, smsEach: Money }),
  contractMonths: Type.Integer({ minimum: 0 }),
  active: Type.Boolean(),
});
export type Plan = Static<typeof Plan>;

export const PlanInput = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9_-]{2,40}$' }),
    nameZh: Type.String({ minLength: 1, maxLength: 60 }),
    nameEn: Type.String({ minLength: 1, maxLength: 60 }),
    tier: Type.Integer({ minimum: 1, maximum: 9 }),
    monthlyFeeFen: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
    dataBytes: Type.Integer({ minimum: 0 }),
    voiceSeconds: Type.Integer({ minimum: 0 }),
    smsCount: Type.Integer({ minimum: 0 }),
    dataFenPerGb: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
    voiceFenPerMin: Type.Integer({ minimum: 0, maximum: 10_000 }),
    smsFenEach: Type.Integer({ minimum: 0, maximum: 10_000 }),
    contractMonths: Type.Integer({ minimum: 0, maximum: 60 }),
  },
  { additionalProperties: false },
);
export type PlanInput = Static<typeof PlanInput>;

export const Addon = Type.Object({
  id: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  kind: UsageType,
  quantity: Type.Integer(),
  unit: Unit,
  validityDays: Type.Integer(),
  price: Money,
  active: Type.Boolean(),
});
export type Addon = Static<typeof Addon>;

export const AddonInput = Type.Object(
  {
    code: Type.String({ pattern: '^[a-z0-9_-]{2,40}$' }),
    nameZh: Type.String({ minLength: 1, maxLength: 60 }),
    nameEn: Type.String({ minLength: 1, maxLength: 60 }),
    kind: UsageType,
    quantity: Type.Integer({ minimum: 1 }),
    validityDays: Type.Integer({ minimum: 1, maximum: 366 }),
    priceFen: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  },
  { additionalProperties: false },
);
export type AddonInput = Static<typeof AddonInput>;

// lines -------------------------------------------------------------------
export const LineStatus = Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('closed')]);
export const Line = Type.Object({
  id: Uuid,
  msisdn: Type.String(),
  status: LineStatus,
  statusReason: Type.Union([Type.String(), Type.Null()]),
  plan: Plan,
  balance: Money,
  creditLimit: Money,
  cycleStart: Type.String({ format: 'date-time' }),
  cycleEnd: Type.String({ format: 'date-time' }),
  contractEnd: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  scheduledPlan: Type.Union([Plan, Type.Null()]),
});
export type Line = Static<typeof Line>;

export const LineQuery = Type.Object({ lineId: Type.Optional(Uuid) });

export const Balance = Type.Object({ lineId: Uuid, balance: Money, creditLimit: Money, asOf: Type.String({ format: 'date-time' }) });
export type Balance = Static<typeof Balance>;

export const UsageBucket = Type.Object({
  kind: UsageType,
  source: Type.Union([Type.Literal('plan'), Type.Literal('addon')]),
  name: Type.String({ description: 'Chinese name of the plan or pack' }),
  nameEn: Type.String(),
  allowance: Type.Integer(),
  used: Type.Integer(),
  remaining: Type.Integer(),
  unit: Unit,
  resetsAt: Type.String({ format: 'date-time', description: 'when the bucket expires or resets' }),
});
export type UsageBucket = Static<typeof UsageBucket>;

export const UsageSummary = Type.Object({
  lineId: Uuid,
  cycleStart: Type.String({ format: 'date-time' }),
  cycleEnd: Type.String({ format: 'date-time' }),
  totals: Type.Array(Type.Object({ kind: UsageType, allowance: Type.Integer(), used: Type.Integer(), remaining: Type.Integer(), unit: Unit })),
  buckets: Type.Array(UsageBucket),
});
export type UsageSummary = Static<typeof UsageSummary>;

export const UsageRecord = Type.Object({
  id: Type.String(),
  type: UsageType,
  quantity: Type.Integer(),
  unit: Unit,
  startedAt: Type.String({ format: 'date-time' }),
  fromAllowance: Type.Integer(),
  chargedQuantity: Type.Integer(),
  charge: Money,
  unratedQuantity: Type.Integer(),
});
export type UsageRecord = Static<typeof UsageRecord>;

export const UsageRecordQuery = Type.Object({
  lineId: Type.Optional(Uuid),
  type: Type.Optional(UsageType),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

// plan changes and add-ons --------------------------------------------------
export const PlanChangeTiming = Type.Union([Type.Literal('now'), Type.Literal('next_cycle')]);
export const Reason = Type.Object({ code: Type.String(), message: Type.String() });
export type Reason = Static<typeof Reason>;

export const Eligibility = Type.Object({
  eligible: Type.Boolean(),
  reasons: Type.Array(Reason),
  /** what confirming costs: `now` charges the fee difference today; `next_cycle` charges nothing until the new cycle */
  price: Type.Object({ chargeNow: Money, currentMonthlyFee: Money, newMonthlyFee: Money, monthlyDelta: Money }),
  allowedTimings: Type.Array(PlanChangeTiming),
});
export type Eligibility = Static<typeof Eligibility>;

export const EligibilityQuery = Type.Object({ lineId: Uuid, planId: Uuid, when: Type.Optional(PlanChangeTiming) });

export const PlanChangeRequest = Type.Object({ lineId: Uuid, planId: Uuid, when: PlanChangeTiming }, { additionalProperties: false });
export const PlanChange = Type.Object({
  id: Uuid,
  lineId: Uuid,
  fromPlan: Plan,
  toPlan: Plan,
  when: PlanChangeTiming,
  status: Type.Union([Type.Literal('scheduled'), Type.Literal('applied'), Type.Literal('cancelled')]),
  charged: Money,
  requestedAt: Type.String({ format: 'date-time' }),
  effectiveAt: Type.String({ format: 'date-time' }),
});
export type PlanChange = Static<typeof PlanChange>;

export const Recommendation = Type.Object({
  lineId: Uuid,
  cyclesConsidered: Type.Integer(),
  usage: Type.Object({ dataBytes: Type.Integer(), voiceSeconds: Type.Integer(), smsCount: Type.Integer() }),
  currentPlan: Plan,
  currentMonthlyCost: Money,
  recommended: Type.Union([Plan, Type.Null()]),
  recommendedMonthlyCost: Money,
  monthlySaving: Money,
  reason: Type.String(),
});
export type Recommendation = Static<typeof Recommendation>;

export const AddonOrderRequest = Type.Object({
  lineId: Uuid,
  addonId: Uuid,
  couponId: Type.Optional(Type.String({ format: 'uuid', description: 'a discount or data-pack coupon from the wallet' })),
}, { additionalProperties: false });
export const AddonOrder = Type.Object({
  id: Uuid,
  lineId: Uuid,
  addon: Addon,
  price: Money,
  /** Taken off the price by a coupon (zero without one). */
  discount: Type.Optional(Money),
  couponId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  balanceAfter: Money,
  validUntil: Type.String({ format: 'date-time' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type AddonOrder = Static<typeof AddonOrder>;

// ingestion ---------------------------------------------------------------
export const UsageEventIn = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  msisdn: Type.String(),
  type: UsageType,
  quantity: Type.Integer({ minimum: 0 }),
  startedAt: Type.String({ format: 'date-time' }),
});
export type UsageEventIn = Static<typeof UsageEventIn>;

export const UsageBatchResult = Type.Object({
  accepted: Type.Integer(),
  duplicates: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), code: Type.String(), message: Type.String() })),
});
export type UsageBatchResult = Static<typeof UsageBatchResult>;

// staff -------------------------------------------------------------------
export const BalanceAdjustment = Type.Object(
  {
    amountFen: Type.Integer({ minimum: -100_000_000, maximum: 100_000_000, not: { const: 0 } }),
    reason: Type.String({ minLength: 3, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const LedgerEntryView = Type.Object({
  txId: Uuid,
  kind: Type.String(),
  memo: Type.String(),
  amount: Money,
  createdAt: Type.String({ format: 'date-time' }),
  reference: Type.Union([Type.String(), Type.Null()]),
});
export type LedgerEntryView = Static<typeof LedgerEntryView>;
