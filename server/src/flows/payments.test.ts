import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Tokens } from '@telehall/contracts';
import { ManualClock } from '../platform/clock.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { balanceOf, call, lastCode, makeLine, makePlan, staffLogin } from '../../test/factories.js';
import { SIGNATURE_HEADER, type SandboxGateway } from '../modules/payments/gateway.js';

async function subscriberWithLine(t: TestContext, planId: string, opts: Parameters<typeof makeLine>[2] = {}) {
  const line = await makeLine(t.s, planId, opts);
  await call(t.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
  const reg = await call(t.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(t.s, line.msisdn), password: 'secret-pass-1' } });
  assert.equal(reg.status, 201);
  return { ...line, token: (reg.json as Tokens).accessToken };
}

describe('payments: top-up, callbacks, refunds, auto top-up', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let t: TestContext;
  let planId: string;
  let gw: SandboxGateway;
  before(async () => {
    t = await createTestContext({ clock });
    planId = (await makePlan(t.s, { monthlyFeeFen: 1000 })).id;
    gw = t.s.payments.provider as SandboxGateway;
  });
  after(() => t.close());

  const notice = (p: { id: string; amount: number }, over: Record<string, unknown> = {}) =>
    JSON.stringify({ paymentId: p.id, providerRef: `ref-${p.id.slice(0, 8)}`, amount: p.amount, currency: 'CNY', status: 'succeeded', sentAt: clock.now().toISOString(), ...over });
  const post = (body: string, sig: string | null = gw.sign(body)) =>
    t.app.inject({ method: 'POST', url: '/api/payments/callback/sandbox', payload: body, headers: { 'content-type': 'application/json', ...(sig ? { [SIGNATURE_HEADER]: sig } : {}) } });
  const topup = async (token: string, lineId: string, amount: number, key?: string) => {
    const r = await call(t.app, 'POST', '/api/me/payments', { token, body: { lineId, amount, method: 'redirect' }, headers: key ? { 'idempotency-key': key } : {} });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return { id: r.json.payment.id as string, amount };
  };
  const paid = async (token: string, lineId: string, amount: number) => {
    const p = await topup(token, lineId, amount);
    assert.equal((await post(notice(p))).statusCode, 200);
    return p;
  };
  const outboxCount = async (topic: string, key: string) =>
    Number((await t.s.db.selectFrom('outbox').select((eb) => eb.fn.countAll<number>().as('n')).where('topic', '=', topic).where('key', '=', key).executeTakeFirstOrThrow()).n);

  it('same Idempotency-Key 50 times at once: one payment; 50 callbacks at once: one credit', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 2000 });
    const before_ = await balanceOf(t.s, a.lineId);
    const rs = await Promise.all(Array.from({ length: 50 }, () =>
      call(t.app, 'POST', '/api/me/payments', { token: a.token, body: { lineId: a.lineId, amount: 5000, method: 'qr' }, headers: { 'idempotency-key': 'topup-key-0001' } })));
    assert.deepEqual([...new Set(rs.map((r) => r.status))], [201]);
    const ids = new Set(rs.map((r) => r.json.payment.id));
    assert.equal(ids.size, 1);
    assert.equal(rs.filter((r) => r.headers['idempotency-replayed'] === 'true').length, 49);
    assert.match(rs[0]!.json.gateway.redirectUrl, /^\/sandbox-pay\//);
    const id = [...ids][0] as string;
    const body = notice({ id, amount: 5000 });
    const cbs = await Promise.all(Array.from({ length: 50 }, () => post(body)));
    assert.deepEqual([...new Set(cbs.map((r) => r.statusCode))], [200]);
    assert.deepEqual([...new Set(cbs.map((r) => r.body))], [JSON.stringify({ paymentId: id, status: 'captured', outcome: 'captured' })]);
    assert.equal(await balanceOf(t.s, a.lineId), before_ + 5000);
    const pays = await call(t.app, 'GET', '/api/me/payments', { token: a.token });
    assert.equal(pays.json.items.length, 1);
    assert.equal(pays.json.items[0].status, 'captured');
    assert.equal(await outboxCount('payment.captured', a.lineId), 1);
    const credits = await t.s.db.selectFrom('ledger_tx').select('id').where('kind', '=', 'payment').where('line_id', '=', a.lineId).execute();
    assert.equal(credits.length, 1);
    const log = await t.s.payments.callbacks(id);
    assert.equal(log.filter((l) => l.outcome === 'captured').length, 1);
    assert.equal(log.filter((l) => l.outcome === 'duplicate').length, 49);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('same key with a different body is 409; bad input is 400', async () => {
    const a = await subscriberWithLine(t, planId);
    await topup(a.token, a.lineId, 3000, 'topup-key-0002');
    const r = await call(t.app, 'POST', '/api/me/payments', { token: a.token, body: { lineId: a.lineId, amount: 5000, method: 'redirect' }, headers: { 'idempotency-key': 'topup-key-0002' } });
    assert.equal(r.status, 409);
    assert.equal(r.json.code, 'idempotency_key_reused');
    for (const body of [{ lineId: a.lineId, amount: 10.5, method: 'redirect' }, { lineId: a.lineId, amount: -100, method: 'redirect' }, { lineId: a.lineId, amount: 3000, method: 'cash' }, { lineId: 'x', amount: 3000, method: 'qr' }]) {
      const bad = await call(t.app, 'POST', '/api/me/payments', { token: a.token, body });
      assert.equal(bad.status, 400, JSON.stringify(body));
    }
    const b = await subscriberWithLine(t, planId);
    const other = await call(t.app, 'POST', '/api/me/payments', { token: a.token, body: { lineId: b.lineId, amount: 3000, method: 'qr' } });
    assert.equal(other.status, 404);
    assert.equal(other.json.code, 'line_not_found');
  });

  it('forged, tampered, mismatched, replayed and late callbacks change nothing and are recorded', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 2000 });
    const p = await topup(a.token, a.lineId, 3000);
    const start = await balanceOf(t.s, a.lineId);
    const body = notice(p);
    const forged = await post(body, 'f'.repeat(64));
    assert.equal(forged.statusCode, 401);
    assert.equal(JSON.parse(forged.body).code, 'invalid_signature');
    assert.equal((await post(body, null)).statusCode, 401);
    const tampered = await post(body.replace('"amount":3000', '"amount":300000'), gw.sign(body));
    assert.equal(tampered.statusCode, 401);
    const mismatch = await post(notice(p, { amount: 300000 }));
    assert.equal(mismatch.statusCode, 422);
    assert.equal(JSON.parse(mismatch.body).code, 'amount_mismatch');
    const junk = await post('{"hello":1}');
    assert.equal(junk.statusCode, 400);
    assert.equal(await balanceOf(t.s, a.lineId), start);
    assert.equal((await t.s.payments.get(null, p.id)).status, 'pending');

    assert.equal((await post(body)).statusCode, 200);
    const replay = await post(body);
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.headers['idempotency-replayed'], 'true');
    const otherRef = await post(notice(p, { providerRef: 'someone-else' }));
    assert.equal(otherRef.statusCode, 409);
    assert.equal(await balanceOf(t.s, a.lineId), start + 3000);

    const late = await topup(a.token, a.lineId, 4000);
    clock.advance(16 * 60_000);
    const lateRes = await post(notice(late));
    assert.equal(lateRes.statusCode, 409);
    assert.equal(JSON.parse(lateRes.body).code, 'payment_expired');
    assert.equal(await balanceOf(t.s, a.lineId), start + 3000);
    assert.equal((await t.s.payments.get(null, late.id)).status, 'expired');
    clock.set('2026-11-10T02:00:00Z');

    const log = await t.s.payments.callbacks(p.id);
    assert.deepEqual(log.map((l) => l.outcome), ['bad_signature', 'bad_signature', 'bad_signature', 'amount_mismatch', 'captured', 'duplicate', 'not_pending']);
    assert.deepEqual((await t.s.payments.callbacks(late.id)).map((l) => l.outcome), ['late']);
    assert.equal(await outboxCount('payment.captured', a.lineId), 1);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('pays through the sandbox page (escaped, no inline script) and lifts a credit-limit suspension', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 0, creditLimitFen: 500 });
    await t.s.db.updateTable('line').set({ status: 'suspended', status_reason: 'credit_limit' }).where('id', '=', a.lineId).execute();
    const p = await topup(a.token, a.lineId, 3000);
    const page = await t.app.inject({ method: 'GET', url: `/sandbox-pay/${p.id}` });
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /¥30\.00/);
    assert.doesNotMatch(page.body, /<script/i);
    assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
    const pay = await t.app.inject({ method: 'POST', url: `/sandbox-pay/${p.id}`, payload: 'action=pay', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(pay.statusCode, 303);
    assert.equal(pay.headers.location, `/topup/result/${p.id}`);
    const got = await call(t.app, 'GET', `/api/me/payments/${p.id}`, { token: a.token });
    assert.equal(got.json.status, 'captured');
    assert.equal(await balanceOf(t.s, a.lineId), -1000 + 3000);
    const line = await t.s.db.selectFrom('line').select('status').where('id', '=', a.lineId).executeTakeFirstOrThrow();
    assert.equal(line.status, 'active');
    const c = await topup(a.token, a.lineId, 5000);
    await t.app.inject({ method: 'POST', url: `/sandbox-pay/${c.id}`, payload: 'action=cancel', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal((await t.s.payments.get(null, c.id)).status, 'cancelled');
    assert.equal((await t.app.inject({ method: 'GET', url: '/sandbox-pay/00000000-0000-7000-8000-000000000000' })).statusCode, 404);
  });

  it('refunds within what was captured, concurrently safe, audited, staff only', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 2000 });
    const p = await paid(a.token, a.lineId, 10_000);
    const admin = await staffLogin(t.app, t.s, 'admin');
    const agent = await staffLogin(t.app, t.s, 'agent');
    const url = `/api/admin/payments/${p.id}/refunds`;
    assert.equal((await call(t.app, 'POST', url, { token: agent.tokens.accessToken, body: { amount: 100, reason: 'test' } })).status, 403);
    assert.equal((await call(t.app, 'POST', url, { token: a.token, body: { amount: 100, reason: 'test' } })).status, 403);
    const start = await balanceOf(t.s, a.lineId);
    const rs = await Promise.all(Array.from({ length: 10 }, (_, i) => call(t.app, 'POST', url, { token: admin.tokens.accessToken, body: { amount: 3000, reason: `dup charge ${i}` } })));
    assert.equal(rs.filter((r) => r.status === 201).length, 3);
    assert.ok(rs.filter((r) => r.status !== 201).every((r) => r.status === 422 && r.json.code === 'refund_exceeds_payment'));
    const last = await call(t.app, 'POST', url, { token: admin.tokens.accessToken, body: { amount: 1001, reason: 'rest' } });
    assert.equal(last.json.code, 'refund_exceeds_payment');
    assert.deepEqual(last.json.details.refundable, { amount: 1000, currency: 'CNY' });
    const full = await call(t.app, 'POST', url, { token: admin.tokens.accessToken, body: { amount: 1000, reason: 'rest' }, headers: { 'idempotency-key': 'refund-key-1' } });
    assert.equal(full.status, 201);
    assert.deepEqual(full.json.payment.refunded, { amount: 10_000, currency: 'CNY' });
    const again = await call(t.app, 'POST', url, { token: admin.tokens.accessToken, body: { amount: 1000, reason: 'rest' }, headers: { 'idempotency-key': 'refund-key-1' } });
    assert.equal(again.status, 201);
    assert.equal(again.headers['idempotency-replayed'], 'true');
    assert.equal(await balanceOf(t.s, a.lineId), start - 10_000);
    const audits = await t.s.db.selectFrom('audit_log').select('action').where('resource_id', '=', p.id).execute();
    assert.equal(audits.filter((x) => x.action === 'payment.refund').length, 4);
    const pending = await topup(a.token, a.lineId, 3000);
    const nope = await call(t.app, 'POST', `/api/admin/payments/${pending.id}/refunds`, { token: admin.tokens.accessToken, body: { amount: 100, reason: 'x1' } });
    assert.equal(nope.json.code, 'payment_not_captured');
    const search = await call(t.app, 'GET', `/api/admin/payments?msisdn=${a.msisdn}`, { token: agent.tokens.accessToken });
    assert.equal(search.json.items.length, 2);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('pages payment history and the staff search by cursor, newest first, none skipped or repeated', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 2000 });
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Two payments per instant: the cursor must break ties on the id.
      if (i % 2 === 0) clock.advance(1000);
      made.push((await topup(a.token, a.lineId, 1000 + i)).id);
    }
    const walk = async (url: string, token: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const sep = url.includes('?') ? '&' : '?';
        const r = await call(t.app, 'GET', `${url}${sep}limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token });
        assert.equal(r.status, 200, JSON.stringify(r.json));
        assert.ok(r.json.items.length <= 3);
        seen.push(...(r.json.items as { id: string }[]).map((x) => x.id));
        cursor = r.json.nextCursor as string | null;
        pages++;
      } while (cursor);
      return { seen, pages };
    };
    const mine = await walk('/api/me/payments', a.token);
    assert.equal(mine.pages, 3);
    assert.deepEqual(new Set(mine.seen), new Set(made));
    assert.equal(mine.seen.length, 7);
    const createdAt = await t.s.db.selectFrom('payment').select(['id', 'created_at']).where('id', 'in', made).execute();
    const at = new Map(createdAt.map((r) => [r.id, r.created_at.getTime()]));
    for (let i = 1; i < mine.seen.length; i++) assert.ok(at.get(mine.seen[i - 1]!)! >= at.get(mine.seen[i]!)!, 'newest first');
    const admin = await staffLogin(t.app, t.s, 'agent');
    const staff = await walk(`/api/admin/payments?msisdn=${a.msisdn}`, admin.tokens.accessToken);
    assert.deepEqual(staff.seen, mine.seen);
    const bad = await call(t.app, 'GET', '/api/me/payments?cursor=not-a-cursor', { token: a.token });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.code, 'invalid_cursor');
    const forged = Buffer.from(`${new Date().toISOString()}|1 OR 1=1`).toString('base64url');
    assert.equal((await call(t.app, 'GET', `/api/me/payments?cursor=${forged}`, { token: a.token })).json.code, 'invalid_cursor');
  });

  it('auto top-up: tops up below the threshold, never beyond the daily cap', async () => {
    const a = await subscriberWithLine(t, planId, { balanceFen: 1500 });
    const settings = { lineId: a.lineId, enabled: true, threshold: 1000, amount: 2000, dailyMaxCount: 2, dailyMaxAmount: 3000 };
    const put = await call(t.app, 'PUT', '/api/me/auto-topup', { token: a.token, body: settings });
    assert.equal(put.status, 200);
    assert.deepEqual((await call(t.app, 'GET', '/api/me/auto-topup', { token: a.token })).json, settings);
    const bad = await call(t.app, 'PUT', '/api/me/auto-topup', { token: a.token, body: { ...settings, dailyMaxAmount: 1000 } });
    assert.equal(bad.json.code, 'daily_cap_below_amount');
    // 1500 - 1000 fee = 500 < 1000: one top-up of 2000; a second would pass 3000 a day.
    assert.equal(await t.s.paymentFlows.runAutoTopups(), 1);
    assert.equal(await balanceOf(t.s, a.lineId), 2500);
    await t.s.charging.adjust({ kind: 'system', id: null, name: 't', ip: '', userAgent: '' }, { lineId: a.lineId, amountFen: -2000, reason: 'drain' });
    await Promise.all([t.s.paymentFlows.runAutoTopups(), t.s.paymentFlows.runAutoTopups()]);
    assert.equal(await balanceOf(t.s, a.lineId), 500);
    clock.advance(86_400_000);
    assert.equal(await t.s.paymentFlows.runAutoTopups(), 1);
    assert.equal(await balanceOf(t.s, a.lineId), 2500);
    clock.set('2026-11-10T02:00:00Z');
    const pays = await t.s.db.selectFrom('payment').select(['origin', 'status']).where('line_id', '=', a.lineId).execute();
    assert.deepEqual(pays.map((x) => `${x.origin}:${x.status}`), ['auto_topup:captured', 'auto_topup:captured']);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });
});
