import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, lastCode, newPhone, registerSubscriber, staffLogin } from '../../../test/factories.js';

describe('subscriber identity', () => {
  const clock = new ManualClock('2026-11-22T08:00:00Z');
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(() => t.close());
  const next = () => clock.advance(61_000); // past the one-a-minute OTP limit

  it('registers with an SMS code, then signs in by password and by code', async () => {
    const { phone, tokens } = await registerSubscriber(t.app, t.s);
    const me = await call(t.app, 'GET', '/api/me', { token: tokens.accessToken });
    assert.equal(me.status, 200);
    assert.equal(me.json.phone, phone);
    assert.equal(me.json.name, 'Test User');
    assert.equal(me.json.locale, 'zh-CN');

    const byPw = await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'secret-pass-1' } });
    assert.equal(byPw.status, 200);
    next();
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'login' } });
    const byCode = await call(t.app, 'POST', '/api/auth/login', { body: { phone, otp: await lastCode(t.s, phone) } });
    assert.equal(byCode.status, 200);
    const sessions = await call(t.app, 'GET', '/api/me/sessions', { token: byCode.json.accessToken });
    assert.equal(sessions.json.items.length, 3);
    assert.equal(sessions.json.items.filter((x: { current: boolean }) => x.current).length, 1);
  });

  it('edits the profile and rejects bad values without changing anything', async () => {
    const { tokens } = await registerSubscriber(t.app, t.s);
    const ok = await call(t.app, 'PATCH', '/api/me', { token: tokens.accessToken, body: { name: '王芳', email: 'wf@example.com', locale: 'en' } });
    assert.equal(ok.status, 200);
    assert.deepEqual([ok.json.name, ok.json.email, ok.json.locale], ['王芳', 'wf@example.com', 'en']);
    for (const body of [{ email: 'not-an-email' }, { locale: 'fr' }, { name: '' }, {}, { phone: '13800000000' }]) {
      const bad = await call(t.app, 'PATCH', '/api/me', { token: tokens.accessToken, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
      assert.equal(bad.json.code, 'invalid_request');
    }
    const me = await call(t.app, 'GET', '/api/me', { token: tokens.accessToken });
    assert.deepEqual([me.json.name, me.json.email], ['王芳', 'wf@example.com']);
  });

  it('rotates refresh tokens and revokes the whole session when a used one comes back', async () => {
    const { tokens } = await registerSubscriber(t.app, t.s);
    const r1 = await call(t.app, 'POST', '/api/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
    assert.equal(r1.status, 200);
    assert.notEqual(r1.json.refreshToken, tokens.refreshToken);
    assert.equal(r1.json.sessionId, tokens.sessionId);
    // The old token again: theft is assumed, the family dies.
    const reuse = await call(t.app, 'POST', '/api/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
    assert.equal(reuse.status, 401);
    assert.equal(reuse.json.code, 'refresh_reused');
    const r2 = await call(t.app, 'POST', '/api/auth/refresh', { body: { refreshToken: r1.json.refreshToken } });
    assert.equal(r2.status, 401);
    const me = await call(t.app, 'GET', '/api/me', { token: r1.json.accessToken });
    assert.equal(me.status, 401);
    assert.equal(me.json.code, 'session_revoked');
  });

  it('expires access tokens after their lifetime', async () => {
    const { tokens } = await registerSubscriber(t.app, t.s);
    // Used (and so remembered as verified) while valid, then refused once expired.
    assert.equal((await call(t.app, 'GET', '/api/me', { token: tokens.accessToken })).status, 200);
    clock.advance((t.s.config.accessTokenTtlS - 1) * 1000);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: tokens.accessToken })).status, 200);
    clock.advance(2000);
    const me = await call(t.app, 'GET', '/api/me', { token: tokens.accessToken });
    assert.equal(me.status, 401);
    assert.equal(me.json.code, 'token_expired');
    const fresh = await call(t.app, 'POST', '/api/auth/refresh', { body: { refreshToken: tokens.refreshToken } });
    assert.equal((await call(t.app, 'GET', '/api/me', { token: fresh.json.accessToken })).status, 200);
  });

  it('locks the account for 15 minutes after 5 wrong passwords', async () => {
    const { phone, password } = await registerSubscriber(t.app, t.s);
    for (let i = 1; i <= 4; i++) {
      const r = await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'wrong-password' } });
      assert.equal(r.status, 401);
      assert.equal(r.json.code, 'invalid_credentials');
    }
    const fifth = await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'wrong-password' } });
    assert.equal(fifth.status, 423);
    assert.equal(fifth.json.code, 'account_locked');
    const right = await call(t.app, 'POST', '/api/auth/login', { body: { phone, password } });
    assert.equal(right.status, 423, 'even the right password waits out the lock');
    clock.advance(15 * 60_000 + 1000);
    assert.equal((await call(t.app, 'POST', '/api/auth/login', { body: { phone, password } })).status, 200);
  });

  it('counts parallel wrong passwords exactly', async () => {
    const { phone } = await registerSubscriber(t.app, t.s);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'wrong-password' } })),
    );
    assert.ok(results.some((r) => r.status === 423), 'the fifth failure locks even under concurrency');
  });

  it('answers the same for an unknown phone as for a wrong password', async () => {
    const r = await call(t.app, 'POST', '/api/auth/login', { body: { phone: newPhone(), password: 'whatever-123' } });
    assert.equal(r.status, 401);
    assert.equal(r.json.code, 'invalid_credentials');
    const otp = await call(t.app, 'POST', '/api/auth/otp', { body: { phone: newPhone(), purpose: 'login' } });
    assert.equal(otp.status, 202);
  });

  it('limits SMS codes: one a minute, ten a day, five tries, five minutes', async () => {
    const phone = newPhone();
    assert.equal((await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } })).status, 202);
    const soon = await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } });
    assert.equal(soon.status, 429);
    assert.equal(soon.json.code, 'otp_too_soon');
    assert.ok(Number(soon.headers['retry-after']) > 0);

    // Five wrong tries kill the code, even when the sixth is right.
    const code = await lastCode(t.s, phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await call(t.app, 'POST', '/api/auth/register', { body: { phone, otp: wrong, password: 'secret-pass-1' } });
      assert.equal(r.json.code, 'otp_invalid');
    }
    const sixth = await call(t.app, 'POST', '/api/auth/register', { body: { phone, otp: code, password: 'secret-pass-1' } });
    assert.equal(sixth.json.code, 'otp_attempts_exceeded');

    // Expiry after five minutes.
    next();
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } });
    const code2 = await lastCode(t.s, phone);
    clock.advance(5 * 60_000 + 1);
    const late = await call(t.app, 'POST', '/api/auth/register', { body: { phone, otp: code2, password: 'secret-pass-1' } });
    assert.equal(late.json.code, 'otp_expired');

    // Ten a day: two sent so far.
    for (let i = 0; i < 8; i++) {
      next();
      assert.equal((await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } })).status, 202);
    }
    next();
    const eleventh = await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } });
    assert.equal(eleventh.status, 429);
    assert.equal(eleventh.json.code, 'otp_daily_limit');
    const codes = await t.s.db.selectFrom('otp_code').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.equal(codes.n, 10);
  });

  it('resets a forgotten password by SMS and signs out every device', async () => {
    const { phone, tokens } = await registerSubscriber(t.app, t.s);
    next();
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'reset' } });
    const r = await call(t.app, 'POST', '/api/auth/password/reset', { body: { phone, otp: await lastCode(t.s, phone), newPassword: 'brand-new-pass' } });
    assert.equal(r.status, 204);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: tokens.accessToken })).status, 401);
    assert.equal((await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'secret-pass-1' } })).status, 401);
    assert.equal((await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'brand-new-pass' } })).status, 200);
  });

  it('changes the password, keeping this device and signing out the others', async () => {
    const { phone, tokens } = await registerSubscriber(t.app, t.s);
    const other = await call(t.app, 'POST', '/api/auth/login', { body: { phone, password: 'secret-pass-1' } });
    const wrong = await call(t.app, 'PUT', '/api/me/password', { token: tokens.accessToken, body: { currentPassword: 'nope-nope', newPassword: 'another-pass-9' } });
    assert.equal(wrong.json.code, 'current_password_wrong');
    const ok = await call(t.app, 'PUT', '/api/me/password', { token: tokens.accessToken, body: { currentPassword: 'secret-pass-1', newPassword: 'another-pass-9' } });
    assert.equal(ok.status, 204);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: tokens.accessToken })).status, 200);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: other.json.accessToken })).status, 401);
  });

  it('lets a subscriber revoke their own devices but not anyone else’s', async () => {
    const a = await registerSubscriber(t.app, t.s);
    const b = await registerSubscriber(t.app, t.s);
    const steal = await call(t.app, 'DELETE', `/api/me/sessions/${b.tokens.sessionId}`, { token: a.tokens.accessToken });
    assert.equal(steal.status, 404);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: b.tokens.accessToken })).status, 200);
    const second = await call(t.app, 'POST', '/api/auth/login', { body: { phone: a.phone, password: a.password } });
    assert.equal((await call(t.app, 'DELETE', `/api/me/sessions/${second.json.sessionId}`, { token: a.tokens.accessToken })).status, 204);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: second.json.accessToken })).status, 401);
    const mine = await call(t.app, 'GET', '/api/me', { token: a.tokens.accessToken });
    assert.equal(mine.json.phone, a.phone);
  });

  it('logs out: the access token stops working at once', async () => {
    const { tokens } = await registerSubscriber(t.app, t.s);
    assert.equal((await call(t.app, 'POST', '/api/auth/logout', { token: tokens.accessToken })).status, 204);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: tokens.accessToken })).status, 401);
    assert.equal((await call(t.app, 'POST', '/api/auth/refresh', { body: { refreshToken: tokens.refreshToken } })).status, 401);
  });

  it('does not register a number twice', async () => {
    const { phone } = await registerSubscriber(t.app, t.s);
    next();
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } });
    const sms = await t.s.db.selectFrom('message').select('template').where('recipient', '=', phone).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
    assert.equal(sms.template, 'auth.otp.already_registered');
    const again = await call(t.app, 'POST', '/api/auth/register', { body: { phone, otp: '123456', password: 'secret-pass-1' } });
    assert.equal(again.status, 409);
    assert.equal(again.json.code, 'phone_taken');
  });
});

