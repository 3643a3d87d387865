import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, makeLine, makePlan, staffLogin } from '../../../test/factories.js';

describe('churn model trained on lines closed in the last complete cycle', () => {
  const clock = new ManualClock('2026-08-10T00:00:00Z');
  let t: TestContext;
  let token: string;
  const poor: string[] = [];
  const poorLines: string[] = [];
  const rich: string[] = [];
  before(async () => {
    t = await createTestContext({ clock });
    const dear = await makePlan(t.s, { monthlyFeeFen: 4500 });
    const cheap = await makePlan(t.s, { monthlyFeeFen: 3900 });
    // Eight customers whose balance runs out at the October rollover, twelve who can pay.
    for (let i = 0; i < 8; i++) {
      const l = await makeLine(t.s, dear.id, { balanceFen: 9000, at: clock.now() });
      poor.push(l.customerId);
      poorLines.push(l.lineId);
    }
    for (let i = 0; i < 12; i++) rich.push((await makeLine(t.s, cheap.id, { balanceFen: 30_000, at: clock.now() })).customerId);
    clock.set('2026-09-02T00:00:00Z');
    await t.s.charging.rolloverDue();
    clock.set('2026-10-02T00:00:00Z');
    await t.s.charging.rolloverDue(); // the poor ones are suspended now, inside October…
    clock.set('2026-10-20T03:00:00Z');
    const agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    for (const id of poorLines) { // …and leave: an agent closes their lines
      const closed = await call(t.app, 'POST', `/api/admin/lines/${id}/close`, { token: agent, body: { reason: 'customer left' } });
      assert.equal(closed.status, 200, JSON.stringify(closed.json));
      assert.equal(closed.json.closedAt, '2026-10-20T03:00:00.000Z');
    }
    clock.set('2026-11-15T04:00:00Z');
    token = (await staffLogin(t.app, t.s, 'analyst')).tokens.accessToken;
  });
  after(() => t.close());

  it('labels from the cycle after the cutoff, metrics, importances, tree, scores for all', async () => {
    const r = await call(t.app, 'POST', '/api/admin/models', { token, body: { target: 'churn', maxDepth: 3, minSamplesLeaf: 1 } });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    const m = r.json;
    assert.equal(m.cutoff, '2026-09-30T16:00:00.000Z'); // start of October, Beijing
    assert.equal(m.labelWindowEnd, '2026-10-31T16:00:00.000Z');
    assert.deepEqual(m.labelCounts, { positives: 8, negatives: 12 });
    assert.equal(m.metrics.trainSize + m.metrics.testSize, 20);
    assert.equal(m.metrics.accuracy, 1);
    assert.equal(m.metrics.auc, 1);
    assert.equal(m.importances[0].feature, 'plan_fee_fen');
    assert.ok(m.tree.nodes.length >= 3);
    assert.equal(m.scored, 12); // the eight who left have no open line to score
    assert.equal(m.version, 1);
    const again = await call(t.app, 'GET', `/api/admin/models/${m.id}`, { token });
    assert.deepEqual(again.json, m);
    // Scored now: the customers who left have no open line, so only the twelve who stay get a score.
    const scores = await t.s.db.selectFrom('customer_score').selectAll().where('model_id', '=', m.id).execute();
    assert.equal(scores.length, 12);
    for (const s of scores) assert.equal(s.score, 0);
  });

  it('closing a line is audited, ends its allowances, and answers 404 the second time', async () => {
    const line = await t.s.db.selectFrom('line').selectAll().where('id', '=', poorLines[0]!).executeTakeFirstOrThrow();
    assert.equal(line.status, 'closed');
    assert.equal(line.closed_at?.toISOString(), '2026-10-20T03:00:00.000Z');
    const live = await t.s.db.selectFrom('allowance_bucket').select('id').where('line_id', '=', line.id).where('expires_at', '>', line.closed_at).execute();
    assert.equal(live.length, 0);
    const audit = await t.s.db.selectFrom('audit_log').selectAll().where('action', '=', 'line.close').where('resource_id', '=', line.id).execute();
    assert.equal(audit.length, 1);
    const agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    assert.equal((await call(t.app, 'POST', `/api/admin/lines/${line.id}/close`, { token: agent, body: { reason: 'again' } })).json.code, 'line_not_found');
    assert.equal((await call(t.app, 'POST', `/api/admin/lines/${line.id}/close`, { token, body: { reason: 'analyst' } })).status, 403);
    assert.equal((await call(t.app, 'POST', `/api/admin/lines/${rich[0]}/close`, { token: agent, body: {} })).status, 400);
  });

  it('a customer’s prediction carries the decision path as a reason and is audited; the 360 shows the stored score', async () => {
    const r = await call(t.app, 'GET', `/api/admin/customers/${rich[1]}/prediction`, { token });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const [p] = r.json.predictions;
    assert.equal(p.target, 'churn');
    assert.equal(p.score, 0);
    assert.equal(p.reason, 'plan_fee_fen ≤ ¥42.00 → churn risk 0.00');
    const audit = await t.s.db.selectFrom('audit_log').selectAll().where('action', '=', 'customer.view.prediction').where('resource_id', '=', rich[1]!).execute();
    assert.equal(audit.length, 1);
    // A customer who left has no features now: the prediction says so with a stable code.
    assert.equal((await call(t.app, 'GET', `/api/admin/customers/${poor[0]}/prediction`, { token })).json.code, 'no_features');
    const c360 = await call(t.app, 'GET', `/api/admin/customers/${rich[1]}/360`, { token });
    assert.equal(c360.status, 200, JSON.stringify(c360.json));
    assert.equal(c360.json.scores.length, 1);
    assert.equal(c360.json.scores[0].target, 'churn');
    assert.equal(c360.json.scores[0].score, 0);
    assert.equal(c360.json.scores[0].reason, 'plan_fee_fen ≤ ¥42.00 → churn risk 0.00');
    assert.equal(c360.json.scores[0].modelId, p.modelId);
    assert.equal(c360.json.scores[0].scoredAt, '2026-11-15T04:00:00.000Z');
    assert.deepEqual((await call(t.app, 'GET', `/api/admin/customers/${poor[0]}/360`, { token })).json.scores, []);
    const one = await call(t.app, 'POST', `/api/admin/models/${p.modelId}/predict`, { token, body: { customerId: rich[0] } });
    assert.equal(one.status, 200);
    assert.equal(one.json.reason, 'plan_fee_fen ≤ ¥42.00 → churn risk 0.00');
    const missing = '00000000-0000-4000-8000-000000000000';
    assert.equal((await call(t.app, 'GET', `/api/admin/customers/${missing}/prediction`, { token })).json.code, 'customer_not_found');
    assert.equal((await call(t.app, 'POST', `/api/admin/models/${missing}/predict`, { token, body: { customerId: rich[0] } })).json.code, 'model_not_found');
    assert.equal((await call(t.app, 'POST', '/api/admin/models', { token, body: { target: 'revenue' } })).status, 400);
    assert.equal((await call(t.app, 'POST', '/api/admin/models', { token, body: { target: 'churn', maxDepth: 0 } })).status, 400);
  });

  it('the nightly job re-scores every customer with the latest model once the features are a day old', async () => {
    const model = (await t.s.db.selectFrom('model').select('id').where('target', '=', 'churn').orderBy('version', 'desc').executeTakeFirstOrThrow()).id;
    const before = await t.s.db.selectFrom('customer_score').select(['snapshot_id', 'scored_at']).where('model_id', '=', model).execute();
    clock.set('2026-11-16T05:00:00Z');
    const stop = t.s.analytics.startNightly(5);
    try {
      for (let i = 0; i < 200; i++) {
        await new Promise((r) => setTimeout(r, 10));
        await t.s.analytics.idle();
        const now = await t.s.db.selectFrom('customer_score').select(['snapshot_id', 'scored_at']).where('model_id', '=', model).execute();
        if (now.length && now.every((x) => x.scored_at.toISOString() === '2026-11-16T05:00:00.000Z')) break;
      }
    } finally {
      stop();
      await t.s.analytics.idle();
    }
    const after = await t.s.db.selectFrom('customer_score').select(['snapshot_id', 'scored_at']).where('model_id', '=', model).execute();
    assert.equal(after.length, before.length);
    assert.ok(after.every((x) => x.scored_at.toISOString() === '2026-11-16T05:00:00.000Z'), 'rescored at the new time');
    assert.notEqual(after[0]!.snapshot_id, before[0]!.snapshot_id, 'from a fresh feature snapshot');
    const fresh = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken; // a day later: the old token has expired
    const c360 = await call(t.app, 'GET', `/api/admin/customers/${rich[1]}/360`, { token: fresh });
    clock.set('2026-11-15T04:00:00Z');
    assert.equal(c360.json.scores[0].scoredAt, '2026-11-16T05:00:00.000Z');
  });

  it('the IBM Telco benchmark sits next to scikit-learn’s numbers', async () => {
    const r = await call(t.app, 'GET', '/api/admin/analytics/telco-benchmark', { token });
    if (r.status === 422) {
      assert.equal(r.json.code, 'telco_data_missing');
      return;
    }
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.rows, 7043);
    assert.equal(r.json.features, 45);
    assert.ok(Math.abs(r.json.ours.f1 - r.json.sklearn.f1) < 0.05, JSON.stringify(r.json));
    assert.ok(r.json.ours.auc > 0.7);
  });
});
