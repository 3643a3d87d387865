import { Type, type Static } from 'typebox';
import { Line, UsageRecord, UsageSummary } from './charging.js';
import { CustomerScore } from './analytics.js';
import { Money, Uuid } from './common.js';
import { Order, OrderStatus } from './orders.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });
const IsoDate = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });

// customers ---------------------------------------------------------------
export const CategoryCode = Type.String({ pattern: '^[a-z][a-z0-9_]{1,31}$' });
export const Gender = Type.Union([Type.Literal('male'), Type.Literal('female')]);
export const Consent = Type.Object({ sms: Type.Boolean(), email: Type.Boolean(), push: Type.Boolean() });

/** A customer as staff see it. `phone` and `idNumber` are masked unless `masked` is false. */
export const CustomerView = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  name: Type.String(),
  phone: Nullable(Type.String()),
  idNumber: Nullable(Type.String()),
  masked: Type.Boolean(),
  email: Nullable(Type.String()),
  birthDate: Nullable(Type.String()),
  gender: Nullable(Gender),
  address: Nullable(Type.String()),
  category: Type.String(),
  tags: Type.Array(Type.String()),
  channel: Nullable(Type.String()),
  externalId: Nullable(Type.String()),
  signupDate: Nullable(Type.String()),
  monthlyCharge: Nullable(Money),
  consent: Consent,
  status: Type.Union([Type.Literal('active'), Type.Literal('closed')]),
  locale: Type.String(),
  extras: Type.Record(Type.String(), Type.String()),
  createdAt: DateTime,
});
export type CustomerView = Static<typeof CustomerView>;

export const CustomerQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'name prefix, full phone or ID number' })),
  tag: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  category: Type.Optional(CategoryCode),
  channel: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type CustomerQuery = Static<typeof CustomerQuery>;

const editable = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  kind: Type.Union([Type.Literal('person'), Type.Literal('enterprise')]),
  email: Nullable(Type.String({ format: 'email', maxLength: 200 })),
  idNumber: Nullable(Type.String({ pattern: '^[0-9]{17}[0-9X]$' })),
  birthDate: Nullable(IsoDate),
  gender: Nullable(Gender),
  address: Nullable(Type.String({ maxLength: 300 })),
  category: CategoryCode,
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
  channel: Nullable(Type.String({ minLength: 1, maxLength: 50 })),
  externalId: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
  consent: Consent,
};
export const CustomerInput = Type.Object(
  {
    name: editable.name,
    phone: Type.Optional(Nullable(Type.String({ pattern: '^1[3-9][0-9]{9}$' }))),
    kind: Type.Optional(editable.kind),
    email: Type.Optional(editable.email),
    idNumber: Type.Optional(editable.idNumber),
    birthDate: Type.Optional(editable.birthDate),
    gender: Type.Optional(editable.gender),
    address: Type.Optional(editable.address),
    category: Type.Optional(editable.category),
    tags: Type.Optional(editable.tags),
    channel: Type.Optional(editable.channel),
    externalId: Type.Optional(editable.externalId),
    consent: Type.Optional(editable.consent),
  },
  { additionalProperties: false },
);
export type CustomerInput = Static<typeof CustomerInput>;
export const CustomerPatch = Type.Partial(Type.Object(editable), { additionalProperties: false });
export type CustomerPatch = Static<typeof CustomerPatch>;

export const Unmasked = Type.Object({
  phone: Nullable(Type.String()),
  idNumber: Nullable(Type.String()),
  lines: Type.Array(Type.Object({ id: Uuid, msisdn: Type.String() })),
});
export type Unmasked = Static<typeof Unmasked>;

export const CustomerCategory = Type.Object({ code: CategoryCode, nameZh: Type.String(), nameEn: Type.String(), builtIn: Type.Boolean() });
export type CustomerCategory = Static<typeof CustomerCategory>;
export const CustomerCategoryInput = Type.Object(
  { code: CategoryCode, nameZh: Type.String({ minLength: 1, maxLength: 50 }), nameEn: Type.String({ minLength: 1, maxLength: 50 }) },
  { additionalProperties: false },
);

export const ExportQuery = Type.Object({
  format: Type.Optional(Type.Union([Type.Literal('csv'), Type.Literal('xlsx')], { default: 'csv' })),
  q: CustomerQuery.properties.q,
  tag: CustomerQuery.properties.tag,
  category: CustomerQuery.properties.category,
  channel: CustomerQuery.properties.channel,
});

// interactions and the 360 view ------------------------------------------------
export const InteractionChannel = Type.Union([Type.Literal('call_centre'), Type.Literal('business_hall'), Type.Literal('online'), Type.Literal('other')]);
export const Interaction = Type.Object({ id: Uuid, channel: InteractionChannel, summary: Type.String(), staffName: Type.String(), createdAt: DateTime });
export type Interaction = Static<typeof Interaction>;
export const InteractionInput = Type.Object(
  { channel: InteractionChannel, summary: Type.String({ minLength: 1, maxLength: 2000 }) },
  { additionalProperties: false },
);

export const PlanChangeView = Type.Object({
  id: Uuid,
  lineId: Uuid,
  fromPlan: Type.String(),
  toPlan: Type.String(),
  when: Type.String(),
  status: Type.String(),
  charged: Money,
  requestedAt: DateTime,
  effectiveAt: DateTime,
});
export type PlanChangeView = Static<typeof PlanChangeView>;

