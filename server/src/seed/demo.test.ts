import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { call } from '../../test/factories.js';
import { DEMO_LINES, DEMO_SUBSCRIBERS, seedDemo } from './demo.js';

// `npm start` loads this into an empty database: it must work, and leave books that balance.
describe('demo seed', () => {
  let t: TestContext;
  const dir = path.resolve(`.test-data/seed-${process.pid}`);
  before(async () => {
    mkdirSync(dir, { recursive: true });
    t = await createTestContext({ env: { DATA_DIR: dir } });
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads catalog, lines with months of rated usage, and working demo accounts, once', async () => {
    assert.equal(await seedDemo(t.s), true);
    assert.equal(await seedDemo(t.s), false, 'a second start leaves the data alone');
    const counts = await sql<{ lines: number; events: number; plans: number }>`SELECT
      (SELECT count(*)::int FROM line) AS lines, (SELECT count(*)::int FROM usage_event) AS events, (SELECT count(*)::int FROM plan) AS plans`.execute(t.s.db);
    const c = counts.rows[0]!;
    assert.equal(c.lines, DEMO_LINES);
    assert.ok(c.events > DEMO_LINES * 30, `${c.events} usage records`);
    assert.equal(c.plans, 5);
    assert.deepEqual(await t.s.ledger.verify(), []);
    const password = /password: (\S+)/.exec(readFileSync(path.join(dir, 'demo-credentials.txt'), 'utf8'))![1]!;
    const login = await call(t.app, 'POST', '/api/auth/login', { body: { phone: DEMO_SUBSCRIBERS[0].phone, password } });
    assert.equal(login.status, 200);
    const lines = await call(t.app, 'GET', '/api/me/lines', { token: login.json.accessToken });
    assert.equal(lines.json.items[0].plan.code, DEMO_SUBSCRIBERS[0].plan);
    const staff = await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: 'agent', password } });
    assert.equal(staff.status, 200);
    // Campaigns: one sent with a report that has conversions, one draft; the demo subscriber has an offer to take.
    const marketer = await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: 'marketer', password } });
    const list = await call(t.app, 'GET', '/api/admin/campaigns', { token: marketer.json.accessToken });
    assert.deepEqual(list.json.items.map((x: { status: string }) => x.status).sort(), ['completed', 'draft']);
    const sent = list.json.items.find((x: { status: string }) => x.status === 'completed');
    const report = await call(t.app, 'GET', `/api/admin/campaigns/${sent.id}/report`, { token: marketer.json.accessToken });
    assert.ok(report.json.funnel.converted > 0 && report.json.control.converted > 0, JSON.stringify(report.json.funnel));
    const offers = await call(t.app, 'GET', '/api/me/offers', { token: login.json.accessToken });
    assert.equal(offers.json.items.length, 1);
    assert.equal(offers.json.items[0].taken, false);
    // Loyalty: points earned from the demo top-ups, a check-in and a redeemed coupon.
    const points = await call(t.app, 'GET', `/api/me/points?lineId=${lines.json.items[0].id}`, { token: login.json.accessToken });
    assert.ok(points.json.balance > 0, JSON.stringify(points.json));
    const coupons = await call(t.app, 'GET', `/api/me/coupons?lineId=${lines.json.items[0].id}`, { token: login.json.accessToken });
    assert.equal(coupons.json.items.length, 1);
    const rewards = await call(t.app, 'GET', '/api/me/rewards', { token: login.json.accessToken });
    assert.ok(rewards.json.items.length >= 5);
  });

  it('has real labels: add-ons bought, lines run dry and topped up or closed; both models trained and every open customer scored', async () => {
    const r = await sql<{ addons: number; closed: number; closed_at: number; suspended: number; reactivated: number; orders: number }>`SELECT
      (SELECT count(*)::int FROM allowance_bucket WHERE source = 'addon') AS addons,
      (SELECT count(*)::int FROM line WHERE status = 'closed') AS closed,
      (SELECT count(*)::int FROM line WHERE closed_at IS NOT NULL) AS closed_at,
      (SELECT count(*)::int FROM outbox WHERE topic = 'line.suspended') AS suspended,
      (SELECT count(*)::int FROM outbox WHERE topic = 'line.reactivated') AS reactivated,
      (SELECT count(*)::int FROM customer_order WHERE kind = 'addon_purchase' AND status = 'completed' AND channel = 'self_service') AS orders`.execute(t.s.db);
    const c = r.rows[0]!;
    assert.ok(c.addons >= 10, JSON.stringify(c));
    assert.equal(c.orders, c.addons, 'every purchase is an order');
    assert.ok(c.closed >= 5 && c.closed < DEMO_LINES / 2, JSON.stringify(c));
    assert.equal(c.closed_at, c.closed);
    assert.ok(c.suspended >= 5 && c.reactivated >= 1, JSON.stringify(c));
    for (const d of DEMO_SUBSCRIBERS) {
      const line = await t.s.db.selectFrom('line').select('status').where('msisdn', '=', d.phone).executeTakeFirstOrThrow();
      assert.equal(line.status, 'active', `demo account ${d.phone} keeps working`);
    }
    const models = await t.s.db.selectFrom('model').select(['id', 'target', 'label_counts']).execute();
    assert.deepEqual(models.map((m) => m.target).sort(), ['churn', 'purchase']);
    const open = await sql<{ n: number }>`SELECT count(DISTINCT customer_id)::int AS n FROM line WHERE status <> 'closed'`.execute(t.s.db);
    for (const m of models) {
      const counts = m.label_counts;
      assert.ok(counts.positives >= 5 && counts.negatives >= 5, JSON.stringify(counts));
      const scored = await t.s.db.selectFrom('customer_score').select((eb) => eb.fn.countAll<number>().as('n')).where('model_id', '=', m.id).executeTakeFirstOrThrow();
      assert.equal(Number(scored.n), open.rows[0]!.n);
    }
  });
});
