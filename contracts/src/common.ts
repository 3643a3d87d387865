import { Type, type Static } from 'typebox';

/** Mainland mobile number, 11 digits, as stored and sent. */
export const Phone = Type.String({ pattern: '^1[3-9][0-9]{9}$', description: '11-digit mainland mobile number' });
export const Uuid = Type.String({ format: 'uuid' });
export const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
export type Locale = Static<typeof Locale>;

export const ErrorBody = Type.Object({
  code: Type.String(),
  message: Type.String(),
  details: Type.Optional(Type.Unknown()),
  requestId: Type.Optional(Type.String()),
});
export type ErrorBody = Static<typeof ErrorBody>;

export const Money = Type.Object({
  amount: Type.Integer({ description: 'minor units (fen)' }),
  currency: Type.Literal('CNY'),
});
export type Money = Static<typeof Money>;

export const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});

/** `{ items, nextCursor }` for any item schema. */
export const Page = <T extends Parameters<typeof Type.Array>[0]>(item: T) =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** Password policy shared by the forms and the server. */
export const Password = Type.String({ minLength: 8, maxLength: 128 });
