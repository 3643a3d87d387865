import { Type, type Static } from 'typebox';
import { Money, Uuid } from './common.js';
import { Channel as CampaignChannel } from './messages.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Score = Type.Number({ minimum: 0, maximum: 1 });
const Pct = Type.Number({ minimum: 0, maximum: 100 });

/** One audience condition; a campaign's audience combines them with AND or OR. */
export const AudienceRule = Type.Union([
  Type.Object({ kind: Type.Literal('segment'), segmentationId: Uuid, segments: Type.Array(Type.Integer({ minimum: 0, maximum: 100 }), { minItems: 1, maxItems: 20, uniqueItems: true }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('score'), target: Type.Union([Type.Literal('churn'), Type.Literal('purchase')]), min: Type.Optional(Score), max: Type.Optional(Score) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('plan'), planCodes: Type.Array(Type.String({ minLength: 1, maxLength: 40 }), { minItems: 1, maxItems: 50, uniqueItems: true }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('category'), categories: Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' }), { minItems: 1, maxItems: 20, uniqueItems: true }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('usage'), resource: Type.Union([Type.Literal('data'), Type.Literal('voice'), Type.Literal('sms')]), minPct: Type.Optional(Pct), maxPct: Type.Optional(Pct) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('tier'), tiers: Type.Array(Type.Union([Type.Literal('normal'), Type.Literal('silver'), Type.Literal('gold'), Type.Literal('diamond')]), { minItems: 1, maxItems: 4, uniqueItems: true }) }, { additionalProperties: false }),
]);
export type AudienceRule = Static<typeof AudienceRule>;

export const Audience = Type.Object({
  combine: Type.Union([Type.Literal('and'), Type.Literal('or')]),
  rules: Type.Array(AudienceRule, { maxItems: 20 }),
}, { additionalProperties: false });
export type Audience = Static<typeof Audience>;

export const AudiencePreview = Type.Object({ size: Type.Integer(), reachable: Type.Integer(), ms: Type.Integer() });
export type AudiencePreview = Static<typeof AudiencePreview>;

/** What the subscriber is offered: an add-on at a discount, a coupon from the rewards catalog, or bonus points. */
export const Offer = Type.Union([
  Type.Object({ kind: Type.Literal('addon'), addonId: Uuid, discountPct: Type.Integer({ minimum: 0, maximum: 100 }) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('coupon'), rewardId: Uuid }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('points'), points: Type.Integer({ minimum: 1, maximum: 1_000_000 }) }, { additionalProperties: false }),
]);
export type Offer = Static<typeof Offer>;

/** A message variant (A/B); text may use {{name}}, {{msisdn}}, {{offer}}, {{price}}. */
export const Variant = Type.Object({
  key: Type.String({ pattern: '^[A-Z]$' }),
  weight: Type.Integer({ minimum: 1, maximum: 100 }),
  titleZh: Type.String({ minLength: 1, maxLength: 80 }),
  titleEn: Type.String({ minLength: 1, maxLength: 80 }),
  bodyZh: Type.String({ minLength: 1, maxLength: 500 }),
  bodyEn: Type.String({ minLength: 1, maxLength: 500 }),
  /** Shorter text for SMS; the body is used when absent. */
  smsZh: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
  smsEn: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  /** Overrides the offer's discount for this variant (add-on offers): an A/B test of the offer itself. */
  discountPct: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
}, { additionalProperties: false });
export type Variant = Static<typeof Variant>;

/** Campaign channels are the message channels (messages.ts). */
export { Channel as CampaignChannel } from './messages.js';

export const Schedule = Type.Union([
  Type.Object({ kind: Type.Literal('once'), at: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('recurring'), everyDays: Type.Integer({ minimum: 1, maximum: 90 }), at: Type.Optional(Type.String({ format: 'date-time' })), until: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('trigger'), event: Type.Literal('data_exhausted') }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('trigger'), event: Type.Literal('churn_threshold'), threshold: Score }, { additionalProperties: false }),
]);
export type Schedule = Static<typeof Schedule>;

export const CampaignInput = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 120 }),
  audience: Audience,
  offer: Offer,
  variants: Type.Array(Variant, { minItems: 1, maxItems: 4 }),
  channels: Type.Array(CampaignChannel, { minItems: 1, maxItems: 4, uniqueItems: true }),
  schedule: Schedule,
  holdoutPct: Type.Integer({ minimum: 0, maximum: 90 }),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  attributionDays: Type.Integer({ minimum: 1, maximum: 90 }),
}, { additionalProperties: false });
export type CampaignInput = Static<typeof CampaignInput>;

export const CampaignStatus = Type.Union([
  Type.Literal('draft'), Type.Literal('pending_approval'), Type.Literal('approved'), Type.Literal('running'), Type.Literal('paused'), Type.Literal('completed'), Type.Literal('cancelled'),
]);
export type CampaignStatus = Static<typeof CampaignStatus>;

