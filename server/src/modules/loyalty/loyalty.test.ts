import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tokens } from '@telehall/contracts';
import { ManualClock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db.js';
import { createTestContext } from '../../../test/harness.js';
import { balanceOf, call, lastCode, makeLine, makePlan, staffLogin, systemActor } from '../../../test/factories.js';
import { SIGNATURE_HEADER, type SandboxGateway } from '../payments/gateway.js';

const DAY = 86_400_000;

/** A subscriber with a line, rules set up by a marketer through the console API, and helpers to pay and redeem. */
async function setup(clock: ManualClock, rules: { code: string; kind: string; config: Record<string, unknown>; startsAt?: string; endsAt?: string }[]) {
  const t = await createTestContext({ clock, rateLimitScale: 100 });
  const planId = (await makePlan(t.s, { monthlyFeeFen: 1000 })).id;
  const m = await staffLogin(t.app, t.s, 'marketer');
  const staff = { marketer: m.tokens.accessToken };
  for (const r of rules) {
    const res = await call(t.app, 'POST', '/api/admin/loyalty/rules', { token: staff.marketer, body: { nameZh: r.code, nameEn: r.code, ...r } });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  }
  const gw = t.s.payments.provider as SandboxGateway;
  const subscriber = async (opts: Parameters<typeof makeLine>[2] = {}) => {
    const line = await makeLine(t.s, planId, opts);
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(t.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(t.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);
    return { ...line, token: (reg.json as Tokens).accessToken };
  };
  /** Move the clock; access tokens expire, so the marketer and the given subscribers sign in again. */
  const move = async (to: string | number, ...subs: { msisdn: string; token: string }[]) => {
    if (typeof to === 'number') clock.advance(to);
    else clock.set(to);
    const r = await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: m.username, password: m.password } });
    staff.marketer = r.json.accessToken;
    for (const a of subs) {
      const l = await call(t.app, 'POST', '/api/auth/login', { body: { phone: a.msisdn, password: 'secret-pass-1' } });
      assert.equal(l.status, 200, JSON.stringify(l.json));
      a.token = l.json.accessToken;
    }
  };
  /** Top up through the API and the signed gateway callback, then let the outbox deliver. */
  const pay = async (a: { token: string; lineId: string }, amount: number, couponId?: string) => {
    const r = await call(t.app, 'POST', '/api/me/payments', { token: a.token, body: { lineId: a.lineId, amount, method: 'qr', ...(couponId ? { couponId } : {}) } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const body = JSON.stringify({ paymentId: r.json.payment.id, providerRef: `ref-${r.json.payment.id.slice(0, 8)}`, amount, currency: 'CNY', status: 'succeeded', sentAt: clock.now().toISOString() });
    const cb = await t.app.inject({ method: 'POST', url: '/api/payments/callback/sandbox', payload: body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: gw.sign(body) } });
    assert.equal(cb.statusCode, 200);
    await t.s.dispatcher.drain();
    return r.json.payment.id as string;
  };
  const points = async (a: { token: string; lineId: string }) => {
    const r = await call(t.app, 'GET', `/api/me/points?lineId=${a.lineId}`, { token: a.token });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    return r.json;
  };
  const grant = (lineId: string, n: number, id = `${Math.random()}`) =>
    inTransaction(t.s.db, (trx) => t.s.loyalty.grantPoints(trx, { lineId, points: n, reason: 'test', source: { kind: 'test', id } }));
  const reward = async (body: Record<string, unknown>) => {
    const r = await call(t.app, 'POST', '/api/admin/loyalty/rewards', { token: staff.marketer, body: { nameZh: '奖励', nameEn: 'Reward', validDays: 30, ...body } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json.id as string;
  };
  const redeem = (a: { token: string; lineId: string }, rewardId: string, key?: string) =>
    call(t.app, 'POST', '/api/me/redemptions', { token: a.token, body: { lineId: a.lineId, rewardId }, headers: key ? { 'idempotency-key': key } : {} });
  const conserved = async () => {
    assert.deepEqual(await t.s.ledger.verify(), []);
    const r = await t.s.db.selectFrom('ledger_account as a').leftJoin(
      (eb) => eb.selectFrom('point_lot').select(['line_id', (x) => x.fn.sum<number>('remaining').as('lots')]).groupBy('line_id').as('l'), (j) => j.onRef('l.line_id', '=', 'a.line_id'),
    ).leftJoin(
      (eb) => eb.selectFrom('point_event').select(['line_id', (x) => x.fn.sum<number>('points').as('ev')]).groupBy('line_id').as('e'), (j) => j.onRef('e.line_id', '=', 'a.line_id'),
    ).select(['a.code', 'a.balance', 'l.lots', 'e.ev']).where('a.kind', '=', 'points').execute();
    for (const row of r) {
      assert.equal(Number(row.lots ?? 0), row.balance, `${row.code}: lots`);
      assert.equal(Number(row.ev ?? 0), row.balance, `${row.code}: history`);
      assert.ok(row.balance >= 0);
    }
  };
  return { t, planId, staff, move, subscriber, pay, points, grant, reward, redeem, conserved };
}

describe('loyalty: earning, redemption, coupons, expiry, claw-back', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let h: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    h = await setup(clock, [
      { code: 'base', kind: 'base', config: { pointsPer100Yuan: { normal: 100, silver: 120, gold: 150, diamond: 200 } } },
      { code: 'first_topup', kind: 'first_topup', config: { points: 50 } },
      { code: 'checkin', kind: 'checkin', config: { points: 5, streakStep: 5, cap: 15 } },
    ]);
  });
  after(() => h.t.close());

  it('a captured top-up earns a × M, names its rule, and the first one earns the bonus; a multiplier week adds its extra', async () => {
    const a = await h.subscriber();
    const pid = await h.pay(a, 12_345);
    let p = await h.points(a);
    assert.equal(p.balance, 123 + 50);
    assert.equal(p.tier, 'normal');
    assert.deepEqual(p.expiring.map((e: { points: number }) => e.points), [173]);
    assert.equal(p.expiring[0].expiresAt, '2029-10-31T16:00:00.000Z');
    const hist = await call(h.t.app, 'GET', `/api/me/points/history?lineId=${a.lineId}`, { token: a.token });
    assert.deepEqual(hist.json.items.map((e: { points: number; rule: { code: string } }) => [e.rule.code, e.points]).sort(), [['base', 123], ['first_topup', 50]]);
    assert.ok(hist.json.items.every((e: { source: { id: string } }) => e.source.id === pid));
    // A redelivered event earns nothing twice.
    await h.t.s.db.updateTable('outbox').set({ dispatched_at: null }).where('topic', '=', 'payment.captured').execute();
    await h.t.s.dispatcher.drain();
    assert.equal((await h.points(a)).balance, 173);
    const r = await call(h.t.app, 'POST', '/api/admin/loyalty/rules', {
      token: h.staff.marketer, body: { code: 'double_week', kind: 'multiplier', nameZh: '双倍积分周', nameEn: 'Double points week', config: { percent: 200 }, startsAt: clock.now().toISOString(), endsAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() },
    });
    assert.equal(r.status, 201);
    await h.pay(a, 10_000);
    p = await h.points(a);
    assert.equal(p.balance, 173 + 100 + 100);
    await h.move(8 * DAY, a);
    await h.pay(a, 10_000);
    assert.equal((await h.points(a)).balance, 373 + 100);
    await h.conserved();
  });

  it('a malformed event is logged and skipped without holding up the ones after it', async () => {
    const a = await h.subscriber();
    await h.t.s.db.insertInto('outbox').values({ topic: 'payment.captured', key: 'x', payload: JSON.stringify({ paymentId: 'nope', lineId: 'not-a-uuid', amountFen: 100 }), created_at: clock.now() }).execute();
    await h.pay(a, 10_000);
    assert.ok((await h.points(a)).balance >= 100);
    const pending = await h.t.s.db.selectFrom('outbox').select('id').where('dispatched_at', 'is', null).execute();
    assert.equal(pending.length, 0);
  });

  it('rules are versioned: an edit adds a version and the new rate applies; bad configs are 400', async () => {
    const bad = await call(h.t.app, 'POST', '/api/admin/loyalty/rules', { token: h.staff.marketer, body: { code: 'base', kind: 'base', nameZh: 'b', nameEn: 'b', config: { pointsPer100Yuan: { normal: -1 } } } });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 'invalid_rule_config');
    const v2 = await call(h.t.app, 'POST', '/api/admin/loyalty/rules', { token: h.staff.marketer, body: { code: 'base', kind: 'base', nameZh: '基础积分', nameEn: 'Base', config: { pointsPer100Yuan: { normal: 200, silver: 200, gold: 200, diamond: 300 } } } });
    assert.equal(v2.json.version, 2);
    const a = await h.subscriber();
    await h.grant(a.lineId, 1);
    await h.t.s.db.insertInto('payment').values({ id: h.t.s.ids.uuid(), customer_id: a.customerId, line_id: a.lineId, provider: 'sandbox', method: 'qr', origin: 'subscriber', amount_fen: 100, refunded_fen: 0, status: 'captured', provider_ref: 'x', ledger_tx_id: null, created_at: clock.now(), expires_at: clock.now(), captured_at: clock.now() }).execute();
    await h.pay(a, 5_000);
    const hist = await call(h.t.app, 'GET', `/api/me/points/history?lineId=${a.lineId}`, { token: a.token });
    const base = hist.json.items.find((e: { rule: { code: string } | null }) => e.rule?.code === 'base');
    assert.deepEqual([base.rule.version, base.points], [2, 100]);
    const versions = await call(h.t.app, 'GET', '/api/admin/loyalty/rules/base/versions', { token: h.staff.marketer });
    assert.deepEqual(versions.json.items.map((r: { version: number; active: boolean }) => [r.version, r.active]), [[2, true], [1, false]]);
    const agent = (await staffLogin(h.t.app, h.t.s, 'agent')).tokens.accessToken;
    assert.equal((await call(h.t.app, 'GET', '/api/admin/loyalty/rules', { token: agent })).status, 403);
  });

  it('100 concurrent redemptions against 10 units with points for 5: exactly 5 succeed, nothing oversold', async () => {
    const a = await h.subscriber();
    const rewardId = await h.reward({ code: 'hot_mug', kind: 'goods', valueFen: 2000, pointsPrice: 200, stock: 10 });
    await h.grant(a.lineId, 1000);
    const rs = await Promise.all(Array.from({ length: 100 }, () => h.redeem(a, rewardId)));
    assert.equal(rs.filter((r) => r.status === 201).length, 5);
    assert.deepEqual([...new Set(rs.filter((r) => r.status !== 201).map((r) => `${r.status} ${r.json.code}`))], ['422 insufficient_points']);
    assert.equal((await h.points(a)).balance, 0);
    const rw = await h.t.s.db.selectFrom('reward').select(['stock', 'issued']).where('id', '=', rewardId).executeTakeFirstOrThrow();
    assert.deepEqual(rw, { stock: 5, issued: 5 });
    // Ten lines racing for the last units: stock never goes below zero.
    const others = await Promise.all(Array.from({ length: 8 }, () => h.subscriber()));
    for (const o of others) await h.grant(o.lineId, 400);
    const rs2 = await Promise.all(others.flatMap((o) => [h.redeem(o, rewardId), h.redeem(o, rewardId)]));
    assert.equal(rs2.filter((r) => r.status === 201).length, 5);
    assert.deepEqual([...new Set(rs2.filter((r) => r.status !== 201).map((r) => r.json.code))], ['out_of_stock']);
    assert.equal((await h.t.s.db.selectFrom('reward').select('stock').where('id', '=', rewardId).executeTakeFirstOrThrow()).stock, 0);
    await h.conserved();
  });

  it('the same Idempotency-Key twice is one redemption; a different body with it is 409', async () => {
    const a = await h.subscriber();
    const rewardId = await h.reward({ code: 'idem_5', kind: 'discount', valueFen: 500, pointsPrice: 500 });
    const other = await h.reward({ code: 'idem_6', kind: 'discount', valueFen: 500, pointsPrice: 500 });
    await h.grant(a.lineId, 2000);
    const [r1, r2] = await Promise.all([h.redeem(a, rewardId, 'redeem-key-0001'), h.redeem(a, rewardId, 'redeem-key-0001')]);
    assert.equal(r1.status, 201);
    assert.equal(r2.status, 201);
    assert.equal(r1.json.redemptionId, r2.json.redemptionId);
    assert.equal((await h.points(a)).balance, 1500);
    assert.equal((await h.redeem(a, other, 'redeem-key-0001')).status, 409);
    const ev = await h.t.s.db.selectFrom('outbox').select('payload').where('topic', '=', 'loyalty.redeemed').where('key', '=', a.lineId).execute();
    assert.equal(ev.length, 1);
    assert.deepEqual(Object.keys(ev[0]!.payload as object).sort().slice(0, 2), ['couponId', 'customerId']);
    assert.equal((ev[0]!.payload as { customerId: string }).customerId, a.customerId);
  });

  it('limits: per-member and global limits hold; an unknown reward is 404 and changes nothing', async () => {
    const a = await h.subscriber();
    const b = await h.subscriber();
    const once = await h.reward({ code: 'once_each', kind: 'discount', valueFen: 100, pointsPrice: 10, perMemberLimit: 1, globalLimit: 2 });
    await h.grant(a.lineId, 100);
    await h.grant(b.lineId, 100);
    const c = await h.subscriber();
    await h.grant(c.lineId, 100);
    assert.equal((await h.redeem(a, once)).status, 201);
    const again = await h.redeem(a, once);
    assert.equal(again.json.code, 'member_limit_reached');
    assert.equal((await h.redeem(b, once)).status, 201);
    assert.equal((await h.redeem(c, once)).json.code, 'reward_limit_reached');
    const missing = await h.redeem(c, h.t.s.ids.uuid());
    assert.equal(missing.status, 404);
    assert.equal((await h.points(c)).balance, 100);
  });

  it('coupons: a discount at add-on checkout, a data pack pays its add-on, a top-up bonus credits on capture', async () => {
    const a = await h.subscriber({ balanceFen: 5000 });
    const addon = await h.t.s.catalog.createAddon(systemActor, { code: `gb1_${process.pid}`, nameZh: '1GB', nameEn: '1GB', kind: 'data', quantity: 1024 ** 3, validityDays: 30, priceFen: 1000 });
    const disc = await h.reward({ code: 'off_3', kind: 'discount', valueFen: 300, minSpendFen: 500, pointsPrice: 300 });
    const pack = await h.reward({ code: 'pack_1gb', kind: 'data_pack', valueFen: 1000, pointsPrice: 1000, addonCode: addon.code });
    const bonus = await h.reward({ code: 'bonus_5', kind: 'topup_bonus', valueFen: 500, minSpendFen: 3000, pointsPrice: 500 });
    await h.grant(a.lineId, 5000);
    const c1 = (await h.redeem(a, disc)).json.couponId;
    const c2 = (await h.redeem(a, pack)).json.couponId;
    const c3 = (await h.redeem(a, bonus)).json.couponId;
    const wallet = await call(h.t.app, 'GET', `/api/me/coupons?lineId=${a.lineId}`, { token: a.token });
    assert.deepEqual(wallet.json.items.map((c: { status: string }) => c.status), ['available', 'available', 'available']);
    const bal0 = await balanceOf(h.t.s, a.lineId);
    const buy = (couponId: string) => call(h.t.app, 'POST', '/api/me/orders', { token: a.token, body: { lineId: a.lineId, addonId: addon.id, couponId } });
    assert.equal((await buy(c3)).json.code, 'coupon_not_applicable');
    const o1 = await buy(c1);
    assert.equal(o1.status, 201, JSON.stringify(o1.json));
    assert.equal(o1.json.discount.amount, 300);
    assert.equal(await balanceOf(h.t.s, a.lineId), bal0 - 700);
    assert.equal((await buy(c1)).json.code, 'coupon_used');
    const o2 = await buy(c2);
    assert.equal(o2.json.balanceAfter.amount, bal0 - 700);
    // Below the bonus coupon's minimum spend: refused, nothing held.
    const low = await call(h.t.app, 'POST', '/api/me/payments', { token: a.token, body: { lineId: a.lineId, amount: 1000, method: 'qr', couponId: c3 } });
    assert.equal(low.json.code, 'coupon_min_spend');
    await h.pay(a, 3000, c3);
    assert.equal(await balanceOf(h.t.s, a.lineId), bal0 - 700 + 3000 + 500);
    const used = await h.t.s.db.selectFrom('outbox').select('payload').where('topic', '=', 'loyalty.coupon.used').where('key', '=', a.lineId).execute();
    assert.equal(used.length, 3);
    assert.ok(used.every((u) => (u.payload as { customerId: string }).customerId === a.customerId));
    assert.deepEqual(await h.t.s.ledger.verify(), []);
  });

  it('redemption takes the earliest-expiring lots first; expiry retires lots with a ledger entry after warning 30 days before', async () => {
    await h.move('2026-11-20T02:00:00Z');
    const a = await h.subscriber();
    await h.grant(a.lineId, 100);
    clock.set('2026-12-20T02:00:00Z');
    await h.grant(a.lineId, 100);
    await h.move('2027-01-20T02:00:00Z', a);
    await h.grant(a.lineId, 100);
    const r = await h.reward({ code: 'fifo_150', kind: 'goods', valueFen: 150, pointsPrice: 150 });
    assert.equal((await h.redeem(a, r)).status, 201);
    let p = await h.points(a);
    assert.deepEqual(p.expiring.map((e: { expiresAt: string; points: number }) => [e.expiresAt.slice(0, 10), e.points]), [['2029-11-30', 50], ['2029-12-31', 100]]);
    clock.set('2029-11-05T00:00:00Z');
    const j1 = await h.t.s.loyaltyFlows.runJobs();
    assert.ok(j1.notified >= 1);
    const warn = await h.t.s.db.selectFrom('outbox').select('payload').where('topic', '=', 'points.expiring').where('key', '=', a.lineId).execute();
    assert.deepEqual(warn.map((w) => (w.payload as { points: number }).points), [50]);
    await h.t.s.loyaltyFlows.runJobs();
    assert.equal((await h.t.s.db.selectFrom('outbox').select('id').where('topic', '=', 'points.expiring').where('key', '=', a.lineId).execute()).length, 1);
    await h.move('2029-12-01T00:00:00Z', a);
    const j2 = await h.t.s.loyaltyFlows.runJobs();
    assert.ok(j2.expired >= 50);
    p = await h.points(a);
    assert.equal(p.balance, 100);
    const hist = await call(h.t.app, 'GET', `/api/me/points/history?lineId=${a.lineId}&limit=1`, { token: a.token });
    assert.deepEqual([hist.json.items[0].kind, hist.json.items[0].points], ['expire', -50]);
    const tx = await h.t.s.db.selectFrom('ledger_tx').select('id').where('kind', '=', 'points.expire').where('line_id', '=', a.lineId).execute();
    assert.equal(tx.length, 1);
    await h.conserved();
    await h.move('2026-11-25T02:00:00Z');
  });

  it('a refund claws back points; the shortfall the balance cannot cover is settled from later earnings', async () => {
    const a = await h.subscriber();
    const admin = (await staffLogin(h.t.app, h.t.s, 'admin')).tokens.accessToken;
    const pid = await h.pay(a, 20_000);
    const earned = (await h.points(a)).balance;
    assert.ok(earned >= 200);
    const r = await h.reward({ code: 'claw_spend', kind: 'goods', valueFen: 100, pointsPrice: earned - 30 });
    assert.equal((await h.redeem(a, r)).status, 201);
    const ref = await call(h.t.app, 'POST', `/api/admin/payments/${pid}/refunds`, { token: admin, body: { amount: 10_000, reason: 'customer request' } });
    assert.equal(ref.status, 201, JSON.stringify(ref.json));
    await h.t.s.dispatcher.drain();
    await h.t.s.dispatcher.drain();
    let p = await h.points(a);
    const due = Math.ceil(earned / 2);
    assert.equal(p.balance, 0);
    assert.equal(p.shortfall, due - 30);
    await h.grant(a.lineId, 1000);
    p = await h.points(a);
    assert.equal(p.shortfall, 0);
    assert.equal(p.balance, 1000 - (due - 30));
    await h.conserved();
  });

  it('check-in once a day with a growing, capped streak; a suspended line is frozen; closing wipes; staff grant/clear are audited', async () => {
    const a = await h.subscriber();
    const ci = () => call(h.t.app, 'POST', '/api/me/points/checkin', { token: a.token, body: { lineId: a.lineId } });
    const got: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await ci();
      assert.equal(r.status, 200, JSON.stringify(r.json));
      got.push(r.json.points);
      assert.equal((await ci()).json.code, 'already_checked_in');
      await h.move(DAY, a);
    }
    assert.deepEqual(got, [5, 10, 15, 15]);
    await h.move(2 * DAY, a);
    assert.equal((await ci()).json.streak, 1);
    const admin = (await staffLogin(h.t.app, h.t.s, 'admin')).tokens.accessToken;
    const g = await call(h.t.app, 'POST', `/api/admin/lines/${a.lineId}/points/grant`, { token: admin, body: { points: 500, reason: 'goodwill for outage' } });
    assert.equal(g.status, 201);
    const cl = await call(h.t.app, 'POST', `/api/admin/lines/${a.lineId}/points/clear`, { token: admin, body: { points: 100, reason: 'fraudulent check-ins' } });
    assert.equal(cl.json.balance, 45 + 5 + 500 - 100);
    const tooMuch = await call(h.t.app, 'POST', `/api/admin/lines/${a.lineId}/points/clear`, { token: admin, body: { points: 100_000, reason: 'x y' } });
    assert.equal(tooMuch.json.code, 'insufficient_points');
    const audits = await h.t.s.db.selectFrom('audit_log').select('action').where('resource_id', '=', a.lineId).where('action', 'like', 'points.%').execute();
    assert.deepEqual(audits.map((x) => x.action).sort(), ['points.clear', 'points.grant']);
    const r = await h.reward({ code: 'frozen_try', kind: 'goods', valueFen: 10, pointsPrice: 10 });
    await h.t.s.db.updateTable('line').set({ status: 'suspended', status_reason: 'credit_limit' }).where('id', '=', a.lineId).execute();
    assert.equal((await h.redeem(a, r)).json.code, 'points_frozen');
    assert.equal((await h.points(a)).frozen, true);
    await h.t.s.db.updateTable('line').set({ status: 'closed', closed_at: h.t.s.clock.now() }).where('id', '=', a.lineId).execute();
    const jobs = await h.t.s.loyaltyFlows.runJobs();
    assert.ok(jobs.wiped >= 450);
    assert.equal((await h.t.s.ledger.lineAccount(h.t.s.db, a.lineId, 'POINTS')).balance, 0);
    const last = await h.t.s.db.selectFrom('point_event').select(['kind', 'points']).where('line_id', '=', a.lineId).where('kind', '=', 'close').executeTakeFirstOrThrow();
    assert.deepEqual(last, { kind: 'close', points: -450 });
    await h.conserved();
  });

  it('tiers come from 12-month spend, recomputed monthly, and the tier earns at its own rate; the dashboard adds up', async () => {
    const a = await h.subscriber();
    await h.pay(a, 100_000);
    await h.t.s.db.updateTable('loyalty_member').set({ tier_computed_at: null }).where('line_id', '=', a.lineId).execute();
    await h.t.s.loyaltyFlows.runJobs();
    const p = await h.points(a);
    assert.equal(p.tier, 'silver');
    assert.equal(p.tierSpend.amount, 100_000);
    const before_ = p.balance;
    await h.pay(a, 10_000);
    assert.equal((await h.points(a)).balance - before_, 200); // base v2: silver 200 per ¥100
    const d = await call(h.t.app, 'GET', '/api/admin/loyalty/dashboard', { token: h.staff.marketer });
    assert.equal(d.status, 200);
    assert.equal(d.json.issued - d.json.redeemed - d.json.expired - d.json.cleared - d.json.clawedBack, d.json.outstanding);
    assert.ok(d.json.liability.amount > 0);
  });
});

describe('loyalty: per-member earning limits', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let h: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    h = await setup(clock, [
      { code: 'base', kind: 'base', config: { pointsPer100Yuan: { normal: 100, silver: 100, gold: 100, diamond: 100 } } },
      { code: 'caps', kind: 'limit', config: { dailyMax: 300, monthlyMax: 500 } },
    ]);
  });
  after(() => h.t.close());

  it('earning stops at the daily cap and at the monthly cap; grants are not capped', async () => {
    const a = await h.subscriber();
    await h.pay(a, 20_000);
    await h.pay(a, 20_000);
    assert.equal((await h.points(a)).balance, 300);
    await h.move(DAY, a);
    await h.pay(a, 50_000);
    assert.equal((await h.points(a)).balance, 500);
    await h.move(DAY, a);
    await h.pay(a, 10_000);
    assert.equal((await h.points(a)).balance, 500);
    await h.grant(a.lineId, 1000);
    assert.equal((await h.points(a)).balance, 1500);
    await h.move('2026-12-01T02:00:00Z', a);
    await h.pay(a, 10_000);
    assert.equal((await h.points(a)).balance, 1600);
    await h.conserved();
  });
});
