import { Type, type Static } from 'typebox';
import { Money, Uuid } from './common.js';

/** Loyalty (issue 5): a line's points, earning rules, rewards, coupons. */

export const Tier = Type.Union([Type.Literal('normal'), Type.Literal('silver'), Type.Literal('gold'), Type.Literal('diamond')], { description: '普通 / 银 / 金 / 钻' });
export type Tier = Static<typeof Tier>;

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const PointsSummary = Type.Object({
  lineId: Uuid,
  balance: Type.Integer(),
  tier: Tier,
  tierSpend: Money,
  /** Points a refund could not claw back; later earnings settle it first. */
  shortfall: Type.Integer(),
  /** A suspended line's points cannot be used. */
  frozen: Type.Boolean(),
  checkin: Type.Object({ streak: Type.Integer(), checkedInToday: Type.Boolean(), available: Type.Boolean() }),
  /** Open lots by expiry date, earliest first. */
  expiring: Type.Array(Type.Object({ expiresAt: DateTime, points: Type.Integer() })),
});
export type PointsSummary = Static<typeof PointsSummary>;

export const PointEventKind = Type.Union(['earn', 'grant', 'redeem', 'expire', 'clawback', 'clear', 'close', 'refund'].map((k) => Type.Literal(k)));
export const PointEvent = Type.Object({
  id: Uuid,
  kind: Type.String(),
  /** Change to the balance (negative for redemptions, expiry, claw-backs, clears). */
  points: Type.Integer(),
  /** Part of an earning that settled an earlier shortfall, or part of a claw-back the balance could not cover. */
  settled: Type.Integer(),
  rule: Nullable(Type.Object({ id: Uuid, code: Type.String(), version: Type.Integer(), nameZh: Type.String(), nameEn: Type.String() })),
  reason: Type.String(),
  source: Type.Object({ kind: Type.String(), id: Type.String() }),
  createdAt: DateTime,
});
export type PointEvent = Static<typeof PointEvent>;

export const LineRef = Type.Object({ lineId: Uuid }, { additionalProperties: false });
export const PointHistoryQuery = Type.Object({
  lineId: Uuid,
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

export const CheckinResult = Type.Object({ points: Type.Integer(), streak: Type.Integer(), balance: Type.Integer(), checkedInToday: Type.Boolean() });
export type CheckinResult = Static<typeof CheckinResult>;

export const RewardKind = Type.Union([Type.Literal('discount'), Type.Literal('topup_bonus'), Type.Literal('data_pack'), Type.Literal('goods')], {
  description: 'discount: off an add-on purchase; topup_bonus: extra credit on a top-up; data_pack: pays for the named add-on; goods: a physical gift',
});
export type RewardKind = Static<typeof RewardKind>;

export const Reward = Type.Object({
  id: Uuid,
  code: Type.String(),
  kind: RewardKind,
  nameZh: Type.String(),
  nameEn: Type.String(),
  descriptionZh: Type.String(),
  descriptionEn: Type.String(),
  value: Money,
  minSpend: Money,
  addonCode: Nullable(Type.String()),
  pointsPrice: Type.Integer(),
  /** Units left; null is unlimited. */
  stock: Nullable(Type.Integer()),
  issued: Type.Integer(),
  globalLimit: Nullable(Type.Integer()),
  perMemberLimit: Nullable(Type.Integer()),
  validDays: Type.Integer(),
  active: Type.Boolean(),
});
export type Reward = Static<typeof Reward>;

const RewardFields = {
  nameZh: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.String({ minLength: 1, maxLength: 80 }),
  descriptionZh: Type.Optional(Type.String({ maxLength: 500 })),
  descriptionEn: Type.Optional(Type.String({ maxLength: 500 })),
  valueFen: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  minSpendFen: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
  addonCode: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60 }))),
  pointsPrice: Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'P = b × S: points asked for the reward' }),
  globalLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 100_000_000 }))),
  perMemberLimit: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 10_000 }))),
  validDays: Type.Integer({ minimum: 1, maximum: 3650 }),
  active: Type.Optional(Type.Boolean()),
};
export const RewardInput = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }),
  kind: RewardKind,
  ...RewardFields,
  stock: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000 }))),
}, { additionalProperties: false });
export type RewardInput = Static<typeof RewardInput>;
export const RewardPatch = Type.Partial(Type.Object({
  ...RewardFields,
  stockDelta: Type.Integer({ minimum: -100_000_000, maximum: 100_000_000, description: 'restock (+) or write off (−)' }),
  unlimitedStock: Type.Boolean(),
}), { additionalProperties: false });
export type RewardPatch = Static<typeof RewardPatch>;

