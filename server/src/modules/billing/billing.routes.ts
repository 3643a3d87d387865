import { Bill, BillRunRequest, BillRunResult, Reconciliation, ReconciliationQuery, Uuid } from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf, subscriberOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { billPdf } from './billing.pdf.js';

const IdParams = Type.Object({ id: Uuid });

/** Bills for subscribers (list, detail, PDF), the staff bill run, and reconciliation. */
export const billingRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['billing'];
  const sub = { auth: 'subscriber' as const };

  app.get('/api/me/bills', { schema: { tags, summary: 'My monthly bills, newest first', response: replies({ 200: Type.Object({ items: Type.Array(Bill), nextCursor: Type.Null() }) }) }, config: sub },
    async (req) => s.billing.list(subscriberOf(req).id));
  app.get('/api/me/bills/:id', { schema: { tags, summary: 'One bill', params: IdParams, response: replies({ 200: Bill }) }, config: sub },
    async (req) => s.billing.get(subscriberOf(req).id, req.params.id));
  app.get('/api/me/bills/:id/pdf', {
    schema: { tags, summary: 'One bill as a PDF', params: IdParams, produces: ['application/pdf'], response: replies({ 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) }) },
    config: sub,
  }, async (req, reply) => {
    const bill = await s.billing.get(subscriberOf(req).id, req.params.id);
    const pdf = await billPdf(bill);
    return reply.type('application/pdf').header('content-disposition', `attachment; filename="bill-${bill.cycle}-${bill.msisdn}.pdf"`).header('cache-control', 'private, no-store').send(pdf);
  });

  app.post('/api/admin/bills/run', { schema: { tags, summary: 'Bill every line for a closed cycle (re-running creates only missing bills)', body: BillRunRequest, response: replies({ 200: BillRunResult }) }, config: { auth: { staff: 'payments.refund' } } },
    async (req) => {
      const r = await s.billing.run(req.body.cycle);
      await s.audit.record(s.db, actorOf(req), { action: 'bills.run', resourceType: 'bill_cycle', resourceId: req.body.cycle, details: { ...r } });
      return r;
    });
  app.get('/api/admin/reconciliation', { schema: { tags, summary: 'Per day: gateway captures vs ledger credits vs bills, and every difference', querystring: ReconciliationQuery, response: replies({ 200: Reconciliation }) }, config: { auth: { staff: 'payments.refund' } } },
    async (req) => s.reconciliation.run(req.query.from, req.query.to));
};
