import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { computeCustomerFeatures } from '../../flows/customer-features.js';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { balanceOf, call, makeLine, makePlan, staffLogin, systemActor } from '../../../test/factories.js';
import { GB, MB } from '../charging/tariff.js';

// Beijing cycles: Aug starts 07-31T16:00Z, Sep 08-31T16:00Z, Oct 09-30T16:00Z, Nov 10-31T16:00Z.
const NOW = '2026-11-15T05:00:00Z';

describe('customer features from lines, usage, ledger and plan changes', () => {
  const clock = new ManualClock('2026-08-10T00:00:00Z');
  let t: TestContext;
  let a: Awaited<ReturnType<typeof makeLine>>;
  let b: Awaited<ReturnType<typeof makeLine>>;
  let c: Awaited<ReturnType<typeof makeLine>>;
  let p1: { id: string; code: string };
  let p2: { id: string; code: string };
  const ev = (id: string, msisdn: string, type: string, quantity: number, startedAt: string) => ({ id, msisdn, type, quantity, startedAt });

  before(async () => {
    t = await createTestContext({ clock });
    p1 = await makePlan(t.s, { monthlyFeeFen: 3900, dataBytes: GB, dataFenPerGb: 500 });
    p2 = await makePlan(t.s, { monthlyFeeFen: 1900, dataBytes: GB, dataFenPerGb: 500 });
    const voicePack = await t.s.catalog.createAddon(systemActor, { code: `v${process.pid}`, nameZh: '语音包', nameEn: 'Voice pack', kind: 'voice', quantity: 6000, validityDays: 30, priceFen: 1000 });
    a = await makeLine(t.s, p1.id, { balanceFen: 30_000, at: new Date('2026-08-10T00:00:00Z') });
    c = await makeLine(t.s, p1.id, { balanceFen: 3000, at: new Date('2026-08-10T00:00:00Z') });
    clock.set('2026-08-21T00:00:00Z');
    await t.s.charging.ingest([ev('a1', a.msisdn, 'data', 100 * MB, '2026-08-20T02:00:00Z')]);
    clock.set('2026-09-11T00:00:00Z');
    // c rolls into September below its (zero) credit limit and is suspended now.
    await t.s.charging.ingest([ev('a2', a.msisdn, 'data', 200 * MB, '2026-09-10T02:00:00Z'), ev('a3', a.msisdn, 'voice', 600, '2026-09-10T03:00:00Z'),
      ev('a4', a.msisdn, 'sms', 3, '2026-09-10T04:00:00Z'), ev('c1', c.msisdn, 'sms', 1, '2026-09-10T05:00:00Z')]);
    clock.set('2026-09-15T00:00:00Z');
    b = await makeLine(t.s, p2.id, { balanceFen: 10_000, at: new Date('2026-09-15T00:00:00Z') });
    clock.set('2026-09-21T00:00:00Z');
    await t.s.charging.ingest([ev('b1', b.msisdn, 'sms', 2, '2026-09-20T02:00:00Z')]);
    clock.set('2026-10-04T00:00:00Z');
    await t.s.charging.ingest([ev('b2', b.msisdn, 'voice', 120, '2026-10-03T02:00:00Z')]);
    clock.set('2026-10-05T00:00:00Z');
    await t.s.charging.changePlan(systemActor, { customerId: null, lineId: b.lineId, planId: p1.id, when: 'now' });
    clock.set('2026-10-11T00:00:00Z');
    await t.s.charging.ingest([ev('a5', a.msisdn, 'data', 1536 * MB, '2026-10-10T02:00:00Z'), ev('a6', a.msisdn, 'voice', 1200, '2026-10-10T03:00:00Z'), ev('b3', b.msisdn, 'sms', 4, '2026-10-10T04:00:00Z')]);
    clock.set('2026-10-20T00:00:00Z');
    await t.s.charging.buyAddon(systemActor, { customerId: null, lineId: a.lineId, addonId: voicePack.id });
    clock.set(NOW);
  });
  after(() => t.close());

  it('equal hand-computed values as of now', async () => {
    const f = await computeCustomerFeatures(t.s.db, clock.now());
    // a: 3 complete cycles (Aug, Sep, Oct); fees 3 × 3900, overage 512 MB × ¥5/GB = 250, voice pack 1000.
    assert.deepEqual(f.get(a.customerId), {
      tenure_days: 97, lines: 1, plan_fee_fen: 3900, plan_code: p1.code,
      data_mb: 612, voice_min: 10, sms: 1, data_trend: 9.24, voice_trend: 3, sms_trend: -1,
      arpu_fen: 4317, overage_share: 0.0193, addon_count: 1, addon_fen: 1000,
      // the ledger's own balance of the line (no movement after now), no top-ups
      balance_fen: await balanceOf(t.s, a.lineId), topup_count: 0,
    });
    // b: 2 complete cycles (Sep, Oct); fees 1900 + 1900, upgrade difference 2000 charged on 5 Oct.
    assert.deepEqual(f.get(b.customerId), {
      tenure_days: 61, lines: 1, plan_fee_fen: 3900, plan_code: p1.code,
      data_mb: 0, voice_min: 1, sms: 3, data_trend: null, voice_trend: null, sms_trend: 1,
      arpu_fen: 2900, overage_share: 0, addon_count: 0, addon_fen: 0, plan_up: 1, plan_down: 0,
      balance_fen: await balanceOf(t.s, b.lineId), topup_count: 0,
    });
    // c: suspended on 11 Sep 00:00 and never reactivated: 65 days 5 hours.
    assert.equal(f.get(c.customerId)!.suspended_days, 65.21);
  });

  it('as of a past cutoff, plan changes after it are undone and later usage is not seen', async () => {
    const f = await computeCustomerFeatures(t.s.db, new Date('2026-10-01T00:00:00Z'));
    const fb = f.get(b.customerId)!;
    assert.equal(fb.plan_fee_fen, 1900);
    assert.equal(fb.plan_code, p2.code);
    assert.equal(fb.plan_up, undefined);
    // Only the fee charged at opening (15 Sep) is before the cutoff; October's was charged on 4 Oct.
    assert.equal(fb.balance_fen, 10_000 - 1900);
    // b had one complete cycle (Sep) by then: 2 SMS, fee 1900.
    assert.deepEqual([fb.sms, fb.arpu_fen, fb.sms_trend], [2, 1900, null]);
    assert.equal(f.get(a.customerId)!.data_mb, 150); // (100 + 200) / 2 complete cycles
  });

  it('refresh stores a versioned snapshot; the console reads it; other roles cannot', async () => {
    const analyst = await staffLogin(t.app, t.s, 'analyst');
    const agent = await staffLogin(t.app, t.s, 'agent');
    assert.equal((await call(t.app, 'POST', '/api/admin/analytics/features/refresh', { token: agent.tokens.accessToken })).status, 403);
    const r1 = await call(t.app, 'POST', '/api/admin/analytics/features/refresh', { token: analyst.tokens.accessToken });
    const r2 = await call(t.app, 'POST', '/api/admin/analytics/features/refresh', { token: analyst.tokens.accessToken });
    assert.equal(r1.status, 201, JSON.stringify(r1.json));
    assert.equal(r2.json.version, r1.json.version + 1);
    assert.equal(r2.json.customerCount, 3);
    const one = await call(t.app, 'GET', `/api/admin/analytics/customers/${a.customerId}/features`, { token: analyst.tokens.accessToken });
    assert.equal(one.status, 200);
    assert.equal(one.json.features.arpu_fen, 4317);
    assert.equal(one.json.snapshot.id, r2.json.id);
    const audit = await t.s.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.view.features').execute();
    assert.equal(audit.length, 1);
    assert.equal((await call(t.app, 'GET', '/api/admin/analytics/customers/00000000-0000-4000-8000-000000000000/features', { token: analyst.tokens.accessToken })).status, 404);
  });
});
