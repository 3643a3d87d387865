import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, staffLogin } from '../../../test/factories.js';

describe('staff administration', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  it('an admin creates an agent, who can sign in; the act is audited', async () => {
    const admin = await staffLogin(t.app, t.s, 'admin');
    const created = await call(t.app, 'POST', '/api/admin/users', {
      token: admin.tokens.accessToken,
      body: { username: 'zhang.agent', displayName: '张客服', role: 'agent', password: 'agent-pass-1' },
    });
    assert.equal(created.status, 201);
    assert.equal(created.json.role, 'agent');
    assert.equal(created.json.password_hash, undefined);
    const dup = await call(t.app, 'POST', '/api/admin/users', {
      token: admin.tokens.accessToken,
      body: { username: 'zhang.agent', displayName: 'x', role: 'agent', password: 'agent-pass-1' },
    });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.code, 'username_taken');
    const login = await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: 'zhang.agent', password: 'agent-pass-1' } });
    assert.equal(login.status, 200);
    const audit = await call(t.app, 'GET', `/api/admin/audit-log?resourceId=${created.json.id}`, { token: admin.tokens.accessToken });
    const entry = audit.json.items.find((e: { action: string }) => e.action === 'staff_user.create');
    assert.equal(entry.actorName, admin.username);
    assert.equal(entry.resourceType, 'staff_user');
    assert.ok(entry.ip);
  });

  it('re-roling takes effect on the next request; disabling signs the user out', async () => {
    const admin = await staffLogin(t.app, t.s, 'admin');
    const agent = await staffLogin(t.app, t.s, 'agent');
    const me = await call(t.app, 'GET', '/api/admin/me', { token: agent.tokens.accessToken });
    assert.equal((await call(t.app, 'GET', '/api/admin/messages', { token: agent.tokens.accessToken })).status, 200);
    await call(t.app, 'PATCH', `/api/admin/users/${me.json.id}`, { token: admin.tokens.accessToken, body: { role: 'analyst' } });
    assert.equal((await call(t.app, 'GET', '/api/admin/messages', { token: agent.tokens.accessToken })).status, 403);
    const dis = await call(t.app, 'PATCH', `/api/admin/users/${me.json.id}`, { token: admin.tokens.accessToken, body: { status: 'disabled' } });
    assert.equal(dis.json.status, 'disabled');
    assert.equal((await call(t.app, 'GET', '/api/admin/me', { token: agent.tokens.accessToken })).status, 401);
    assert.equal((await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: agent.username, password: agent.password } })).status, 401);
    const audit = await call(t.app, 'GET', `/api/admin/audit-log?resourceId=${me.json.id}&action=staff_user.update`, { token: admin.tokens.accessToken });
    assert.equal(audit.json.items.length, 2);
  });

  it('an admin cannot demote or disable themselves', async () => {
    const admin = await staffLogin(t.app, t.s, 'admin');
    const me = await call(t.app, 'GET', '/api/admin/me', { token: admin.tokens.accessToken });
    const r = await call(t.app, 'PATCH', `/api/admin/users/${me.json.id}`, { token: admin.tokens.accessToken, body: { status: 'disabled' } });
    assert.equal(r.status, 422);
    assert.equal(r.json.code, 'cannot_change_self');
  });

  it('locks a staff account after 5 wrong passwords', async () => {
    const agent = await staffLogin(t.app, t.s, 'agent');
    const codes = [];
    for (let i = 0; i < 5; i++) {
      codes.push((await call(t.app, 'POST', '/api/auth/staff/login', { body: { username: agent.username, password: 'wrong' } })).json.code);
    }
    assert.deepEqual(codes, ['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'account_locked']);
  });

  it('rate-limits sign-in attempts per address', async () => {
    const strict = await createTestContext({ rateLimitScale: 1 });
    try {
      const statuses = [];
      for (let i = 0; i < 22; i++) {
        statuses.push((await call(strict.app, 'POST', '/api/auth/staff/login', { body: { username: `nobody${i}`, password: 'x' } })).status);
      }
      assert.equal(statuses.filter((x) => x === 429).length, 2);
    } finally {
      await strict.close();
    }
  });
});