export const RedeemRequest = Type.Object({ lineId: Uuid, rewardId: Uuid }, { additionalProperties: false });
export type RedeemRequest = Static<typeof RedeemRequest>;
export const Redemption = Type.Object({
  redemptionId: Uuid,
  rewardId: Uuid,
  points: Type.Integer(),
  couponId: Nullable(Uuid),
  status: Type.Union([Type.Literal('issued'), Type.Literal('ordered')]),
  /** Points left on the line. */
  balance: Type.Integer(),
});
export type Redemption = Static<typeof Redemption>;

export const CouponStatus = Type.Union([Type.Literal('available'), Type.Literal('reserved'), Type.Literal('used'), Type.Literal('expired')]);
export type CouponStatus = Static<typeof CouponStatus>;
export const Coupon = Type.Object({
  id: Uuid,
  rewardId: Uuid,
  kind: RewardKind,
  nameZh: Type.String(),
  nameEn: Type.String(),
  value: Money,
  minSpend: Money,
  addonCode: Nullable(Type.String()),
  status: CouponStatus,
  issuedAt: DateTime,
  expiresAt: DateTime,
  usedAt: Nullable(DateTime),
  usedRef: Nullable(Type.String()),
  discount: Nullable(Money),
});
export type Coupon = Static<typeof Coupon>;
export const CouponQuery = Type.Object({ lineId: Uuid, status: Type.Optional(CouponStatus) });

export const RuleKind = Type.Union([Type.Literal('base'), Type.Literal('multiplier'), Type.Literal('first_topup'), Type.Literal('checkin'), Type.Literal('limit')]);
export type RuleKind = Static<typeof RuleKind>;
export const EarningRule = Type.Object({
  id: Uuid,
  code: Type.String(),
  version: Type.Integer(),
  kind: RuleKind,
  nameZh: Type.String(),
  nameEn: Type.String(),
  config: Type.Record(Type.String(), Type.Unknown(), {
    description: 'base {pointsPer100Yuan:{normal,silver,gold,diamond}}; multiplier {percent}; first_topup {points}; checkin {points,streakStep,cap}; limit {dailyMax,monthlyMax}',
  }),
  startsAt: Nullable(DateTime),
  endsAt: Nullable(DateTime),
  active: Type.Boolean(),
  createdAt: DateTime,
});
export type EarningRule = Static<typeof EarningRule>;
export const EarningRuleInput = Type.Object({
  code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }),
  kind: RuleKind,
  nameZh: Type.String({ minLength: 1, maxLength: 60 }),
  nameEn: Type.String({ minLength: 1, maxLength: 80 }),
  config: Type.Record(Type.String(), Type.Unknown()),
  startsAt: Type.Optional(Nullable(DateTime)),
  endsAt: Type.Optional(Nullable(DateTime)),
  active: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type EarningRuleInput = Static<typeof EarningRuleInput>;

export const PointsGrant = Type.Object({ points: Type.Integer({ minimum: 1, maximum: 10_000_000 }), reason: Type.String({ minLength: 2, maxLength: 200 }) }, { additionalProperties: false });
export type PointsGrant = Static<typeof PointsGrant>;
export const PointsClear = Type.Object({
  points: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000, description: 'omit to clear all' })),
  reason: Type.String({ minLength: 2, maxLength: 200 }),
}, { additionalProperties: false });
export type PointsClear = Static<typeof PointsClear>;
export const PointsChange = Type.Object({ eventId: Uuid, points: Type.Integer(), balance: Type.Integer() });
export type PointsChange = Static<typeof PointsChange>;

export const LoyaltyDashboard = Type.Object({
  /** Points totals over all time (positive numbers). */
  issued: Type.Integer(),
  redeemed: Type.Integer(),
  expired: Type.Integer(),
  cleared: Type.Integer(),
  clawedBack: Type.Integer(),
  outstanding: Type.Integer(),
  /** Outstanding points valued at the catalog's average fen per point. */
  liability: Money,
  fenPerPoint: Type.String({ description: 'decimal, from the active coupon rewards (value / points price)' }),
  members: Type.Integer(),
  redemptions: Type.Integer(),
  byMonth: Type.Array(Type.Object({ month: Type.String(), issued: Type.Integer(), redeemed: Type.Integer(), expired: Type.Integer() })),
  topRewards: Type.Array(Type.Object({ rewardId: Uuid, nameZh: Type.String(), nameEn: Type.String(), redemptions: Type.Integer(), points: Type.Integer() })),
});
export type LoyaltyDashboard = Static<typeof LoyaltyDashboard>;
