import { Type, type Static } from 'typebox';

export const Channel = Type.Union([Type.Literal('sms'), Type.Literal('email'), Type.Literal('push'), Type.Literal('inapp')]);
export type Channel = Static<typeof Channel>;

export const Message = Type.Object({
  id: Type.String(),
  channel: Channel,
  recipient: Type.String({ description: 'masked unless the role may see personal data' }),
  customerId: Type.Union([Type.String(), Type.Null()]),
  category: Type.String(),
  template: Type.String(),
  locale: Type.String(),
  subject: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  status: Type.String(),
  provider: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  sentAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});
export type Message = Static<typeof Message>;

export const MessageQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 80 })),
  channel: Type.Optional(Channel),
  recipient: Type.Optional(Type.String({ maxLength: 64 })),
});
