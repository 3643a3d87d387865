import {
  CheckinResult, Coupon, CouponQuery, EarningRule, EarningRuleInput, LineRef, LoyaltyDashboard, Page, PointEvent, PointHistoryQuery, PointsChange, PointsClear,
  PointsGrant, PointsSummary, Redemption, RedeemRequest, Reward, RewardInput, RewardPatch, Uuid,
} from '@telehall/contracts';
import { Type } from 'typebox';
import { actorOf, staffOf, subscriberOf } from '../../platform/auth.js';
import { inTransaction } from '../../platform/db.js';
import { idempotent } from '../../platform/idempotency.js';
import { idempotencyKeyOf, sendOutcome } from '../../platform/idempotency-http.js';
import { replies, type RoutePlugin } from '../../platform/routing.js';
import { toReward, toRule } from './loyalty.read.js';

const IdParams = Type.Object({ id: Uuid });
const LineQ = Type.Object({ lineId: Uuid });

/** Subscriber: points, history, check-in, rewards mall, redemption, coupon wallet. */
export const loyaltyRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['loyalty'];
  const sub = { auth: 'subscriber' as const };
  const L = s.loyalty;

  app.get('/api/me/points', { schema: { tags, summary: 'Points of a line: balance, what expires when, tier, check-in', querystring: LineQ, response: replies({ 200: PointsSummary }) }, config: sub },
    async (req) => L.reads.summary(req.query.lineId, subscriberOf(req).id));
  app.get('/api/me/points/history', { schema: { tags, summary: 'Point history of a line, newest first, with the rule behind each entry', querystring: PointHistoryQuery, response: replies({ 200: Page(PointEvent) }) }, config: sub },
    async (req) => {
      await L.reads.summary(req.query.lineId, subscriberOf(req).id);
      return L.reads.history(req.query.lineId, req.query);
    });
  app.post('/api/me/points/checkin', { schema: { tags, summary: 'Daily check-in (签到): points that grow with the streak, up to a cap', body: LineRef, response: replies({ 200: CheckinResult }) }, config: sub },
    async (req) => s.loyaltyFlows.checkIn(subscriberOf(req).id, req.body.lineId));
  app.get('/api/me/rewards', { schema: { tags, summary: 'The rewards mall: rewards on offer', response: replies({ 200: Type.Object({ items: Type.Array(Reward) }) }) }, config: sub },
    async () => ({ items: (await L.rewards.list({ activeOnly: true })).map(toReward) }));
  app.post('/api/me/redemptions', {
    schema: { tags, summary: 'Redeem a reward for points (atomic; Idempotency-Key supported)', body: RedeemRequest, response: replies({ 201: Redemption }) }, config: sub,
  }, async (req, reply) => {
    const customerId = subscriberOf(req).id;
    return sendOutcome(reply, await idempotent(s.db, s.clock, { scope: `redeem:${customerId}`, key: idempotencyKeyOf(req), body: req.body }, 201,
      (trx) => L.rewards.redeem(trx, { customerId, ...req.body, actor: actorOf(req) })));
  });
  app.get('/api/me/coupons', { schema: { tags, summary: 'My coupons (the wallet) for a line', querystring: CouponQuery, response: replies({ 200: Type.Object({ items: Type.Array(Coupon) }) }) }, config: sub },
    async (req) => {
      await L.reads.summary(req.query.lineId, subscriberOf(req).id);
      return { items: await L.reads.wallet(req.query.lineId, subscriberOf(req).id, req.query.status) };
    });
};

