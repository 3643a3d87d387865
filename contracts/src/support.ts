import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const TICKET_CATEGORIES = ['billing', 'network', 'plan', 'complaint', 'other'] as const;
export const TICKET_PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export const TICKET_STATUSES = ['open', 'pending', 'resolved', 'closed'] as const;
export const TicketCategory = Type.Union([Type.Literal('billing'), Type.Literal('network'), Type.Literal('plan'), Type.Literal('complaint'), Type.Literal('other')]);
export const TicketPriority = Type.Union([Type.Literal('low'), Type.Literal('normal'), Type.Literal('high'), Type.Literal('urgent')]);
export const TicketStatus = Type.Union([Type.Literal('open'), Type.Literal('pending'), Type.Literal('resolved'), Type.Literal('closed')]);
export const TicketRefKind = Type.Union([Type.Literal('bill'), Type.Literal('payment'), Type.Literal('line')]);
export type TicketCategory = Static<typeof TicketCategory>;
export type TicketPriority = Static<typeof TicketPriority>;
export type TicketStatus = Static<typeof TicketStatus>;

export const TicketRef = Type.Object({ kind: TicketRefKind, id: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });

export const TicketCreate = Type.Object({
  subject: Type.String({ minLength: 1, maxLength: 200 }),
  category: TicketCategory,
  body: Type.String({ minLength: 1, maxLength: 4000 }),
  ref: Type.Optional(TicketRef),
}, { additionalProperties: false });
export type TicketCreate = Static<typeof TicketCreate>;

export const Ticket = Type.Object({
  id: Type.String(),
  customerId: Type.String(),
  subject: Type.String(),
  category: TicketCategory,
  priority: TicketPriority,
  status: TicketStatus,
  ref: Nullable(TicketRef),
  assigneeId: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  slaDueAt: Type.String({ format: 'date-time' }),
  breached: Type.Boolean(),
  firstResponseAt: Nullable(Type.String({ format: 'date-time' })),
  resolvedAt: Nullable(Type.String({ format: 'date-time' })),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  reopenableUntil: Nullable(Type.String({ format: 'date-time' })),
  rating: Nullable(Type.Integer()),
  ratingComment: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Ticket = Static<typeof Ticket>;

export const TicketMessage = Type.Object({
  id: Type.String(),
  ticketId: Type.String(),
  authorKind: Type.Union([Type.Literal('subscriber'), Type.Literal('staff'), Type.Literal('system')]),
  authorName: Type.String(),
  body: Type.String(),
  internal: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Nullable(Type.String({ format: 'date-time' })),
});
export type TicketMessage = Static<typeof TicketMessage>;

export const TicketDetail = Type.Object({ ticket: Ticket, messages: Type.Array(TicketMessage) });
export type TicketDetail = Static<typeof TicketDetail>;

export const TicketPage = Type.Object({ items: Type.Array(Ticket), nextCursor: Nullable(Type.String()) });
export type TicketPage = Static<typeof TicketPage>;

export const TicketMessageInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false });
export const StaffMessageInput = Type.Object({ body: Type.String({ minLength: 1, maxLength: 4000 }), internal: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export const TicketRating = Type.Object({ rating: Type.Integer({ minimum: 1, maximum: 5 }), comment: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

export const QueueFilter = Type.Union([Type.Literal('all'), Type.Literal('unassigned'), Type.Literal('mine'), Type.Literal('breaching')]);
export type QueueFilter = Static<typeof QueueFilter>;
export const QueueQuery = Type.Object({
  filter: Type.Optional(QueueFilter),
  status: Type.Optional(TicketStatus),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
});
export type QueueQuery = Static<typeof QueueQuery>;

export const TicketUpdate = Type.Object({
  status: Type.Optional(TicketStatus),
  priority: Type.Optional(TicketPriority),
  category: Type.Optional(TicketCategory),
}, { additionalProperties: false });
export type TicketUpdate = Static<typeof TicketUpdate>;

export const TicketAssign = Type.Object({ assigneeId: Nullable(Type.String({ format: 'uuid' })) }, { additionalProperties: false });

/** Live ticket events (SSE `event:` names and `data:` JSON). */
export type TicketEvent =
  | { type: 'message'; message: TicketMessage }
  | { type: 'read'; by: 'subscriber' | 'staff'; at: string }
  | { type: 'ticket'; ticket: Ticket };

export const CannedReply = Type.Object({ id: Type.String(), title: Type.String(), body: Type.String(), locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]), updatedAt: Type.String({ format: 'date-time' }) });
export type CannedReply = Static<typeof CannedReply>;
export const CannedReplyInput = Type.Object({ title: Type.String({ minLength: 1, maxLength: 100 }), body: Type.String({ minLength: 1, maxLength: 4000 }), locale: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]) }, { additionalProperties: false });
export type CannedReplyInput = Static<typeof CannedReplyInput>;

export const SupportSettings = Type.Object({ assignment: Type.Union([Type.Literal('round_robin'), Type.Literal('least_busy'), Type.Literal('manual')]) }, { additionalProperties: false });
export type SupportSettings = Static<typeof SupportSettings>;

export const Agent = Type.Object({ id: Type.String(), displayName: Type.String(), openTickets: Type.Integer() });
export type Agent = Static<typeof Agent>;

export const FaqArticle = Type.Object({
  id: Type.String(), category: Type.String(),
  titleZh: Type.String(), bodyZh: Type.String(), titleEn: Type.String(), bodyEn: Type.String(),
  published: Type.Boolean(), updatedAt: Type.String({ format: 'date-time' }),
});
export type FaqArticle = Static<typeof FaqArticle>;
export const FaqArticleInput = Type.Object({
  category: Type.String({ minLength: 1, maxLength: 40 }),
  titleZh: Type.String({ minLength: 1, maxLength: 200 }), bodyZh: Type.String({ minLength: 1, maxLength: 8000 }),
  titleEn: Type.String({ minLength: 1, maxLength: 200 }), bodyEn: Type.String({ minLength: 1, maxLength: 8000 }),
  published: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });
export type FaqArticleInput = Static<typeof FaqArticleInput>;
export const FaqQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) });
