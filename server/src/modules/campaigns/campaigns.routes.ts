import {
  Audience, AudiencePreview, Campaign, CampaignInput, CampaignStatus, CampaignReport, CampaignSettings, CampaignSummary, CampaignChannel, ListQuery, MyOffer, OfferTakeResult,
  Page, TestSendRequest, TestSendResult, Uuid,
} from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf, staffOf, subscriberOf } from '../../platform/auth.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { NoContent, replies, type RoutePlugin } from '../../platform/routing.js';

const IdParam = Type.Object({ id: Uuid });

/** Console campaigns (build, approve, launch, report) and the subscriber's offers. */
export const campaignRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['campaigns'];
  const read = { auth: { staff: 'campaigns.read' as const } };
  const manage = { auth: { staff: 'campaigns.manage' as const } };
  const approve = { auth: { staff: 'campaigns.approve' as const } };
  const staff = (req: Parameters<typeof staffOf>[0]) => ({ id: staffOf(req).id, username: staffOf(req).username });
  const c = s.campaigns;

  app.get('/api/admin/campaigns', {
    schema: { tags, summary: 'Campaigns, newest first', querystring: Type.Object({ ...ListQuery.properties, status: Type.Optional(CampaignStatus) }), response: replies({ 200: Page(CampaignSummary) }) }, config: read,
  }, async (req) => c.list(req.query));
  app.post('/api/admin/campaigns/audience-preview', {
    schema: { tags, summary: 'How many subscribers an audience matches now, and how many may receive marketing', body: Type.Object({ audience: Audience, channels: Type.Optional(Type.Array(CampaignChannel, { minItems: 1, uniqueItems: true })) }, { additionalProperties: false }), response: replies({ 200: AudiencePreview }) }, config: read,
  }, async (req) => c.preview(req.body.audience, req.body.channels ?? ['inapp', 'sms', 'email', 'push']));
  app.get('/api/admin/campaigns/settings', { schema: { tags, summary: 'Guard rails across campaigns (frequency cap)', response: replies({ 200: CampaignSettings }) }, config: read }, async () => c.settings());
  app.put('/api/admin/campaigns/settings', { schema: { tags, summary: 'Change the frequency cap', body: CampaignSettings, response: replies({ 200: CampaignSettings }) }, config: approve }, async (req) => c.updateSettings(actorOf(req), req.body));

  app.post('/api/admin/campaigns', { schema: { tags, summary: 'Create a draft campaign', body: CampaignInput, response: replies({ 201: Campaign }) }, config: manage }, async (req, reply) =>
    reply.status(201).send(await c.create(actorOf(req), staff(req), req.body)));
  app.get('/api/admin/campaigns/:id', { schema: { tags, summary: 'A campaign', params: IdParam, response: replies({ 200: Campaign }) }, config: read }, async (req) => c.get(req.params.id));
  app.put('/api/admin/campaigns/:id', { schema: { tags, summary: 'Edit a draft', params: IdParam, body: CampaignInput, response: replies({ 200: Campaign }) }, config: manage }, async (req) => c.update(actorOf(req), req.params.id, req.body));
  app.get('/api/admin/campaigns/:id/report', { schema: { tags, summary: 'Live report: funnel, conversion per arm and variant, uplift with a 95% CI, revenue', params: IdParam, response: replies({ 200: CampaignReport }) }, config: read }, async (req) =>
    s.campaignReport(req.params.id));
  app.post('/api/admin/campaigns/:id/test-send', { schema: { tags, summary: 'Send every variant to a staff phone (SMS, both languages)', params: IdParam, body: TestSendRequest, response: replies({ 200: TestSendResult }) }, config: manage }, async (req) =>
    s.campaignTestSend(actorOf(req), req.params.id, req.body));

  const step = (path: string, summary: string, config: { auth: { staff: 'campaigns.manage' | 'campaigns.approve' } }, fn: (req: Parameters<typeof actorOf>[0], id: string) => Promise<Campaign>) =>
    app.post(`/api/admin/campaigns/:id/${path}`, { schema: { tags, summary, params: IdParam, response: replies({ 200: Campaign }) }, config }, async (req) => fn(req, req.params.id));
  step('submit', 'Ask a second staff user to approve', manage, (req, id) => c.submit(actorOf(req), id));
  step('withdraw', 'Back to draft for changes', manage, (req, id) => c.withdraw(actorOf(req), id));
  step('approve', 'Approve (not by the creator)', approve, (req, id) => c.approve(actorOf(req), staff(req), id));
  step('launch', 'Launch an approved campaign (sends now, at its time, or on its trigger)', manage, async (req, id) => {
    const r = await c.launch(actorOf(req), id);
    s.campaignScheduler.kick();
    return r;
  });
  step('pause', 'Pause sending', manage, (req, id) => c.pause(actorOf(req), id));
  step('resume', 'Resume sending', manage, (req, id) => c.resume(actorOf(req), id));
  step('cancel', 'Cancel', manage, (req, id) => c.cancel(actorOf(req), id));

  const me = { auth: 'subscriber' as const };
  app.get('/api/me/offers', { schema: { tags: ['self-service'], summary: 'Offers sent to me that I can still take', response: replies({ 200: Type.Object({ items: Type.Array(MyOffer) }) }) }, config: me }, async (req) =>
    ({ items: await s.campaignOffers.list(subscriberOf(req).id) }));
  app.post('/api/me/offers/:id/open', { schema: { tags: ['self-service'], summary: 'I opened an offer (for the campaign report)', params: IdParam, response: replies({ 204: NoContent }) }, config: me }, async (req, reply) => {
    await s.campaignOffers.open(subscriberOf(req).id, req.params.id);
    return reply.status(204).send(null);
  });
  app.post('/api/me/offers/:id/take', { schema: { tags: ['self-service'], summary: 'Take an offer in one tap (Idempotency-Key supported)', params: IdParam, response: replies({ 201: OfferTakeResult }) }, config: me }, async (req, reply) =>
    sendOutcome(reply, await s.campaignOffers.take(subscriberOf(req).id, req.params.id, idempotencyKeyOf(req))));
};
