import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../platform/clock.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { balanceOf, call, lastCode, makeLine, makePlan, systemActor } from '../../test/factories.js';
import { GB } from '../modules/charging/tariff.js';
import type { Tokens } from '@telehall/contracts';

/** A subscriber who owns a line: registers through the API with the line's number. */
async function subscriberWithLine(t: TestContext, planId: string, opts: Parameters<typeof makeLine>[2] = {}) {
  const line = await makeLine(t.s, planId, opts);
  await call(t.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
  const reg = await call(t.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(t.s, line.msisdn), password: 'secret-pass-1' } });
  assert.equal(reg.status, 201);
  return { ...line, token: (reg.json as Tokens).accessToken };
}

/** Sign in again (after the test clock jumps past the access token's life). */
async function relogin(t: TestContext, msisdn: string): Promise<string> {
  const r = await call(t.app, 'POST', '/api/auth/login', { body: { phone: msisdn, password: 'secret-pass-1' } });
  assert.equal(r.status, 200);
  return (r.json as Tokens).accessToken;
}

describe('self-service: lines, plan changes, add-ons', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let t: TestContext;
  let p39: string, p58: string, p19: string, p88c: string;
  before(async () => {
    t = await createTestContext({ clock });
    p19 = (await makePlan(t.s, { monthlyFeeFen: 1900, dataBytes: 5 * GB })).id;
    p39 = (await makePlan(t.s, { monthlyFeeFen: 3900, dataBytes: 20 * GB })).id;
    p58 = (await makePlan(t.s, { monthlyFeeFen: 5800, dataBytes: 40 * GB })).id;
    p88c = (await makePlan(t.s, { monthlyFeeFen: 8800, dataBytes: 80 * GB, contractMonths: 12 })).id;
  });
  after(() => t.close());

  it('shows my lines, balance and allowances, and nobody else’s', async () => {
    const a = await subscriberWithLine(t, p39, { balanceFen: 10_000 });
    const b = await subscriberWithLine(t, p39);
    const lines = await call(t.app, 'GET', '/api/me/lines', { token: a.token });
    assert.equal(lines.json.items.length, 1);
    assert.equal(lines.json.items[0].msisdn, a.msisdn);
    assert.deepEqual(lines.json.items[0].balance, { amount: 10_000 - 3900, currency: 'CNY' });
    const usage = await call(t.app, 'GET', '/api/me/usage', { token: a.token });
    assert.deepEqual(usage.json.totals.find((x: { kind: string }) => x.kind === 'data'), { kind: 'data', allowance: 20 * GB, used: 0, remaining: 20 * GB, unit: 'bytes' });
    for (const url of [`/api/me/balance?lineId=${b.lineId}`, `/api/me/usage?lineId=${b.lineId}`, `/api/me/usage/records?lineId=${b.lineId}`]) {
      const r = await call(t.app, 'GET', url, { token: a.token });
      assert.equal(r.status, 404, url);
      assert.equal(r.json.code, 'line_not_found');
    }
  });

  it('lists itemised usage with filters', async () => {
    const a = await subscriberWithLine(t, p39);
    await t.s.charging.ingest([
      { id: `r1-${a.lineId}`, msisdn: a.msisdn, type: 'data', quantity: 1000, startedAt: '2026-11-09T01:00:00Z' },
      { id: `r2-${a.lineId}`, msisdn: a.msisdn, type: 'voice', quantity: 95, startedAt: '2026-11-09T02:00:00Z' },
      { id: `r3-${a.lineId}`, msisdn: a.msisdn, type: 'sms', quantity: 1, startedAt: '2026-11-09T03:00:00Z' },
    ]);
    const all = await call(t.app, 'GET', '/api/me/usage/records', { token: a.token });
    assert.deepEqual(all.json.items.map((r: { id: string }) => r.id), [`r3-${a.lineId}`, `r2-${a.lineId}`, `r1-${a.lineId}`]);
    const voice = await call(t.app, 'GET', '/api/me/usage/records?type=voice', { token: a.token });
    assert.deepEqual(voice.json.items.map((r: { quantity: number; unit: string }) => [r.quantity, r.unit]), [[95, 'seconds']]);
    const page = await call(t.app, 'GET', '/api/me/usage/records?limit=2', { token: a.token });
    const next = await call(t.app, 'GET', `/api/me/usage/records?limit=2&cursor=${page.json.nextCursor}`, { token: a.token });
    assert.deepEqual(next.json.items.map((r: { id: string }) => r.id), [`r1-${a.lineId}`]);
    const range = await call(t.app, 'GET', '/api/me/usage/records?from=2026-11-09T01:30:00Z&to=2026-11-09T02:30:00Z', { token: a.token });
    assert.equal(range.json.items.length, 1);
  });

  it('explains every reason a plan change is refused', async () => {
    const a = await subscriberWithLine(t, p58, { balanceFen: 10_000 });
    const q = (planId: string, when?: string) => call(t.app, 'GET', `/api/me/plan-changes/eligibility?lineId=${a.lineId}&planId=${planId}${when ? `&when=${when}` : ''}`, { token: a.token });
    const same = await q(p58);
    assert.deepEqual(same.json.reasons.map((r: { code: string }) => r.code), ['same_plan']);
    const down = await q(p19, 'now');
    assert.equal(down.json.eligible, false);
    assert.deepEqual(down.json.reasons.map((r: { code: string }) => r.code), ['downgrade_next_cycle_only']);
    assert.deepEqual(down.json.allowedTimings, ['next_cycle']);
    const up = await q(p88c);
    assert.deepEqual(up.json.allowedTimings, ['now', 'next_cycle']);
    assert.deepEqual(up.json.price.chargeNow, { amount: 3000, currency: 'CNY' });
    const refused = await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p19, when: 'now' } });
    assert.equal(refused.status, 422);
    assert.equal(refused.json.code, 'plan_change_not_allowed');
    assert.deepEqual(refused.json.details.reasons.map((r: { code: string }) => r.code), ['downgrade_next_cycle_only']);
  });

  it('upgrades now: charges the difference, carries this cycle’s usage into the new allowance', async () => {
    const a = await subscriberWithLine(t, p39, { balanceFen: 10_000 });
    await t.s.charging.ingest([{ id: `u1-${a.lineId}`, msisdn: a.msisdn, type: 'data', quantity: 3 * GB, startedAt: '2026-11-09T01:00:00Z' }]);
    const r = await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p88c, when: 'now' } });
    assert.equal(r.status, 201);
    assert.equal(r.json.status, 'applied');
    assert.equal(await balanceOf(t.s, a.lineId), 10_000 - 3900 - 4900);
    const usage = await call(t.app, 'GET', '/api/me/usage', { token: a.token });
    assert.deepEqual(usage.json.totals.find((x: { kind: string }) => x.kind === 'data'), { kind: 'data', allowance: 80 * GB, used: 3 * GB, remaining: 77 * GB, unit: 'bytes' });
    // The new plan's contract now locks downgrades.
    const down = await call(t.app, 'GET', `/api/me/plan-changes/eligibility?lineId=${a.lineId}&planId=${p39}`, { token: a.token });
    assert.ok(down.json.reasons.some((x: { code: string }) => x.code === 'contract_locked'));
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('downgrades at the next cycle, applied at rollover', async () => {
    const a = await subscriberWithLine(t, p58, { balanceFen: 20_000 });
    const r = await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p19, when: 'next_cycle' } });
    assert.equal(r.json.status, 'scheduled');
    assert.equal(r.json.effectiveAt, '2026-11-30T16:00:00.000Z');
    const lines = await call(t.app, 'GET', '/api/me/lines', { token: a.token });
    assert.equal(lines.json.items[0].scheduledPlan.id, p19);
    clock.set('2026-12-01T01:00:00Z');
    await t.s.charging.rolloverDue();
    const after_ = await call(t.app, 'GET', '/api/me/lines', { token: await relogin(t, a.msisdn) });
    assert.equal(after_.json.items[0].plan.id, p19);
    assert.equal(after_.json.items[0].scheduledPlan, null);
    assert.equal(await balanceOf(t.s, a.lineId), 20_000 - 5800 - 1900);
    clock.set('2026-11-10T02:00:00Z');
  });

  it('refuses a change while in arrears or suspended', async () => {
    const a = await subscriberWithLine(t, p39, { balanceFen: 0, creditLimitFen: 5000 });
    const r = await call(t.app, 'GET', `/api/me/plan-changes/eligibility?lineId=${a.lineId}&planId=${p58}`, { token: a.token });
    // Every reason that applies, for either timing.
    assert.deepEqual(r.json.reasons.map((x: { code: string }) => x.code), ['in_arrears', 'insufficient_funds']);
    assert.deepEqual(r.json.allowedTimings, []);
  });

  it('buys an add-on once per Idempotency-Key; two racing purchases cannot overspend', async () => {
    const pack = await t.s.catalog.createAddon(systemActor, { code: `d1g${process.pid}`, nameZh: '1GB流量包', nameEn: '1 GB pack', kind: 'data', quantity: GB, validityDays: 30, priceFen: 1000 });
    const a = await subscriberWithLine(t, p19, { balanceFen: 1900 + 1500 }); // ¥15 left: one pack, not two
    const body = { lineId: a.lineId, addonId: pack.id };
    const headers = { 'idempotency-key': `buy-${a.lineId}` };
    const [r1, r2] = await Promise.all([
      call(t.app, 'POST', '/api/me/orders', { token: a.token, body, headers }),
      call(t.app, 'POST', '/api/me/orders', { token: a.token, body, headers }),
    ]);
    assert.deepEqual([r1.status, r2.status], [201, 201]);
    assert.equal(r1.json.id, r2.json.id);
    assert.ok(r1.headers['idempotency-replayed'] === 'true' || r2.headers['idempotency-replayed'] === 'true');
    assert.equal(await balanceOf(t.s, a.lineId), 500);
    const other = await call(t.app, 'POST', '/api/me/orders', { token: a.token, body: { ...body, lineId: a.lineId }, headers: { 'idempotency-key': `buy-${a.lineId}` } });
    assert.equal(other.status, 201, 'same key, same body: replay');
    const reused = await call(t.app, 'POST', '/api/me/orders', { token: a.token, body: { lineId: a.lineId, addonId: p19 }, headers });
    assert.equal(reused.json.code, 'idempotency_key_reused');

    // Race without keys: ¥25 buys two packs of ¥10, never three.
    const b = await subscriberWithLine(t, p19, { balanceFen: 1900 + 2500 });
    const results = await Promise.all(Array.from({ length: 6 }, () => call(t.app, 'POST', '/api/me/orders', { token: b.token, body: { lineId: b.lineId, addonId: pack.id } })));
    assert.equal(results.filter((r) => r.status === 201).length, 2);
    assert.ok(results.filter((r) => r.status !== 201).every((r) => r.json.code === 'insufficient_funds'));
    assert.equal(await balanceOf(t.s, b.lineId), 500);
    const usage = await call(t.app, 'GET', '/api/me/usage', { token: b.token });
    assert.equal(usage.json.totals.find((x: { kind: string }) => x.kind === 'data').allowance, 5 * GB + 2 * GB);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('recommends the cheapest plan for the last three cycles of real usage', async () => {
    clock.set('2026-08-05T02:00:00Z');
    const a = await subscriberWithLine(t, p88c, { balanceFen: 100_000 });
    for (const [i, month] of ['2026-08-10', '2026-09-10', '2026-10-10'].entries()) {
      clock.set(`${month}T02:00:00Z`);
      await t.s.charging.ingest([{ id: `h${i}-${a.lineId}`, msisdn: a.msisdn, type: 'data', quantity: 4 * GB, startedAt: `${month}T01:00:00Z` }]);
    }
    clock.set('2026-11-10T02:00:00Z');
    await t.s.charging.rolloverDue();
    const r = await call(t.app, 'GET', '/api/me/plan-recommendation', { token: await relogin(t, a.msisdn) });
    assert.equal(r.json.cyclesConsidered, 3);
    assert.equal(r.json.usage.dataBytes, 4 * GB);
    assert.equal(r.json.reason, 'cheaper_plan_fits');
    assert.equal(r.json.recommended.id, p19);
    assert.deepEqual(r.json.monthlySaving, { amount: 8800 - 1900, currency: 'CNY' });
  });
});