/** Console: earning rules, rewards and stock, a member's points with grant/clear, the dashboard. */
export const loyaltyAdminRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['loyalty'];
  const manage = { auth: { staff: 'loyalty.manage' as const } };
  const read = { auth: { staff: 'customers.read' as const } };
  const L = s.loyalty;

  app.get('/api/admin/loyalty/rules', { schema: { tags, summary: 'Earning rules (latest version of each)', response: replies({ 200: Type.Object({ items: Type.Array(EarningRule) }) }) }, config: manage },
    async () => ({ items: (await L.rules.list()).map(toRule) }));
  app.get('/api/admin/loyalty/rules/:code/versions', {
    schema: { tags, summary: 'Every version of a rule, newest first', params: Type.Object({ code: Type.String({ pattern: '^[a-z0-9_]{2,40}$' }) }), response: replies({ 200: Type.Object({ items: Type.Array(EarningRule) }) }) }, config: manage,
  }, async (req) => ({ items: (await L.rules.versions(req.params.code)).map(toRule) }));
  app.post('/api/admin/loyalty/rules', { schema: { tags, summary: 'Save a rule: a new code, or the next version of an existing one (audited)', body: EarningRuleInput, response: replies({ 201: EarningRule }) }, config: manage },
    async (req, reply) => {
      const row = await inTransaction(s.db, async (trx) => {
        const r = await L.rules.save(trx, req.body, staffOf(req).id);
        await s.audit.record(trx, actorOf(req), { action: 'loyalty.rule.save', resourceType: 'earning_rule', resourceId: r.id, details: { code: r.code, version: r.version, kind: r.kind, config: r.config, active: r.active } });
        return r;
      });
      return reply.status(201).send(toRule(row));
    });

  app.get('/api/admin/loyalty/rewards', { schema: { tags, summary: 'The rewards catalog with stock', response: replies({ 200: Type.Object({ items: Type.Array(Reward) }) }) }, config: manage },
    async () => ({ items: (await L.rewards.list()).map(toReward) }));
  app.post('/api/admin/loyalty/rewards', { schema: { tags, summary: 'Add a reward (audited)', body: RewardInput, response: replies({ 201: Reward }) }, config: manage },
    async (req, reply) => {
      const row = await inTransaction(s.db, async (trx) => {
        const r = await L.rewards.create(trx, req.body);
        await s.audit.record(trx, actorOf(req), { action: 'loyalty.reward.create', resourceType: 'reward', resourceId: r.id, details: { ...req.body } });
        return r;
      });
      return reply.status(201).send(toReward(row));
    });
  app.patch('/api/admin/loyalty/rewards/:id', { schema: { tags, summary: 'Change a reward: price, limits, validity, restock, on/off (audited)', params: IdParams, body: RewardPatch, response: replies({ 200: Reward }) }, config: manage },
    async (req) => toReward(await inTransaction(s.db, async (trx) => {
      const r = await L.rewards.update(trx, req.params.id, req.body);
      await s.audit.record(trx, actorOf(req), { action: 'loyalty.reward.update', resourceType: 'reward', resourceId: r.id, details: { ...req.body } });
      return r;
    })));

  app.get('/api/admin/lines/:id/points', { schema: { tags, summary: 'A line’s points (audited read)', params: IdParams, response: replies({ 200: PointsSummary }) }, config: read },
    async (req) => s.audit.read(actorOf(req), { action: 'line.view.points', resourceType: 'line', resourceId: req.params.id }, () => L.reads.summary(req.params.id, null)));
  app.get('/api/admin/lines/:id/points/history', {
    schema: { tags, summary: 'A line’s point history', params: IdParams, querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) }), response: replies({ 200: Page(PointEvent) }) },
    config: read,
  }, async (req) => L.reads.history(req.params.id, req.query));
  app.get('/api/admin/lines/:id/coupons', { schema: { tags, summary: 'A line’s coupons', params: IdParams, response: replies({ 200: Type.Object({ items: Type.Array(Coupon) }) }) }, config: read },
    async (req) => ({ items: await L.reads.wallet(req.params.id, null) }));
  app.post('/api/admin/lines/:id/points/grant', { schema: { tags, summary: 'Grant points with a reason (audited)', params: IdParams, body: PointsGrant, response: replies({ 201: PointsChange }) }, config: manage },
    async (req, reply) => reply.status(201).send(await s.loyaltyFlows.grant(actorOf(req), req.params.id, req.body)));
  app.post('/api/admin/lines/:id/points/clear', { schema: { tags, summary: 'Clear some or all points with a reason (audited)', params: IdParams, body: PointsClear, response: replies({ 201: PointsChange }) }, config: manage },
    async (req, reply) => reply.status(201).send(await s.loyaltyFlows.clear(actorOf(req), req.params.id, req.body)));

  app.get('/api/admin/loyalty/dashboard', { schema: { tags, summary: 'Points issued, redeemed, expired, outstanding; liability in fen', response: replies({ 200: LoyaltyDashboard }) }, config: manage },
    async () => L.reads.dashboard());
};
