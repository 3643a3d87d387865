import {
  AddonOrder, AddonOrderRequest, Balance, Eligibility, EligibilityQuery, Line, LineQuery, Page, PlanChange, PlanChangeRequest,
  Recommendation, UsageBatchResult, UsageRecord, UsageRecordQuery, UsageSummary,
} from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf, subscriberOf } from '../../platform/auth.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { MAX_BATCH } from '../../flows/rate-usage.js';

/** The subscriber's lines, balance, allowances, 详单, plan changes and add-ons; and usage ingestion. */
export const chargingRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['self-service'];
  const auth = { auth: 'subscriber' as const };

  app.get('/api/me/lines', { schema: { tags, summary: 'My lines with plan, balance and status', response: replies({ 200: Type.Object({ items: Type.Array(Line) }) }) }, config: auth },
    async (req) => ({ items: await s.lines.list(subscriberOf(req).id) }));
  app.get('/api/me/balance', { schema: { tags, summary: 'Balance (话费) of a line (the first when none is named)', querystring: LineQuery, response: replies({ 200: Balance }) }, config: auth },
    async (req) => s.lines.balance(subscriberOf(req).id, req.query.lineId));
  app.get('/api/me/usage', { schema: { tags, summary: 'Allowances of the current cycle: used and remaining', querystring: LineQuery, response: replies({ 200: UsageSummary }) }, config: auth },
    async (req) => s.lines.usage(subscriberOf(req).id, req.query.lineId));
  app.get('/api/me/usage/records', { schema: { tags, summary: 'Itemised usage (详单)', querystring: UsageRecordQuery, response: replies({ 200: Page(UsageRecord) }) }, config: auth },
    async (req) => s.lines.records(subscriberOf(req).id, req.query));

  app.get('/api/me/plan-changes/eligibility', { schema: { tags, summary: 'Can this line move to that plan, and what it costs', querystring: EligibilityQuery, response: replies({ 200: Eligibility }) }, config: auth },
    async (req) => s.charging.eligibility(subscriberOf(req).id, req.query.lineId, req.query.planId, req.query.when));
  app.post('/api/me/plan-changes', { schema: { tags, summary: 'Change plan now or from the next cycle (422 with reasons when not allowed)', body: PlanChangeRequest, response: replies({ 201: PlanChange }) }, config: auth },
    async (req, reply) => sendOutcome(reply, await s.charging.changePlan(actorOf(req), { customerId: subscriberOf(req).id, ...req.body }, idempotencyKeyOf(req))));
  app.get('/api/me/plan-changes', { schema: { tags, summary: 'My plan changes', response: replies({ 200: Type.Object({ items: Type.Array(PlanChange) }) }) }, config: auth },
    async (req) => ({ items: await s.charging.planChanges(subscriberOf(req).id) }));
  app.get('/api/me/plan-recommendation', { schema: { tags, summary: 'The cheapest plan for my last three cycles of usage', querystring: LineQuery, response: replies({ 200: Recommendation }) }, config: auth },
    async (req) => s.charging.recommendation(subscriberOf(req).id, req.query.lineId));
  app.post('/api/me/orders', { schema: { tags, summary: 'Buy an add-on pack from the balance (Idempotency-Key supported)', body: AddonOrderRequest, response: replies({ 201: AddonOrder }) }, config: auth },
    async (req, reply) => sendOutcome(reply, await s.charging.buyAddon(actorOf(req), { customerId: subscriberOf(req).id, ...req.body }, idempotencyKeyOf(req))));

  app.post('/api/usage-events', {
    bodyLimit: 16 * 1024 * 1024,
    schema: {
      tags: ['charging'],
      summary: `Rate a batch of up to ${MAX_BATCH} usage records; each id is charged once`,
      body: Type.Union([Type.Array(Type.Unknown(), { maxItems: MAX_BATCH }), Type.Object({ events: Type.Array(Type.Unknown(), { maxItems: MAX_BATCH }) })]),
      response: replies({ 200: UsageBatchResult }),
    },
    config: { auth: 'service' },
  }, async (req) => s.charging.ingest(Array.isArray(req.body) ? req.body : req.body.events));
};