describe('staff line view and adjustments', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  it('an agent adjusts a balance with a reason: ledger entry, audit record, masked number', async () => {
    const { staffLogin } = await import('../../test/factories.js');
    const plan = await makePlan(t.s, { monthlyFeeFen: 0 });
    const { lineId, msisdn } = await makeLine(t.s, plan.id, { balanceFen: 1000 });
    const agent = await staffLogin(t.app, t.s, 'agent');
    const analyst = await staffLogin(t.app, t.s, 'analyst');
    const found = await call(t.app, 'GET', `/api/admin/lines?msisdn=${msisdn}`, { token: agent.tokens.accessToken });
    assert.equal(found.json.items[0].msisdn, `${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`);
    const denied = await call(t.app, 'POST', `/api/admin/lines/${lineId}/adjustments`, { token: analyst.tokens.accessToken, body: { amountFen: 100, reason: 'goodwill' } });
    assert.equal(denied.status, 403);
    const r = await call(t.app, 'POST', `/api/admin/lines/${lineId}/adjustments`, { token: agent.tokens.accessToken, body: { amountFen: 1050, reason: 'network outage credit' }, headers: { 'idempotency-key': `adj-${lineId}` } });
    assert.equal(r.status, 201);
    assert.deepEqual(r.json.balance, { amount: 2050, currency: 'CNY' });
    const again = await call(t.app, 'POST', `/api/admin/lines/${lineId}/adjustments`, { token: agent.tokens.accessToken, body: { amountFen: 1050, reason: 'network outage credit' }, headers: { 'idempotency-key': `adj-${lineId}` } });
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.equal(await balanceOf(t.s, lineId), 2050);
    const bad = await call(t.app, 'POST', `/api/admin/lines/${lineId}/adjustments`, { token: agent.tokens.accessToken, body: { amountFen: 0, reason: 'nothing' } });
    assert.equal(bad.status, 400);
    const ledger = await call(t.app, 'GET', `/api/admin/lines/${lineId}/ledger`, { token: agent.tokens.accessToken });
    assert.deepEqual(ledger.json.items.map((e: { kind: string; amount: { amount: number } }) => [e.kind, e.amount.amount]), [['staff_adjustment', 1050], ['opening_balance', 1000]]);
    const audit = await t.s.audit.list({ resourceId: lineId, action: 'line.balance_adjust' });
    assert.equal(audit.items.length, 1);
    assert.equal((audit.items[0]!.details as { reason: string }).reason, 'network outage credit');
  });
});
