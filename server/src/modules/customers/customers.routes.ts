import { Customer360, CustomerCategory, CustomerCategoryInput, CustomerInput, CustomerPatch, CustomerQuery, CustomerView, Dashboard, ExportQuery, Interaction, InteractionInput, Page, Unmasked } from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';

const IdParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

/**
 * Console: customer search, profile CRUD, 360 view, explicit unmasking,
 * interactions, categories, export and the dashboard. Every read of personal
 * data is audited (in the services); phone and ID numbers are masked except
 * through `unmask` (permission `personal_data.view`) and export (`customers.export`).
 */
export const customerRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['customers'];
  const read = { auth: { staff: 'customers.read' as const } };
  const write = { auth: { staff: 'customers.write' as const } };

  app.get('/api/admin/customers', {
    schema: { tags, summary: 'Search customers by name prefix, phone, ID number, tag, category, channel (masked)', querystring: CustomerQuery, response: replies({ 200: Page(CustomerView) }) },
    config: read,
  }, async (req) => s.customerAdmin.search(actorOf(req), req.query));

  app.post('/api/admin/customers', {
    schema: { tags, summary: 'Create a customer', body: CustomerInput, response: replies({ 201: CustomerView }) },
    config: write,
  }, async (req, reply) => reply.status(201).send(await s.customerAdmin.create(actorOf(req), req.body)));

  app.get('/api/admin/customers/export', {
    schema: { tags, summary: 'Export customers with full personal data as CSV or XLSX (audited)', querystring: ExportQuery, produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'], response: replies({ 200: Type.String({ description: 'CSV text or XLSX bytes' }) }) },
    config: { auth: { staff: 'customers.export' } },
  }, async (req, reply) => {
    const format = req.query.format ?? 'csv';
    const stream = await s.customerExport(actorOf(req), req.query, format);
    const stamp = s.clock.now().toISOString().slice(0, 10);
    reply.header('content-disposition', `attachment; filename="customers-${stamp}.${format}"`);
    reply.type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    return reply.send(stream as never);
  });

  app.get('/api/admin/customers/:id', {
    schema: { tags, summary: 'A customer (masked)', params: IdParam, response: replies({ 200: CustomerView }) },
    config: read,
  }, async (req) => s.customerAdmin.view(actorOf(req), req.params.id));

  app.patch('/api/admin/customers/:id', {
    schema: { tags, summary: 'Edit a customer', params: IdParam, body: CustomerPatch, response: replies({ 200: CustomerView }) },
    config: write,
  }, async (req) => s.customerAdmin.update(actorOf(req), req.params.id, req.body));

  app.post('/api/admin/customers/:id/unmask', {
    schema: { tags, summary: 'Reveal the full phone, ID and line numbers (audited)', params: IdParam, response: replies({ 200: Unmasked }) },
    config: { auth: { staff: 'personal_data.view' } },
  }, async (req) => s.customerAdmin.unmask(actorOf(req), req.params.id));

  app.get('/api/admin/customers/:id/360', {
    schema: { tags, summary: 'Customer 360: profile, lines, usage, plan changes, orders, interactions, timeline', params: IdParam, response: replies({ 200: Customer360 }) },
    config: read,
  }, async (req) => s.customer360(actorOf(req), req.params.id));

  app.get('/api/admin/customers/:id/interactions', {
    schema: { tags, summary: 'Interactions logged by staff, newest first', params: IdParam, response: replies({ 200: Type.Object({ items: Type.Array(Interaction) }) }) },
    config: read,
  }, async (req) => {
    await s.customerAdmin.row(req.params.id);
    return { items: await s.customerAdmin.interactions(req.params.id) };
  });

  app.post('/api/admin/customers/:id/interactions', {
    schema: { tags, summary: 'Log a call-centre or business-hall interaction', params: IdParam, body: InteractionInput, response: replies({ 201: Interaction }) },
    config: write,
  }, async (req, reply) => reply.status(201).send(await s.customerAdmin.addInteraction(actorOf(req), req.params.id, req.body)));

  app.get('/api/admin/customer-categories', {
    schema: { tags, summary: 'Customer categories (built-in and staff-defined)', response: replies({ 200: Type.Object({ items: Type.Array(CustomerCategory) }) }) },
    config: read,
  }, async () => ({ items: await s.customerAdmin.categories() }));

  app.post('/api/admin/customer-categories', {
    schema: { tags, summary: 'Add a customer category', body: CustomerCategoryInput, response: replies({ 201: CustomerCategory }) },
    config: write,
  }, async (req, reply) => reply.status(201).send(await s.customerAdmin.addCategory(actorOf(req), req.body)));

  app.get('/api/admin/dashboard', {
    schema: { tags: ['dashboard'], summary: 'Customer and revenue figures for the console dashboard', response: replies({ 200: Dashboard }) },
    config: read,
  }, async () => s.crmDashboard());
};
