import { Type } from 'typebox';
import { subscriberOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const InboxItem = Type.Object({
  id: Type.String(), category: Type.String(), template: Type.String(), title: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(), read: Type.Boolean(), createdAt: Type.String({ format: 'date-time' }),
});

/** The subscriber's in-app inbox. */
export const notificationRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['notifications'];
  app.get('/api/me/notifications', {
    schema: {
      tags, summary: 'My in-app notifications, newest first, with the unread count',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
      response: replies({ 200: Type.Object({ items: Type.Array(InboxItem), unread: Type.Integer(), nextCursor: Type.Union([Type.String(), Type.Null()]) }) }),
    },
    config: { auth: 'subscriber' },
  }, async (req) => s.inbox.list(subscriberOf(req).id, req.query));
  app.post('/api/me/notifications/read', {
    schema: {
      tags, summary: 'Mark notifications read (all when no ids are given)',
      body: Type.Object({ ids: Type.Optional(Type.Array(Type.String({ format: 'uuid' }), { maxItems: 200 })) }, { additionalProperties: false }),
      response: replies({ 200: Type.Object({ updated: Type.Integer() }) }),
    },
    config: { auth: 'subscriber' },
  }, async (req) => ({ updated: await s.inbox.markRead(subscriberOf(req).id, req.body.ids ?? 'all') }));
};
