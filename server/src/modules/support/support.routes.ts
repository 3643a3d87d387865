import { FaqArticle, FaqQuery, Ticket, TicketCreate, TicketDetail, TicketMessage, TicketMessageInput, TicketPage, TicketRating } from '@telehall/contracts';
import { Type } from 'typebox';
import { subscriberOf } from '../../platform/auth.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { closeStreams, streamTicket } from './support.sse.js';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

/** Subscriber tickets with live chat, and the public FAQ. */
export const supportRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['support'];
  app.addHook('preClose', async () => closeStreams());

  app.get('/api/faq', {
    schema: { tags, summary: 'FAQ articles (zh-CN and en); `q` searches full text plus trigram/substring so Chinese phrases match', querystring: FaqQuery, response: replies({ 200: Type.Object({ items: Type.Array(FaqArticle) }) }) },
    config: { auth: 'public' },
  }, async (req) => ({ items: await s.supportContent.searchFaq(req.query.q, req.query.limit ?? 10) }));
  app.get('/api/faq/:id', {
    schema: { tags, summary: 'One FAQ article', params: IdParams, response: replies({ 200: FaqArticle }) },
    config: { auth: 'public' },
  }, async (req) => s.supportContent.getFaq(req.params.id));

  app.get('/api/me/tickets', {
    schema: { tags, summary: 'My tickets, newest first', querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }), response: replies({ 200: TicketPage }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.tickets.listMine(subscriberOf(req).id, req.query));
  app.post('/api/me/tickets', {
    schema: { tags, summary: 'Open a ticket, optionally about a bill, payment or line', body: TicketCreate, response: replies({ 201: TicketDetail }) },
    config: { auth: 'subscriber' },
  }, async (req, reply) => reply.status(201).send(await s.tickets.open(subscriberOf(req).id, req.body)));
  app.get('/api/me/tickets/:id', {
    schema: { tags, summary: 'My ticket with its conversation (never internal notes)', params: IdParams, response: replies({ 200: TicketDetail }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.tickets.getMine(subscriberOf(req).id, req.params.id));
  app.post('/api/me/tickets/:id/messages', {
    schema: { tags, summary: 'Write in my ticket (reopens a pending or recently resolved one)', params: IdParams, body: TicketMessageInput, response: replies({ 201: TicketMessage }) },
    config: { auth: 'subscriber' },
  }, async (req, reply) => reply.status(201).send(await s.tickets.postMine(subscriberOf(req).id, req.params.id, req.body.body)));
  app.post('/api/me/tickets/:id/read', {
    schema: { tags, summary: 'I have read the agent\'s messages', params: IdParams, response: replies({ 200: Type.Object({ updated: Type.Integer() }) }) },
    config: { auth: 'subscriber' },
  }, async (req) => ({ updated: await s.tickets.markRead('subscriber', req.params.id, subscriberOf(req).id) }));
  app.post('/api/me/tickets/:id/reopen', {
    schema: { tags, summary: 'Reopen a ticket resolved in the last 7 days', params: IdParams, response: replies({ 200: Ticket }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.tickets.reopen(subscriberOf(req).id, req.params.id));
  app.post('/api/me/tickets/:id/close', {
    schema: { tags, summary: 'Close my ticket', params: IdParams, response: replies({ 200: Ticket }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.tickets.closeMine(subscriberOf(req).id, req.params.id));
  app.post('/api/me/tickets/:id/rating', {
    schema: { tags, summary: 'Rate a closed ticket 1–5 (once)', params: IdParams, body: TicketRating, response: replies({ 200: Ticket }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.tickets.rate(subscriberOf(req).id, req.params.id, req.body.rating, req.body.comment));
  app.get('/api/me/tickets/:id/events', {
    schema: { tags, summary: 'Live events of my ticket (Server-Sent Events: message, read, ticket)', params: IdParams },
    config: { auth: 'subscriber' },
  }, async (req, reply) => {
    await s.tickets.assertMine(subscriberOf(req).id, req.params.id);
    streamTicket(req, reply, s.supportLive, req.params.id, false);
  });
};
