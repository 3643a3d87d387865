import { BalanceAdjustment, Balance, LedgerEntryView, Line, Page, UsageRecord, UsageRecordQuery, UsageSummary } from '@telehall/contracts';
import { Type } from 'typebox';
import { can } from '../../platform/access.js';
import { actorOf, staffOf } from '../../platform/auth.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { maskPhone } from '../../platform/access.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Console: a line's plan, balance, allowances, usage and ledger; balance adjustments. All reads are audited. */
export const linesAdminRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['lines'];
  const read = { auth: { staff: 'customers.read' as const } };
  const view = <T>(req: Parameters<typeof actorOf>[0], lineId: string, what: string, fn: () => Promise<T>) =>
    s.audit.read(actorOf(req), { action: `line.view.${what}`, resourceType: 'line', resourceId: lineId }, fn);
  const masked = (req: Parameters<typeof actorOf>[0], l: Line): Line => (can(staffOf(req).role, 'personal_data.view') ? l : { ...l, msisdn: maskPhone(l.msisdn) });

  app.get('/api/admin/lines', {
    schema: { tags, summary: 'Find lines by number or customer', querystring: Type.Object({ msisdn: Type.Optional(Type.String({ pattern: '^1[3-9][0-9]{9}$' })), customerId: Type.Optional(Type.String({ format: 'uuid' })) }), response: replies({ 200: Type.Object({ items: Type.Array(Line) }) }) },
    config: read,
  }, async (req) => {
    const items = await s.audit.read(actorOf(req), (found) => ({ action: 'line.search', resourceType: 'line', details: { msisdn: req.query.msisdn ? maskPhone(req.query.msisdn) : undefined, customerId: req.query.customerId, results: found.length } }),
      () => s.lines.search(req.query));
    return { items: items.map((l) => masked(req, l)) };
  });
  app.get('/api/admin/lines/:id', { schema: { tags, summary: 'A line', params: IdParam, response: replies({ 200: Line }) }, config: read }, async (req) => {
    return masked(req, await view(req, req.params.id, 'line', () => s.lines.get(null, req.params.id)));
  });
  app.get('/api/admin/lines/:id/usage', { schema: { tags, summary: 'A line’s allowances', params: IdParam, response: replies({ 200: UsageSummary }) }, config: read }, async (req) => {
    return view(req, req.params.id, 'usage', () => s.lines.usage(null, req.params.id));
  });
  app.get('/api/admin/lines/:id/usage/records', { schema: { tags, summary: 'A line’s itemised usage', params: IdParam, querystring: UsageRecordQuery, response: replies({ 200: Page(UsageRecord) }) }, config: read }, async (req) => {
    return view(req, req.params.id, 'records', () => s.lines.records(null, { ...req.query, lineId: req.params.id }));
  });
  app.get('/api/admin/lines/:id/ledger', {
    schema: { tags, summary: 'A line’s ledger entries, newest first', params: IdParam, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 100 })) }), response: replies({ 200: Page(LedgerEntryView) }) },
    config: read,
  }, async (req) => {
    return view(req, req.params.id, 'ledger', () => s.ledger.lineEntries(req.params.id, req.query));
  });
  app.post('/api/admin/lines/:id/adjustments', {
    schema: { tags, summary: 'Adjust a line’s balance with a reason (ledger entry, audited; Idempotency-Key supported)', params: IdParam, body: BalanceAdjustment, response: replies({ 201: Balance }) },
    config: { auth: { staff: 'balance.adjust' } },
  }, async (req, reply) => sendOutcome(reply, await s.charging.adjust(actorOf(req), { lineId: req.params.id, ...req.body }, idempotencyKeyOf(req))));
  app.post('/api/admin/lines/:id/close', {
    schema: {
      tags, summary: 'Close a line (the subscriber leaves; audited). Allowances end, a scheduled plan change is cancelled; the balance stays on the account',
      params: IdParam, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: replies({ 200: Type.Object({ lineId: Type.String({ format: 'uuid' }), closedAt: Type.String({ format: 'date-time' }) }) }),
    },
    config: { auth: { staff: 'customers.write' } },
  }, async (req) => s.charging.closeLine(actorOf(req), { customerId: null, lineId: req.params.id, reason: req.body.reason }));
};
