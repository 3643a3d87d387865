import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Tokens } from '@telehall/contracts';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, lastCode, makeLine, makePlan, staffLogin, systemActor } from '../../../test/factories.js';
import type { SandboxGateway } from '../payments/gateway.js';
import { cycleWindow } from './billing.service.js';

const NOV = cycleWindow('2026-11');
const MIN = 60_000;

describe('bills: one per line and cycle, tied to the ledger', () => {
  const clock = new ManualClock('2026-10-20T02:00:00Z');
  let t: TestContext;
  let planId: string;
  let addonId: string;
  before(async () => {
    t = await createTestContext({ clock });
    planId = (await makePlan(t.s, { monthlyFeeFen: 1900, dataBytes: 1_000_000, voiceSeconds: 600, smsCount: 2, dataFenPerGb: 1024 ** 3, voiceFenPerMin: 10, smsFenEach: 10 })).id;
    addonId = (await t.s.catalog.createAddon(systemActor, { code: `bt${process.pid}`, nameZh: '流量包', nameEn: 'Data pack', kind: 'data', quantity: 1_000_000, validityDays: 30, priceFen: 500 })).id;
  });
  after(() => t.close());

  const gw = () => t.s.payments.provider as SandboxGateway;
  async function topup(customerId: string, lineId: string, amount: number): Promise<string> {
    const created = await t.s.paymentFlows.create(systemActor, customerId, { lineId, amount, method: 'qr' });
    const body = JSON.stringify({ paymentId: created.body.payment.id, providerRef: 'r', amount, currency: 'CNY', status: 'succeeded', sentAt: '' });
    await t.s.paymentFlows.callback('sandbox', body, gw().sign(body), '127.0.0.1');
    return created.body.payment.id;
  }

  it('bill totals equal the ledger movements for random histories (property), and a re-run changes nothing', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
          op: fc.constantFrom('data', 'voice', 'sms', 'topup', 'refund', 'adjust', 'addon'),
          // minutes from 25 Oct to 5 Dec: before, inside and after the November cycle
          at: fc.integer({ min: 0, max: 41 * 24 * 60 }),
          n: fc.integer({ min: 1, max: 5000 }),
        }), { minLength: 1, maxLength: 25 }),
        fc.integer({ min: 0, max: 5000 }),
        async (ops, opening) => {
          const r = run++;
          clock.set('2026-10-20T02:00:00Z');
          const line = await makeLine(t.s, planId, { balanceFen: opening, creditLimitFen: 3000 });
          const base = Date.parse('2026-10-25T00:00:00Z');
          const payments: string[] = [];
          let seq = 0;
          for (const o of [...ops].sort((a, b) => a.at - b.at)) {
            clock.set(new Date(base + o.at * MIN));
            await t.s.charging.rolloverDue();
            if (o.op === 'data' || o.op === 'voice' || o.op === 'sms') {
              await t.s.charging.ingest([{ id: `bp${r}-${seq++}`, msisdn: line.msisdn, type: o.op, quantity: o.op === 'sms' ? 1 + (o.n % 3) : o.n * (o.op === 'data' ? 400 : 1), startedAt: new Date(clock.now().getTime() - MIN).toISOString() }]);
            } else if (o.op === 'topup') {
              payments.push(await topup(line.customerId, line.lineId, 100 + o.n));
            } else if (o.op === 'refund' && payments.length) {
              await t.s.paymentFlows.refund(systemActor, payments[o.n % payments.length]!, { amount: 1 + (o.n % 150), reason: 'test' }).catch(() => undefined);
            } else if (o.op === 'adjust') {
              await t.s.charging.adjust(systemActor, { lineId: line.lineId, amountFen: o.n % 2 ? o.n : -o.n, reason: 'test' });
            } else if (o.op === 'addon') {
              await t.s.charging.buyAddon(systemActor, { customerId: null, lineId: line.lineId, addonId }).catch(() => undefined);
            }
          }
          clock.set('2026-12-06T00:00:00Z');
          const first = await t.s.billing.run('2026-11');
          assert.ok(first.created >= 1);
          const bill = await t.s.db.selectFrom('bill').selectAll().where('line_id', '=', line.lineId).executeTakeFirstOrThrow();
          // Independent sums straight from the ledger, the usage records and the payment records.
          const entries = await sql<{ kind: string; amount: number; created_at: Date }>`SELECT t.kind, e.amount, e.created_at FROM ledger_entry e
            JOIN ledger_tx t ON t.id = e.tx_id JOIN ledger_account a ON a.id = e.account_id WHERE a.line_id = ${line.lineId}`.execute(t.s.db);
          const inside = entries.rows.filter((e) => e.created_at >= NOV.start && e.created_at < NOV.end);
          const sum = (rows: { amount: number }[]) => rows.reduce((s, e) => s + e.amount, 0);
          const byKind = (...k: string[]) => sum(inside.filter((e) => k.includes(e.kind)));
          assert.equal(bill.opening_fen, sum(entries.rows.filter((e) => e.created_at < NOV.start)));
          assert.equal(bill.closing_fen, bill.opening_fen + sum(inside));
          assert.equal(bill.plan_fee_fen, 0 - byKind('plan_fee', 'plan_change'));
          assert.equal(bill.addon_fen, 0 - byKind('addon_purchase'));
          assert.equal(bill.adjustment_fen, byKind('staff_adjustment'));
          assert.equal(bill.payment_fen, byKind('payment'));
          assert.equal(bill.refund_fen, 0 - byKind('refund'));
          assert.equal(bill.other_fen, 0);
          const usage = await t.s.db.selectFrom('usage_event').select(['type', 'charge_fen', 'rated_at']).where('line_id', '=', line.lineId).execute();
          for (const type of ['data', 'voice', 'sms'] as const) {
            const want = usage.filter((u) => u.type === type && u.rated_at >= NOV.start && u.rated_at < NOV.end).reduce((s, u) => s + u.charge_fen, 0);
            assert.equal(bill[`overage_${type}_fen`], want, type);
          }
          const pays = await t.s.db.selectFrom('payment').select(['amount_fen', 'captured_at']).where('line_id', '=', line.lineId).where('status', '=', 'captured').execute();
          assert.equal(bill.payment_fen, pays.filter((p) => p.captured_at! >= NOV.start && p.captured_at! < NOV.end).reduce((s, p) => s + p.amount_fen, 0));
          const refunds = await t.s.db.selectFrom('payment_refund').select(['amount_fen', 'created_at']).where('line_id', '=', line.lineId).execute();
          assert.equal(bill.refund_fen, refunds.filter((p) => p.created_at >= NOV.start && p.created_at < NOV.end).reduce((s, p) => s + p.amount_fen, 0));
          // Re-running the cycle: no new bills, the same figures.
          const all = await t.s.db.selectFrom('bill').selectAll().orderBy('id').execute();
          const again = await t.s.billing.run('2026-11');
          assert.equal(again.created, 0);
          assert.deepEqual(await t.s.db.selectFrom('bill').selectAll().orderBy('id').execute(), all);
        },
      ),
      { numRuns: 12 },
    );
    assert.deepEqual(await t.s.ledger.verify(), []);
    const rec = await t.s.reconciliation.run('2026-10-20', '2026-12-06');
    assert.deepEqual(rec.differences, []);
    assert.ok(rec.days.every((d) => d.balanced));
  });

  it('serves bills to their owner only, as JSON and PDF; staff run cycles; reconciliation lists differences', async () => {
    clock.set('2026-11-02T02:00:00Z');
    const line = await makeLine(t.s, planId, { balanceFen: 5000 });
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(t.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(t.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);
    const admin = await staffLogin(t.app, t.s, 'admin');
    const agent = await staffLogin(t.app, t.s, 'agent');
    const early = await call(t.app, 'POST', '/api/admin/bills/run', { token: admin.tokens.accessToken, body: { cycle: '2026-11' } });
    assert.equal(early.status, 422);
    assert.equal(early.json.code, 'cycle_not_closed');
    assert.equal((await call(t.app, 'POST', '/api/admin/bills/run', { token: admin.tokens.accessToken, body: { cycle: '2026-13' } })).status, 400);
    assert.equal((await call(t.app, 'POST', '/api/admin/bills/run', { token: agent.tokens.accessToken, body: { cycle: '2026-10' } })).status, 403);
    const oct = await call(t.app, 'POST', '/api/admin/bills/run', { token: admin.tokens.accessToken, body: { cycle: '2026-10' } });
    assert.equal(oct.status, 200);
    clock.set('2026-12-02T02:00:00Z');
    const fresh = await call(t.app, 'POST', '/api/auth/login', { body: { phone: line.msisdn, password: 'secret-pass-1' } });
    const tk = (fresh.json as Tokens).accessToken;
    const adminTk = (await staffLogin(t.app, t.s, 'admin')).tokens.accessToken;
    const nov = await call(t.app, 'POST', '/api/admin/bills/run', { token: adminTk, body: { cycle: '2026-11' } });
    assert.equal(nov.status, 200);
    assert.equal(nov.json.created, 1);
    const list = await call(t.app, 'GET', '/api/me/bills', { token: tk });
    assert.equal(list.json.items.length, 1);
    const bill = list.json.items[0];
    assert.deepEqual([bill.cycle, bill.openingBalance.amount, bill.planFees.amount, bill.closingBalance.amount], ['2026-11', 0, 1900, 3100]);
    assert.equal((await call(t.app, 'GET', `/api/me/bills/${bill.id}`, { token: tk })).json.id, bill.id);
    const pdf = await t.app.inject({ method: 'GET', url: `/api/me/bills/${bill.id}/pdf`, headers: { authorization: `Bearer ${tk}` } });
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
    const other = await makeLine(t.s, planId);
    await call(t.app, 'POST', '/api/auth/otp', { body: { phone: other.msisdn, purpose: 'register' } });
    const reg2 = await call(t.app, 'POST', '/api/auth/register', { body: { phone: other.msisdn, otp: await lastCode(t.s, other.msisdn), password: 'secret-pass-1' } });
    const tk2 = (reg2.json as Tokens).accessToken;
    assert.equal((await call(t.app, 'GET', `/api/me/bills/${bill.id}`, { token: tk2 })).status, 404);
    assert.equal((await call(t.app, 'GET', `/api/me/bills/${bill.id}/pdf`, { token: tk2 })).status, 404);
    assert.equal(await t.s.db.selectFrom('outbox').select('id').where('topic', '=', 'bill.ready').where('key', '=', line.lineId).execute().then((r) => r.length), 1);

    // A capture the ledger never saw shows up as a difference on its day.
    const now = clock.now();
    await t.s.db.insertInto('payment').values({ id: t.s.ids.uuid(), customer_id: line.customerId, line_id: line.lineId, provider: 'sandbox', method: 'qr', origin: 'subscriber', amount_fen: 777, status: 'captured', provider_ref: 'x', ledger_tx_id: null, created_at: now, expires_at: now, captured_at: now }).execute();
    const rec = await call(t.app, 'GET', '/api/admin/reconciliation?from=2026-12-01&to=2026-12-02', { token: adminTk });
    assert.equal(rec.status, 200);
    assert.deepEqual(rec.json.differences.map((d: { kind: string; expected: { amount: number } }) => [d.kind, d.expected.amount]), [['capture_without_credit', 777]]);
    assert.equal(rec.json.days.find((d: { day: string }) => d.day === '2026-12-02').balanced, false);
    assert.equal((await call(t.app, 'GET', '/api/admin/reconciliation?from=2026-12-05&to=2026-12-01', { token: adminTk })).json.code, 'invalid_range');
    assert.equal((await call(t.app, 'GET', '/api/admin/reconciliation?from=2026-02-30&to=2026-03-01', { token: adminTk })).status, 400);
  });
});
