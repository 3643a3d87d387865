import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tokens } from '@telehall/contracts';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { balanceOf, call, lastCode, makeLine, makePlan, staffLogin, systemActor } from '../../../test/factories.js';

describe('orders: recorded by the flows, placed by staff, listed for staff and subscribers', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let t: TestContext;
  let p39: string, p58: string, addonId: string;
  let agent: string, admin: string, analyst: string;

  async function subscriberWithLine(balanceFen = 20_000) {
    const line = await makeLine(t.s, p39, { balanceFen });
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(t.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(t.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201, JSON.stringify(reg.json));
    return { ...line, token: (reg.json as Tokens).accessToken };
  }

  before(async () => {
    t = await createTestContext({ clock });
    p39 = (await makePlan(t.s, { monthlyFeeFen: 3900 })).id;
    p58 = (await makePlan(t.s, { monthlyFeeFen: 5800 })).id;
    addonId = (await t.s.catalog.createAddon(systemActor, { code: `ord${process.pid}`, nameZh: '1GB流量包', nameEn: '1 GB pack', kind: 'data', quantity: 1024 ** 3, validityDays: 30, priceFen: 1000 })).id;
    agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    admin = (await staffLogin(t.app, t.s, 'admin')).tokens.accessToken;
    analyst = (await staffLogin(t.app, t.s, 'analyst')).tokens.accessToken;
  });
  after(() => t.close());

  it('an add-on bought in the app is a completed self-service order in "my orders", with its history, and nobody else’s', async () => {
    const a = await subscriberWithLine();
    const b = await subscriberWithLine();
    const bought = await call(t.app, 'POST', '/api/me/orders', { token: a.token, body: { lineId: a.lineId, addonId } });
    assert.equal(bought.status, 201, JSON.stringify(bought.json));
    const mine = await call(t.app, 'GET', '/api/me/orders', { token: a.token });
    assert.equal(mine.status, 200);
    assert.equal(mine.json.items.length, 1);
    const o = mine.json.items[0];
    assert.deepEqual([o.kind, o.status, o.channel, o.title, o.amount.amount, o.refType, o.refId, o.msisdn], ['addon_purchase', 'completed', 'self_service', '1GB流量包', 1000, 'allowance_bucket', bought.json.id, a.msisdn]);
    const detail = await call(t.app, 'GET', `/api/me/orders/${o.id}`, { token: a.token });
    assert.deepEqual(detail.json.history.map((h: { status: string }) => h.status), ['completed']);
    assert.equal(detail.json.details.addon, `ord${process.pid}`);
    assert.equal((await call(t.app, 'GET', `/api/me/orders/${o.id}`, { token: b.token })).json.code, 'order_not_found');
    assert.deepEqual((await call(t.app, 'GET', '/api/me/orders', { token: b.token })).json.items, []);
  });

  it('a plan change for the next cycle is pending, cancelled when replaced, completed at rollover', async () => {
    const a = await subscriberWithLine();
    const first = await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p58, when: 'next_cycle' } });
    assert.equal(first.status, 201, JSON.stringify(first.json));
    const p19 = (await makePlan(t.s, { monthlyFeeFen: 1900 })).id;
    await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p19, when: 'next_cycle' } });
    const second = await call(t.app, 'POST', '/api/me/plan-changes', { token: a.token, body: { lineId: a.lineId, planId: p58, when: 'next_cycle' } });
    const orders = (await call(t.app, 'GET', '/api/me/orders', { token: a.token })).json.items;
    assert.deepEqual(orders.map((o: { status: string }) => o.status), ['pending', 'cancelled', 'cancelled']);
    clock.set('2026-12-01T01:00:00Z');
    await t.s.charging.rolloverDue();
    const token = (await call(t.app, 'POST', '/api/auth/login', { body: { phone: a.msisdn, password: 'secret-pass-1' } })).json.accessToken;
    const done = (await call(t.app, 'GET', '/api/me/orders?limit=1', { token })).json.items[0];
    assert.equal(done.refId, second.json.id);
    assert.equal(done.status, 'completed');
    const history = (await call(t.app, 'GET', `/api/me/orders/${done.id}`, { token })).json.history;
    assert.deepEqual(history.map((h: { status: string; actor: string }) => `${h.status}:${h.actor.split(':')[0]}`), ['pending:subscriber', 'completed:system']);
    assert.equal(history[1].at, '2026-12-01T01:00:00.000Z');
    const cancelled = (await call(t.app, 'GET', `/api/me/orders/${orders[2].id}`, { token })).json;
    assert.equal(cancelled.history.at(-1).note, 'replaced by a newer plan change');
    clock.set('2026-11-10T02:00:00Z');
  });

  it('an agent places an add-on order for a customer: the same flow, audited, idempotent, shown to staff masked and to the subscriber', async () => {
    const a = await subscriberWithLine();
    const before = await balanceOf(t.s, a.lineId);
    const place = (token: string, body: unknown, key?: string) =>
      call(t.app, 'POST', `/api/admin/customers/${a.customerId}/orders`, { token, body, ...(key ? { headers: { 'idempotency-key': key } } : {}) });
    const r = await place(agent, { kind: 'addon_purchase', lineId: a.lineId, addonId }, `sale-${a.lineId}`);
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.deepEqual([r.json.kind, r.json.status, r.json.channel, r.json.customerId], ['addon_purchase', 'completed', 'staff', a.customerId]);
    assert.match(r.json.msisdn, /^\d{3}\*{4}\d{4}$/);
    assert.equal(await balanceOf(t.s, a.lineId), before - 1000);
    const again = await place(agent, { kind: 'addon_purchase', lineId: a.lineId, addonId }, `sale-${a.lineId}`);
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.equal(again.json.id, r.json.id);
    assert.equal(await balanceOf(t.s, a.lineId), before - 1000, 'charged once');
    const audit = await t.s.db.selectFrom('audit_log').selectAll().where('action', '=', 'line.addon_purchase').where('resource_id', '=', a.lineId).execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_kind, 'staff');
    // In the console lists (masked for the agent, full for the admin) and in the subscriber's "my orders".
    const list = await call(t.app, 'GET', `/api/admin/customers/${a.customerId}/orders`, { token: agent });
    assert.deepEqual(list.json.items.map((o: { id: string }) => o.id), [r.json.id]);
    const full = await call(t.app, 'GET', `/api/admin/orders/${r.json.id}`, { token: admin });
    assert.equal(full.json.msisdn, a.msisdn);
    assert.deepEqual(full.json.history.map((h: { status: string }) => h.status), ['completed']);
    const mine = await call(t.app, 'GET', '/api/me/orders', { token: a.token });
    assert.deepEqual(mine.json.items.map((o: { id: string; channel: string }) => `${o.id}:${o.channel}`), [`${r.json.id}:staff`]);
  });

  it('a sale the rules refuse answers like self-service and is kept as a failed order; wrong customer, permission and body are refused', async () => {
    const a = await subscriberWithLine();
    const other = await subscriberWithLine();
    const url = `/api/admin/customers/${a.customerId}/orders`;
    const eligibility = await call(t.app, 'GET', `/api/me/plan-changes/eligibility?lineId=${a.lineId}&planId=${p39}&when=now`, { token: a.token });
    const same = await call(t.app, 'POST', url, { token: agent, body: { kind: 'plan_change', lineId: a.lineId, planId: p39, when: 'now' } });
    assert.equal(same.status, 422);
    assert.equal(same.json.code, 'plan_change_not_allowed');
    assert.deepEqual(same.json.details.reasons, eligibility.json.reasons);
    const failed = (await call(t.app, 'GET', `${url}?status=failed`, { token: agent })).json.items;
    assert.equal(failed.length, 1);
    const d = (await call(t.app, 'GET', `/api/admin/orders/${failed[0].id}`, { token: agent })).json;
    assert.equal(d.history[0].note, same.json.message);
    assert.equal(d.channel, 'staff');
    // A line of another customer: not found, nothing recorded.
    const foreign = await call(t.app, 'POST', url, { token: agent, body: { kind: 'addon_purchase', lineId: other.lineId, addonId } });
    assert.equal(foreign.json.code, 'line_not_found');
    assert.equal((await call(t.app, 'GET', `/api/admin/customers/${other.customerId}/orders`, { token: agent })).json.items.length, 0);
    assert.equal((await call(t.app, 'POST', url, { token: analyst, body: { kind: 'addon_purchase', lineId: a.lineId, addonId } })).status, 403);
    assert.equal((await call(t.app, 'POST', url, { token: agent, body: { kind: 'addon_purchase', lineId: a.lineId } })).status, 400);
    assert.equal((await call(t.app, 'POST', '/api/admin/customers/00000000-0000-4000-8000-000000000000/orders', { token: agent, body: { kind: 'addon_purchase', lineId: a.lineId, addonId } })).json.code, 'customer_not_found');
    // A plan change placed by staff now: completed, charged the difference.
    const up = await call(t.app, 'POST', url, { token: agent, body: { kind: 'plan_change', lineId: a.lineId, planId: p58, when: 'now' } });
    assert.equal(up.status, 201, JSON.stringify(up.json));
    assert.deepEqual([up.json.status, up.json.amount.amount, up.json.details.when], ['completed', 1900, 'now']);
  });

  it('search pages with a cursor, filters, finds by phone, and rejects a bad cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: { json: { items: { id: string }[]; nextCursor: string | null } } = await call(t.app, 'GET', `/api/admin/orders?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: agent });
      for (const o of page.json.items) {
        assert.ok(!seen.has(o.id), 'no order twice');
        seen.add(o.id);
      }
      cursor = page.json.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const total = await t.s.db.selectFrom('customer_order').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(seen.size, Number(total.n));
    const addons = await call(t.app, 'GET', '/api/admin/orders?kind=addon_purchase&status=completed', { token: agent });
    assert.ok(addons.json.items.length >= 2 && addons.json.items.every((o: { kind: string; status: string }) => o.kind === 'addon_purchase' && o.status === 'completed'));
    const one = await t.s.db.selectFrom('customer_order as o').innerJoin('line as l', 'l.id', 'o.line_id').select(['l.msisdn', 'o.customer_id']).limit(1).executeTakeFirstOrThrow();
    const byPhone = await call(t.app, 'GET', `/api/admin/orders?q=${one.msisdn}`, { token: agent });
    assert.ok(byPhone.json.items.length >= 1 && byPhone.json.items.every((o: { customerId: string }) => o.customerId === one.customer_id));
    assert.equal((await call(t.app, 'GET', '/api/admin/orders?cursor=nope', { token: agent })).json.code, 'invalid_cursor');
    assert.equal((await call(t.app, 'GET', '/api/admin/orders?status=shipped', { token: agent })).status, 400);
    const audit = await t.s.db.selectFrom('audit_log').select('id').where('action', '=', 'order.search').execute();
    assert.ok(audit.length >= pages);
  });
});
