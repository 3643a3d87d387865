import { Type, type Static } from 'typebox';

const Hhmm = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour' });
const ChannelSwitches = Type.Object({ sms: Type.Boolean(), email: Type.Boolean(), push: Type.Boolean(), inapp: Type.Boolean() }, { additionalProperties: false });

/** Per-category, per-channel choices. Transactional is always on; marketing is opt-in per channel and waits out quiet hours. */
export const NotificationPreferences = Type.Object({
  transactional: ChannelSwitches,
  marketing: ChannelSwitches,
  quietHours: Type.Object({ start: Hhmm, end: Hhmm, timeZone: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
});
export type NotificationPreferences = Static<typeof NotificationPreferences>;

export const NotificationPreferencesPatch = Type.Object({
  transactional: Type.Optional(Type.Partial(ChannelSwitches)),
  marketing: Type.Optional(Type.Partial(ChannelSwitches)),
  quietHours: Type.Optional(Type.Object({ start: Hhmm, end: Hhmm, timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })) }, { additionalProperties: false })),
}, { additionalProperties: false });
export type NotificationPreferencesPatch = Static<typeof NotificationPreferencesPatch>;

/** A browser's PushSubscription.toJSON(). */
export const PushSubscriptionInput = Type.Object({
  endpoint: Type.String({ format: 'uri', maxLength: 2000 }),
  keys: Type.Object({ p256dh: Type.String({ minLength: 20, maxLength: 200 }), auth: Type.String({ minLength: 8, maxLength: 100 }) }),
  expirationTime: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});
export type PushSubscriptionInput = Static<typeof PushSubscriptionInput>;

export const InboxItem = Type.Object({
  id: Type.String(), category: Type.String(), template: Type.String(), title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(), read: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }),
});
export type InboxItem = Static<typeof InboxItem>;
export const InboxPage = Type.Object({ items: Type.Array(InboxItem), unread: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) });
export type InboxPage = Static<typeof InboxPage>;
