import { ListQuery, OrderDetail, Order, OrderQuery, Page, PlaceOrderRequest, Uuid } from '@telehall/contracts';
import { Type } from 'typebox';
import { can, maskPhone } from '../../platform/access.js';
import { actorOf, staffOf, subscriberOf } from '../../platform/auth.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const IdParam = Type.Object({ id: Uuid });

/**
 * Orders: console search and detail (audited reads of personal data), a
 * customer's orders, staff placing an order (`orders.place`), and the
 * subscriber's "my orders". Numbers are masked for roles without `personal_data.view`.
 */
export const orderRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['orders'];
  const read = { auth: { staff: 'customers.read' as const } };
  const maskFor = (req: Parameters<typeof staffOf>[0]) => (can(staffOf(req).role, 'personal_data.view') ? (x: string) => x : maskPhone);
  const same = (x: string) => x;

  app.get('/api/admin/orders', {
    schema: { tags, summary: 'Search orders, newest first (cursor paging; audited)', querystring: OrderQuery, response: replies({ 200: Page(Order) }) }, config: read,
  }, async (req) => {
    return s.audit.read(actorOf(req), (page) => ({ action: 'order.search', resourceType: 'order', details: { filter: { kind: req.query.kind, status: req.query.status, channel: req.query.channel, q: req.query.q ? maskPhone(req.query.q) : undefined }, results: page.items.length } }),
      () => s.orders.search(req.query, maskFor(req)));
  });
  app.get('/api/admin/orders/:id', { schema: { tags, summary: 'An order with its status history (audited)', params: IdParam, response: replies({ 200: OrderDetail }) }, config: read }, async (req) => {
    return s.audit.read(actorOf(req), (o) => ({ action: 'order.view', resourceType: 'customer', resourceId: o.customerId, details: { orderId: o.id } }),
      () => s.orders.detail(req.params.id, maskFor(req)));
  });
  app.get('/api/admin/customers/:id/orders', {
    schema: { tags, summary: 'A customer’s orders, newest first (cursor paging; audited)', params: IdParam, querystring: OrderQuery, response: replies({ 200: Page(Order) }) }, config: read,
  }, async (req) => {
    return s.audit.read(actorOf(req), (page) => ({ action: 'customer.view.orders', resourceType: 'customer', resourceId: req.params.id, details: { results: page.items.length } }),
      () => s.orders.search({ ...req.query, customerId: req.params.id }, maskFor(req)));
  });
  app.post('/api/admin/customers/:id/orders', {
    schema: {
      tags, summary: 'Place an order for a customer (business-hall sale): an add-on or a plan change on one of their lines, with the self-service rules (Idempotency-Key supported; audited)',
      params: IdParam, body: PlaceOrderRequest, response: replies({ 201: OrderDetail }),
    },
    config: { auth: { staff: 'orders.place' } },
  }, async (req, reply) => sendOutcome(reply, await s.placeOrder(actorOf(req), req.params.id, req.body, idempotencyKeyOf(req), maskFor(req))));

  app.get('/api/me/orders', {
    schema: { tags, summary: 'My orders: plan changes, add-ons and rewards, newest first (cursor paging)', querystring: ListQuery, response: replies({ 200: Page(Order) }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.orders.search({ ...req.query, customerId: subscriberOf(req).id }, same));
  app.get('/api/me/orders/:id', {
    schema: { tags, summary: 'One of my orders with its status history', params: IdParam, response: replies({ 200: OrderDetail }) }, config: { auth: 'subscriber' },
  }, async (req) => s.orders.detail(req.params.id, same, subscriberOf(req).id));
};
