import {
  AdminPaymentQuery, AutoTopup, CallbackResult, LineQuery, Payment, PaymentCreated, PaymentQuery, PaymentRequest, Refund, RefundRequest, Uuid,
} from '@telehall/contracts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { actorOf, subscriberOf } from '../../platform/auth.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { SIGNATURE_HEADER } from './gateway.js';

const PaymentList = Type.Object({ items: Type.Array(Payment), nextCursor: Type.Union([Type.String(), Type.Null()]) });
const IdParams = Type.Object({ id: Uuid });

/** Subscriber top-ups and history, auto top-up settings, gateway callbacks, staff search and refunds. */
export const paymentRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['payments'];
  const sub = { auth: 'subscriber' as const };

  app.post('/api/me/payments', { schema: { tags, summary: 'Start a top-up: a pending payment and what the gateway needs (Idempotency-Key supported)', body: PaymentRequest, response: replies({ 201: PaymentCreated }) }, config: sub },
    async (req, reply) => sendOutcome(reply, await s.paymentFlows.create(actorOf(req), subscriberOf(req).id, req.body, idempotencyKeyOf(req))));
  app.get('/api/me/payments', { schema: { tags, summary: 'My payments, newest first', querystring: PaymentQuery, response: replies({ 200: PaymentList }) }, config: sub },
    async (req) => s.payments.list(subscriberOf(req).id, req.query));
  app.get('/api/me/payments/:id', { schema: { tags, summary: 'One of my payments (the receipt)', params: IdParams, response: replies({ 200: Payment }) }, config: sub },
    async (req) => s.payments.get(subscriberOf(req).id, req.params.id));
  app.get('/api/me/auto-topup', { schema: { tags, summary: 'Auto top-up settings of a line', querystring: LineQuery, response: replies({ 200: AutoTopup }) }, config: sub },
    async (req) => s.payments.autoTopup(subscriberOf(req).id, req.query.lineId));
  app.put('/api/me/auto-topup', { schema: { tags, summary: 'Set auto top-up: when the balance is below X, top up Y, at most N times / ¥M a day', body: AutoTopup, response: replies({ 200: AutoTopup }) }, config: sub },
    async (req) => s.payments.setAutoTopup(subscriberOf(req).id, req.body));

  app.get('/api/admin/payments', { schema: { tags, summary: 'Search payments', querystring: AdminPaymentQuery, response: replies({ 200: PaymentList }) }, config: { auth: { staff: 'customers.read' } } },
    async (req) => s.payments.search(req.query));
  app.post('/api/admin/payments/:id/refunds', { schema: { tags, summary: 'Refund all or part of a captured payment (audited; Idempotency-Key supported)', params: IdParams, body: RefundRequest, response: replies({ 201: Refund }) }, config: { auth: { staff: 'payments.refund' } } },
    async (req, reply) => sendOutcome(reply, await s.paymentFlows.refund(actorOf(req), req.params.id, req.body, idempotencyKeyOf(req))));

  // The gateway's callback: the HMAC over the exact bytes received is the authentication.
  await app.register(async (plain) => {
    const raw = plain.withTypeProvider<TypeBoxTypeProvider>();
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_req, body, done) => done(null, body));
    raw.post('/api/payments/callback/:provider', {
      schema: {
        tags, summary: `A payment gateway's signed notification (HMAC-SHA256 of the raw body in ${SIGNATURE_HEADER})`, security: [],
        params: Type.Object({ provider: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }) }),
        body: Type.String({ maxLength: 16 * 1024 }),
        response: replies({ 200: CallbackResult }),
      },
      config: { auth: 'public' },
    }, async (req, reply) => {
      const sig = req.headers[SIGNATURE_HEADER];
      const r = await s.paymentFlows.callback(req.params.provider, req.body, Array.isArray(sig) ? sig[0] : sig, req.ip);
      if (r.replayed) void reply.header('idempotency-replayed', 'true');
      return r.result;
    });
  });
};
