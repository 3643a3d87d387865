import { InboxPage, NotificationPreferences, NotificationPreferencesPatch, PushSubscriptionInput } from '@telehall/contracts';
import { Type } from 'typebox';
import { subscriberOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

/** The subscriber's in-app inbox, notification preferences and Web Push subscriptions. */
export const notificationRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['notifications'];
  app.get('/api/me/notifications', {
    schema: {
      tags, summary: 'My in-app notifications, newest first, with the unread count',
      querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }),
      response: replies({ 200: InboxPage }),
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

  app.get('/api/me/notification-preferences', {
    schema: { tags, summary: 'My notification preferences per category and channel, and quiet hours', response: replies({ 200: NotificationPreferences }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.preferences.get(subscriberOf(req).id));
  app.put('/api/me/notification-preferences', {
    schema: {
      tags, summary: 'Change marketing channels and quiet hours (transactional messages cannot be switched off: 422 transactional_required)',
      body: NotificationPreferencesPatch, response: replies({ 200: NotificationPreferences }),
    },
    config: { auth: 'subscriber' },
  }, async (req) => s.preferences.update(subscriberOf(req).id, req.body));

  app.get('/api/push/vapid-public-key', {
    schema: { tags, summary: 'The VAPID public key browsers subscribe with', response: replies({ 200: Type.Object({ publicKey: Type.String() }) }) },
    config: { auth: 'public' },
  }, async () => ({ publicKey: s.vapid().publicKey }));
  app.post('/api/me/push-subscriptions', {
    schema: { tags, summary: 'Register this browser for Web Push', body: PushSubscriptionInput, response: replies({ 201: Type.Object({ ok: Type.Boolean() }) }) },
    config: { auth: 'subscriber' },
  }, async (req, reply) => {
    await s.pushSubscriptions.save(subscriberOf(req).id, req.body, req.headers['user-agent'] ?? '');
    return reply.status(201).send({ ok: true });
  });
  app.delete('/api/me/push-subscriptions', {
    schema: { tags, summary: 'Stop Web Push to this browser', body: Type.Object({ endpoint: Type.String({ maxLength: 2000 }) }), response: replies({ 200: Type.Object({ removed: Type.Integer() }) }) },
    config: { auth: 'subscriber' },
  }, async (req) => ({ removed: await s.pushSubscriptions.remove(subscriberOf(req).id, req.body.endpoint) }));
};