describe('access control', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  it('keeps subscribers out of staff routes and staff out of subscriber routes', async () => {
    const sub = await registerSubscriber(t.app, t.s);
    for (const url of ['/api/admin/users', '/api/admin/audit-log', '/api/admin/messages', '/api/admin/me']) {
      const r = await call(t.app, 'GET', url, { token: sub.tokens.accessToken });
      assert.equal(r.status, 403, url);
      assert.equal(r.json.code, 'forbidden');
    }
    const agent = await staffLogin(t.app, t.s, 'agent');
    assert.equal((await call(t.app, 'GET', '/api/me', { token: agent.tokens.accessToken })).status, 403);
    assert.equal((await call(t.app, 'GET', '/api/admin/users')).status, 401);
    assert.equal((await call(t.app, 'GET', '/api/me', { token: 'garbage' })).json.code, 'token_invalid');
  });

  it('applies permissions per route and per role', async () => {
    const agent = await staffLogin(t.app, t.s, 'agent');
    const analyst = await staffLogin(t.app, t.s, 'analyst');
    assert.equal((await call(t.app, 'GET', '/api/admin/users', { token: agent.tokens.accessToken })).status, 403);
    assert.equal((await call(t.app, 'GET', '/api/admin/messages', { token: agent.tokens.accessToken })).status, 200);
    assert.equal((await call(t.app, 'GET', '/api/admin/messages', { token: analyst.tokens.accessToken })).status, 403);
    assert.equal((await call(t.app, 'GET', '/api/admin/audit-log', { token: agent.tokens.accessToken })).status, 403);
    const me = await call(t.app, 'GET', '/api/admin/me', { token: agent.tokens.accessToken });
    assert.equal(me.json.role, 'agent');
    assert.ok(me.json.permissions.includes('messages.read'));
  });

  it('masks phone numbers in the message log for roles without personal-data access, and audits the read', async () => {
    const sub = await registerSubscriber(t.app, t.s);
    const agent = await staffLogin(t.app, t.s, 'agent');
    const admin = await staffLogin(t.app, t.s, 'admin');
    const masked = await call(t.app, 'GET', '/api/admin/messages', { token: agent.tokens.accessToken });
    const mine = masked.json.items.find((m: { recipient: string }) => m.recipient.endsWith(sub.phone.slice(-4)));
    assert.equal(mine.recipient, `${sub.phone.slice(0, 3)}****${sub.phone.slice(-4)}`);
    const full = await call(t.app, 'GET', `/api/admin/messages?recipient=${sub.phone}`, { token: admin.tokens.accessToken });
    assert.equal(full.json.items[0].recipient, sub.phone);
    const audit = await call(t.app, 'GET', '/api/admin/audit-log?action=messages.read', { token: admin.tokens.accessToken });
    assert.ok(audit.json.items.some((e: { actorName: string }) => e.actorName === agent.username));
  });

  it('answers bad input with a 4xx and a code, never a 500', async () => {
    const cases: [string, string, unknown][] = [
      ['POST', '/api/auth/otp', { phone: '12345', purpose: 'register' }],
      ['POST', '/api/auth/otp', { phone: '13800138000', purpose: 'hack' }],
      ['POST', '/api/auth/otp', { phone: ['13800138000'], purpose: 'login' }],
      ['POST', '/api/auth/register', { phone: '13800138000', otp: 'abcdef', password: 'x' }],
      ['POST', '/api/auth/login', { phone: '13800138000' }],
      ['POST', '/api/auth/login', { phone: '13800138000', password: 'x'.repeat(500) }],
      ['POST', '/api/auth/refresh', { refreshToken: 'short' }],
      ['POST', '/api/auth/staff/login', []],
      ['POST', '/api/auth/login', 'null'],
    ];
    for (const [method, url, body] of cases) {
      const r = await call(t.app, method, url, { body });
      assert.ok(r.status >= 400 && r.status < 500, `${url} ${JSON.stringify(body)} → ${r.status}`);
      assert.equal(typeof r.json.code, 'string');
    }
    const raw = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: '{"phone":' });
    assert.equal(raw.statusCode, 400);
    assert.equal(JSON.parse(raw.body).code, 'invalid_json');
    const big = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ phone: 'x'.repeat(2 * 1024 * 1024) }) });
    assert.equal(big.statusCode, 413);
    const admin = await staffLogin(t.app, t.s, 'admin');
    const badId = await call(t.app, 'PATCH', '/api/admin/users/not-a-uuid', { token: admin.tokens.accessToken, body: { role: 'agent' } });
    assert.equal(badId.status, 400);
    const badCursor = await call(t.app, 'GET', '/api/admin/audit-log?cursor=zzz', { token: admin.tokens.accessToken });
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.json.code, 'invalid_cursor');
  });

  it('sends security headers and a request id', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/health' });
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.ok(r.headers['content-security-policy']);
    assert.ok(r.headers['x-request-id']);
    assert.equal(r.headers['x-powered-by'], undefined);
  });
});