export const TimelineEvent = Type.Object({
  at: DateTime,
  kind: Type.Union([Type.Literal('customer_created'), Type.Literal('line_opened'), Type.Literal('line_closed'), Type.Literal('plan_change'), Type.Literal('addon_purchase'), Type.Literal('reward_redemption'), Type.Literal('interaction')]),
  title: Type.String(),
  refId: Type.String(),
  /** Orders (plan_change, addon_purchase, reward_redemption): the order's current status. */
  status: Type.Optional(OrderStatus),
});
export type TimelineEvent = Static<typeof TimelineEvent>;

export const LineUsageRecord = Type.Intersect([UsageRecord, Type.Object({ lineId: Uuid })]);

/** What exists about a customer: only data the platform really holds (no placeholders). */
export const Customer360 = Type.Object({
  customer: CustomerView,
  lines: Type.Array(Line),
  usage: Type.Array(UsageSummary),
  recentUsage: Type.Array(LineUsageRecord),
  planChanges: Type.Array(PlanChangeView),
  /** The latest 50 orders (all of them: GET /api/admin/customers/:id/orders). */
  orders: Type.Array(Order),
  interactions: Type.Array(Interaction),
  timeline: Type.Array(TimelineEvent),
  /** Churn risk and purchase propensity from the latest model of each target (none before a model is trained). */
  scores: Type.Array(CustomerScore),
});
export type Customer360 = Static<typeof Customer360>;

// imports -----------------------------------------------------------------
export const ImportTargetField = Type.Union([
  Type.Literal('name'), Type.Literal('phone'), Type.Literal('idNumber'), Type.Literal('birthDate'), Type.Literal('gender'), Type.Literal('email'),
  Type.Literal('address'), Type.Literal('category'), Type.Literal('channel'), Type.Literal('signupDate'), Type.Literal('monthlyChargeFen'),
  Type.Literal('tags'), Type.Literal('externalId'),
]);
export const ColumnTarget = Type.Union([ImportTargetField, Type.Literal('extra'), Type.Literal('ignore')]);
export const MissingRule = Type.Union([
  Type.Object({ rule: Type.Literal('null') }, { additionalProperties: false }),
  Type.Object({ rule: Type.Literal('default'), value: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
  Type.Object({ rule: Type.Literal('median') }, { additionalProperties: false }),
  Type.Object({ rule: Type.Literal('reject') }, { additionalProperties: false }),
]);
export const ChannelName = Type.String({ pattern: '^[A-Za-z0-9_.-]{1,50}$' });
export const ImportMapping = Type.Object(
  {
    version: Type.Literal(1),
    channel: ChannelName,
    columns: Type.Record(Type.String({ maxLength: 200 }), ColumnTarget),
    missing: Type.Record(Type.String(), MissingRule),
    dateOrder: Type.Union([Type.Literal('DMY'), Type.Literal('MDY')]),
  },
  { additionalProperties: false },
);
export type ImportMapping = Static<typeof ImportMapping>;

export const ImportUploadQuery = Type.Object({
  channel: ChannelName,
  fileName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
export const ImportPreview = Type.Object({
  uploadId: Uuid,
  fileName: Type.String(),
  fileSha256: Type.String(),
  sizeBytes: Type.Integer(),
  format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]),
  encoding: Type.String(),
  header: Type.Array(Type.String()),
  rows: Type.Array(Type.Object({ row: Type.Integer(), cells: Type.Array(Type.String()) })),
  mapping: ImportMapping,
  mappingSource: Type.Union([Type.Literal('saved'), Type.Literal('suggested')]),
});
export type ImportPreview = Static<typeof ImportPreview>;

export const ImportStart = Type.Object(
  { uploadId: Uuid, channel: ChannelName, mapping: ImportMapping, saveMapping: Type.Optional(Type.Boolean({ default: true })) },
  { additionalProperties: false },
);
export type ImportStart = Static<typeof ImportStart>;

export const ImportJobStatus = Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]);
export const ImportJob = Type.Object({
  id: Uuid,
  channel: Type.String(),
  fileName: Type.String(),
  fileSha256: Type.String(),
  mappingSha256: Type.String(),
  status: ImportJobStatus,
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  rowsProcessed: Type.Integer(),
  totals: Type.Object({
    inserted: Type.Integer(),
    updated: Type.Integer(),
    merged: Type.Integer(),
    unchanged: Type.Integer(),
    rejected: Type.Integer(),
  }),
  rejectedByCode: Type.Record(Type.String(), Type.Integer()),
  rejectedSample: Type.Array(Type.Object({ row: Type.Integer(), code: Type.String(), column: Type.String(), message: Type.String() })),
  error: Nullable(Type.String()),
  replayed: Type.Boolean(),
  createdAt: DateTime,
  finishedAt: Nullable(DateTime),
});
export type ImportJob = Static<typeof ImportJob>;

// dashboard ---------------------------------------------------------------
const Count = Type.Object({ key: Type.String(), count: Type.Integer() });
export const Dashboard = Type.Object({
  customersByCategory: Type.Array(Count),
  customersByChannel: Type.Array(Count),
  newCustomersByMonth: Type.Array(Count),
  activeLines: Type.Integer(),
  arpuByMonth: Type.Array(Type.Object({ month: Type.String(), lines: Type.Integer(), revenue: Money, arpu: Money })),
  closedLinesByMonth: Type.Array(Count),
});
export type Dashboard = Static<typeof Dashboard>;
