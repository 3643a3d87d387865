import { Agent, CannedReply, CannedReplyInput, FaqArticle, FaqArticleInput, FaqQuery, QueueQuery, StaffMessageInput, SupportSettings, Ticket, TicketAssign, TicketDetail, TicketMessage, TicketPage, TicketUpdate } from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf, staffOf } from '../../platform/auth.js';
import { NoContent, replies, type RoutePlugin } from '../../platform/routing.js';
import { streamTicket } from './support.sse.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const handle = { auth: { staff: 'tickets.handle' as const } };

/** The agent console: ticket queue, replies and notes, canned replies, FAQ, assignment settings. */
export const supportAdminRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['support (staff)'];
  const actor = (req: Parameters<typeof staffOf>[0]) => ({ ...actorOf(req), id: staffOf(req).id });

  app.get('/api/admin/tickets', {
    schema: { tags, summary: 'Ticket queue: all, unassigned, mine or breaching SLA', querystring: QueueQuery, response: replies({ 200: TicketPage }) },
    config: handle,
  }, async (req) => s.tickets.queue(staffOf(req).id, req.query));
  app.get('/api/admin/tickets/:id', {
    schema: { tags, summary: 'A ticket with the whole conversation, internal notes included', params: IdParams, response: replies({ 200: TicketDetail }) },
    config: handle,
  }, async (req) => s.tickets.get(req.params.id));
  app.post('/api/admin/tickets/:id/messages', {
    schema: { tags, summary: 'Reply to the subscriber, or add an internal note (`internal: true`) they never see', params: IdParams, body: StaffMessageInput, response: replies({ 201: TicketMessage }) },
    config: handle,
  }, async (req, reply) => reply.status(201).send(await s.tickets.reply(actor(req), req.params.id, req.body.body, req.body.internal ?? false)));
  app.post('/api/admin/tickets/:id/read', {
    schema: { tags, summary: 'Staff have read the subscriber\'s messages', params: IdParams, response: replies({ 200: Type.Object({ updated: Type.Integer() }) }) },
    config: handle,
  }, async (req) => ({ updated: await s.tickets.markRead('staff', req.params.id) }));
  app.patch('/api/admin/tickets/:id', {
    schema: { tags, summary: 'Change status (open → pending → resolved → closed), priority or category', params: IdParams, body: TicketUpdate, response: replies({ 200: Ticket }) },
    config: handle,
  }, async (req) => s.tickets.update(actor(req), req.params.id, req.body));
  app.put('/api/admin/tickets/:id/assignee', {
    schema: { tags, summary: 'Assign or transfer a ticket (null: back to the queue)', params: IdParams, body: TicketAssign, response: replies({ 200: Ticket }) },
    config: handle,
  }, async (req) => s.tickets.assign(actor(req), req.params.id, req.body.assigneeId));
  app.get('/api/admin/tickets/:id/events', {
    schema: { tags, summary: 'Live events of a ticket (SSE), internal notes included', params: IdParams },
    config: handle,
  }, async (req, reply) => {
    await s.tickets.assertExists(req.params.id);
    streamTicket(req, reply, s.supportLive, req.params.id, true);
  });
  app.get('/api/admin/support/agents', {
    schema: { tags, summary: 'Agents and their open ticket counts (for transfer)', response: replies({ 200: Type.Object({ items: Type.Array(Agent) }) }) },
    config: handle,
  }, async () => ({ items: await s.tickets.agents() }));

  app.get('/api/admin/support/settings', {
    schema: { tags, summary: 'How new tickets are assigned', response: replies({ 200: SupportSettings }) },
    config: handle,
  }, async () => s.supportContent.settings());
  app.put('/api/admin/support/settings', {
    schema: { tags, summary: 'Set assignment: round_robin, least_busy or manual', body: SupportSettings, response: replies({ 200: SupportSettings }) },
    config: { auth: { staff: 'staff.manage' } },
  }, async (req) => s.supportContent.saveSettings(req.body));

  app.get('/api/admin/canned-replies', {
    schema: { tags, summary: 'Canned replies', response: replies({ 200: Type.Object({ items: Type.Array(CannedReply) }) }) },
    config: handle,
  }, async () => ({ items: await s.supportContent.cannedReplies() }));
  app.post('/api/admin/canned-replies', {
    schema: { tags, summary: 'Add a canned reply', body: CannedReplyInput, response: replies({ 201: CannedReply }) },
    config: handle,
  }, async (req, reply) => reply.status(201).send(await s.supportContent.saveCanned(null, req.body)));
  app.put('/api/admin/canned-replies/:id', {
    schema: { tags, summary: 'Edit a canned reply', params: IdParams, body: CannedReplyInput, response: replies({ 200: CannedReply }) },
    config: handle,
  }, async (req) => s.supportContent.saveCanned(req.params.id, req.body));
  app.delete('/api/admin/canned-replies/:id', {
    schema: { tags, summary: 'Delete a canned reply', params: IdParams, response: replies({ 204: NoContent }) },
    config: handle,
  }, async (req, reply) => {
    await s.supportContent.deleteCanned(req.params.id);
    return reply.status(204).send(null);
  });

  app.get('/api/admin/faq', {
    schema: { tags, summary: 'FAQ articles including unpublished', querystring: FaqQuery, response: replies({ 200: Type.Object({ items: Type.Array(FaqArticle) }) }) },
    config: handle,
  }, async (req) => ({ items: await s.supportContent.searchFaq(req.query.q, req.query.limit ?? 50, true) }));
  app.post('/api/admin/faq', {
    schema: { tags, summary: 'Add an FAQ article', body: FaqArticleInput, response: replies({ 201: FaqArticle }) },
    config: handle,
  }, async (req, reply) => reply.status(201).send(await s.supportContent.saveFaq(null, req.body)));
  app.put('/api/admin/faq/:id', {
    schema: { tags, summary: 'Edit an FAQ article', params: IdParams, body: FaqArticleInput, response: replies({ 200: FaqArticle }) },
    config: handle,
  }, async (req) => s.supportContent.saveFaq(req.params.id, req.body));
  app.delete('/api/admin/faq/:id', {
    schema: { tags, summary: 'Delete an FAQ article', params: IdParams, response: replies({ 204: NoContent }) },
    config: handle,
  }, async (req, reply) => {
    await s.supportContent.deleteFaq(req.params.id);
    return reply.status(204).send(null);
  });
};