export const Campaign = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: CampaignStatus,
  audience: Audience,
  offer: Offer,
  variants: Type.Array(Variant),
  channels: Type.Array(CampaignChannel),
  schedule: Schedule,
  holdoutPct: Type.Integer(),
  seed: Type.Integer(),
  attributionDays: Type.Integer(),
  createdBy: Type.String(),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Type.String({ format: 'date-time' })),
  launchedAt: Nullable(Type.String({ format: 'date-time' })),
  nextRunAt: Nullable(Type.String({ format: 'date-time' })),
  runs: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Campaign = Static<typeof Campaign>;

export const CampaignSummary = Type.Object({
  id: Type.String(), name: Type.String(), status: CampaignStatus, offerKind: Type.String(), scheduleKind: Type.String(),
  createdBy: Type.String(), audience: Type.Integer(), sent: Type.Integer(), createdAt: Type.String({ format: 'date-time' }),
});
export type CampaignSummary = Static<typeof CampaignSummary>;

export const CampaignSettings = Type.Object({
  frequencyCap: Type.Integer({ minimum: 1, maximum: 100 }),
  frequencyDays: Type.Integer({ minimum: 1, maximum: 365 }),
}, { additionalProperties: false });
export type CampaignSettings = Static<typeof CampaignSettings>;

/** A test send goes to a staff member's own phone, through the real SMS channel and message log. */
export const TestSendRequest = Type.Object({ phone: Type.String({ pattern: '^1[3-9][0-9]{9}$' }) }, { additionalProperties: false });
export type TestSendRequest = Static<typeof TestSendRequest>;
export const TestSendResult = Type.Object({ sent: Type.Integer(), messages: Type.Array(Type.Object({ channel: Type.String(), recipient: Type.String(), locale: Type.String(), variant: Type.String(), title: Type.String(), body: Type.String() })) });
export type TestSendResult = Static<typeof TestSendResult>;

const Arm = Type.Object({
  n: Type.Integer(), converted: Type.Integer(), rate: Type.Number(), revenue: Money,
});
export const CampaignReport = Type.Object({
  campaignId: Type.String(),
  status: CampaignStatus,
  asOf: Type.String({ format: 'date-time' }),
  funnel: Type.Object({
    audience: Type.Integer(), suppressedConsent: Type.Integer(), suppressedCap: Type.Integer(), treated: Type.Integer(), control: Type.Integer(),
    sent: Type.Integer(), delivered: Type.Integer(), opened: Type.Integer(), clicked: Type.Integer(), taken: Type.Integer(), converted: Type.Integer(),
  }),
  channels: Type.Array(Type.Object({ channel: Type.String(), queued: Type.Integer(), delivered: Type.Integer(), read: Type.Integer(), failed: Type.Integer() })),
  treatment: Arm,
  control: Arm,
  /** Conversion rate difference treated − control, in percentage points, with a 95% Wald interval. */
  uplift: Type.Object({ pp: Type.Number(), low: Type.Number(), high: Type.Number(), significant: Type.Boolean() }),
  variants: Type.Array(Type.Object({ key: Type.String(), n: Type.Integer(), sent: Type.Integer(), opened: Type.Integer(), converted: Type.Integer(), rate: Type.Number(), revenue: Money })),
  daily: Type.Array(Type.Object({ day: Type.String(), treatment: Type.Integer(), control: Type.Integer() })),
  runs: Type.Array(Type.Object({ runNo: Type.Integer(), status: Type.String(), audience: Type.Integer(), enqueued: Type.Integer(), treated: Type.Integer(), startedAt: Type.String(), finishedAt: Nullable(Type.String()) })),
});
export type CampaignReport = Static<typeof CampaignReport>;

/** An offer as the subscriber sees it. */
export const MyOffer = Type.Object({
  campaignId: Type.String(),
  runNo: Type.Integer(),
  title: Type.String(),
  body: Type.String(),
  kind: Type.Union([Type.Literal('addon'), Type.Literal('coupon'), Type.Literal('points')]),
  lineId: Type.String(),
  msisdn: Type.String(),
  addonId: Nullable(Type.String()),
  price: Nullable(Money),
  listPrice: Nullable(Money),
  points: Nullable(Type.Integer()),
  expiresAt: Type.String({ format: 'date-time' }),
  taken: Type.Boolean(),
});
export type MyOffer = Static<typeof MyOffer>;

export const OfferTakeResult = Type.Object({ campaignId: Type.String(), kind: Type.String(), reference: Type.String(), price: Money, takenAt: Type.String({ format: 'date-time' }) });
export type OfferTakeResult = Static<typeof OfferTakeResult>;
