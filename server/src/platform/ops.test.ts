import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../test/harness.js';

describe('operations endpoints', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  it('reports liveness and readiness', async () => {
    assert.equal((await t.app.inject('/health')).json().status, 'ok');
    const ready = await t.app.inject('/ready');
    assert.equal(ready.statusCode, 200);
    assert.equal(ready.json().status, 'ready');
  });

  it('publishes an OpenAPI 3.1 document with every API route and its security', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const p of ['/api/auth/otp', '/api/auth/register', '/api/auth/login', '/api/me', '/api/me/sessions/{id}', '/api/admin/users', '/api/admin/audit-log']) {
      assert.ok(doc.paths[p], `missing ${p}`);
    }
    assert.ok(doc.paths['/api/auth/login'].post.responses['4XX']);
    const docs = await t.app.inject('/docs/');
    assert.ok(docs.statusCode < 400, `docs: ${docs.statusCode}`);
  });

  it('exposes Prometheus metrics including request durations', async () => {
    await t.app.inject('/health');
    const m = await t.app.inject('/metrics');
    assert.equal(m.statusCode, 200);
    assert.match(m.body, /telehall_http_request_duration_seconds_bucket/);
    assert.match(m.body, /telehall_process_cpu_user_seconds_total/);
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const r = await t.app.inject('/api/nope');
    assert.equal(r.statusCode, 404);
    assert.equal(r.json().code, 'route_not_found');
  });
});
