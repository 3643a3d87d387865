import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../platform/clock.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { balanceOf, call, makeLine, makePlan } from '../../../test/factories.js';
import { GB, MB } from './tariff.js';
import { cryptoIds } from '../../platform/ids.js';
import { ingestUsage } from '../../flows/rate-usage.js';
import { RatingCache } from '../../flows/rating-cache.js';

const NOW = '2026-11-15T04:00:00Z';

describe('usage ingestion and rating', () => {
  const clock = new ManualClock(NOW);
  let t: TestContext;
  let token: string;
  before(async () => {
    t = await createTestContext({ clock });
    token = await t.s.charging.createServiceToken('test-feed');
  });
  after(() => t.close());
  const post = (events: unknown) => call(t.app, 'POST', '/api/usage-events', { token, body: events });
  const at = (min: number) => new Date(Date.parse(NOW) - min * 60_000).toISOString();

  it('needs a service credential: subscriber and staff tokens do not open it', async () => {
    assert.equal((await call(t.app, 'POST', '/api/usage-events', { body: [] })).status, 401);
    assert.equal((await call(t.app, 'POST', '/api/usage-events', { token: 'ths_wrong', body: [] })).status, 401);
  });

  it('charges allowance first, then overage; the same id twice is charged once', async () => {
    const plan = await makePlan(t.s, { dataBytes: GB, dataFenPerGb: 500, monthlyFeeFen: 0 });
    const { lineId, msisdn } = await makeLine(t.s, plan.id, { balanceFen: 10_000 });
    const events = [
      { id: `a-${lineId}`, msisdn, type: 'data', quantity: GB - 10 * MB, startedAt: at(30) },
      { id: `b-${lineId}`, msisdn, type: 'data', quantity: 110 * MB, startedAt: at(20) }, // 10 MB in, 100 MB over
    ];
    const r1 = await post({ events });
    assert.deepEqual(r1.json, { accepted: 2, duplicates: 0, rejected: [] });
    const over = Math.ceil((100 * MB * 500) / GB); // 49 fen
    assert.equal(await balanceOf(t.s, lineId), 10_000 - over);
    const r2 = await post(events);
    assert.deepEqual(r2.json, { accepted: 0, duplicates: 2, rejected: [] });
    assert.equal(await balanceOf(t.s, lineId), 10_000 - over);
    const rec = await t.s.db.selectFrom('usage_event').selectAll().where('id', '=', `b-${lineId}`).executeTakeFirstOrThrow();
    assert.deepEqual([rec.from_allowance, rec.charged_quantity, rec.charge_fen], [10 * MB, 100 * MB, over]);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('rejects bad records one by one and rates the rest', async () => {
    const plan = await makePlan(t.s);
    const { msisdn } = await makeLine(t.s, plan.id);
    const r = await post([
      { id: 'ok-1', msisdn, type: 'sms', quantity: 1, startedAt: at(1) },
      { id: 'bad-type', msisdn, type: 'mms', quantity: 1, startedAt: at(1) },
      { id: 'bad-qty', msisdn, type: 'sms', quantity: -1, startedAt: at(1) },
      { id: 'bad-num', msisdn: '12345', type: 'sms', quantity: 1, startedAt: at(1) },
      { id: 'nobody', msisdn: '13000000001', type: 'sms', quantity: 1, startedAt: at(1) },
      { id: 'future', msisdn, type: 'sms', quantity: 1, startedAt: new Date(Date.parse(NOW) + 3600_000).toISOString() },
      { id: 'ok-1', msisdn, type: 'sms', quantity: 1, startedAt: at(1) },
      'not an object',
    ]);
    assert.equal(r.status, 200);
    assert.equal(r.json.accepted, 1);
    assert.equal(r.json.duplicates, 1);
    assert.deepEqual(r.json.rejected.map((x: { index: number; code: string }) => [x.index, x.code]), [
      [1, 'invalid_type'], [2, 'invalid_quantity'], [3, 'invalid_msisdn'], [4, 'unknown_msisdn'], [5, 'started_in_future'], [7, 'invalid_event'],
    ]);
    const tooMany = await post(Array.from({ length: 10_001 }, () => ({})));
    assert.equal(tooMany.status, 400);
  });

  it('20 concurrent batches for one line end at the exact balance', async () => {
    const plan = await makePlan(t.s, { smsCount: 0, smsFenEach: 10, monthlyFeeFen: 0 });
    const { lineId, msisdn } = await makeLine(t.s, plan.id, { balanceFen: 100_000 });
    // 20 batches of 50 SMS, with every batch also repeating 10 ids of the next one.
    const ev = (i: number) => ({ id: `c-${lineId}-${i}`, msisdn, type: 'sms', quantity: 1, startedAt: at(60 - (i % 50)) });
    const batches = Array.from({ length: 20 }, (_, b) => [...Array.from({ length: 50 }, (_, k) => ev(b * 50 + k)), ...Array.from({ length: 10 }, (_, k) => ev(((b + 1) % 20) * 50 + k))]);
    const results = await Promise.all(batches.map((batch) => post(batch)));
    const accepted = results.reduce((s, r) => s + (r.json.accepted as number), 0);
    assert.equal(accepted, 1000);
    assert.equal(await balanceOf(t.s, lineId), 100_000 - 1000 * 10);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('rates from memory yet sees every other writer: a staff adjustment, another rating process', async () => {
    const plan = await makePlan(t.s, { smsCount: 0, smsFenEach: 10, monthlyFeeFen: 0 });
    const { lineId, msisdn } = await makeLine(t.s, plan.id, { balanceFen: 10, creditLimitFen: 0 });
    const sms = (id: string, quantity: number) => ({ id: `${id}-${lineId}`, msisdn, type: 'sms', quantity, startedAt: at(1) });
    const record = (id: string) => t.s.db.selectFrom('usage_event').select(['charged_quantity', 'charge_fen', 'unrated_quantity']).where('id', '=', `${id}-${lineId}`).executeTakeFirstOrThrow();
    assert.equal((await post([sms('m1', 1)])).json.accepted, 1);
    assert.equal(await balanceOf(t.s, lineId), 0);
    const staff = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };
    await t.s.charging.adjust(staff, { lineId, amountFen: 30, reason: 'goodwill' });
    // A stale balance of 0 would leave this unrated.
    assert.equal((await post([sms('m2', 1)])).json.accepted, 1);
    assert.deepEqual(await record('m2'), { charged_quantity: 1, charge_fen: 10, unrated_quantity: 0 });
    // A second rating process (its own memory) on the same database.
    const other = await ingestUsage(t.s.db, { clock, ids: cryptoIds, ledger: t.s.ledger }, [sms('m3', 1)], new RatingCache());
    assert.equal(other.accepted, 1);
    // 10 fen left: one of two messages fits; a stale 20 would charge both.
    assert.equal((await post([sms('m4', 2)])).json.accepted, 1);
    assert.deepEqual(await record('m4'), { charged_quantity: 1, charge_fen: 10, unrated_quantity: 1 });
    assert.equal(await balanceOf(t.s, lineId), 0);
    // Ids with quotes, backslashes, commas and braces; re-sent after a clean batch, they are recognised.
    const odd = { ...sms('m5', 1), id: `q"b\\c,{d} e-${lineId}` };
    assert.deepEqual((await post([odd])).json, { accepted: 1, duplicates: 0, rejected: [] });
    assert.deepEqual((await post([sms('m6', 1), odd])).json, { accepted: 1, duplicates: 1, rejected: [] });
    const stored = await t.s.db.selectFrom('usage_event').select('id').where('id', '=', odd.id).executeTakeFirst();
    assert.equal(stored?.id, odd.id);
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('rates up to the credit limit, suspends the line and tells the subscriber once', async () => {
    const plan = await makePlan(t.s, { voiceSeconds: 0, voiceFenPerMin: 20, monthlyFeeFen: 0 });
    const { lineId, msisdn, customerId } = await makeLine(t.s, plan.id, { balanceFen: 100, creditLimitFen: 50 });
    const r = await post([{ id: `v-${lineId}`, msisdn, type: 'voice', quantity: 600, startedAt: at(5) }]); // 10 min = 200 fen wanted
    assert.equal(r.json.accepted, 1);
    const rec = await t.s.db.selectFrom('usage_event').selectAll().where('id', '=', `v-${lineId}`).executeTakeFirstOrThrow();
    assert.deepEqual([rec.charged_quantity, rec.charge_fen, rec.unrated_quantity], [420, 140, 180]); // 7 started minutes fit in 150 fen
    assert.equal(await balanceOf(t.s, lineId), -40);
    // Nothing more is charged past the limit.
    await post([{ id: `v2-${lineId}`, msisdn, type: 'voice', quantity: 120, startedAt: at(4) }]);
    assert.equal(await balanceOf(t.s, lineId), -40);
    await post([{ id: `v3-${lineId}`, msisdn, type: 'voice', quantity: 600, startedAt: at(3) }]);
    assert.equal(await balanceOf(t.s, lineId), -40, 'a whole minute costs 20 and only 10 is left');
    const line = await t.s.db.selectFrom('line').select(['status', 'status_reason']).where('id', '=', lineId).executeTakeFirstOrThrow();
    assert.deepEqual(line, { status: 'suspended', status_reason: 'credit_limit' });
    await t.s.dispatcher.drain();
    const inbox = await t.s.inbox.list(customerId, {});
    assert.deepEqual(inbox.items.map((m) => m.template).sort(), ['line.suspended', 'usage.low_balance']);
  });

  it('alerts at 80% and 100% of an allowance once per cycle', async () => {
    const plan = await makePlan(t.s, { dataBytes: 100 * MB, monthlyFeeFen: 0 });
    const { lineId, msisdn, customerId } = await makeLine(t.s, plan.id, { balanceFen: 50_000 });
    await post([{ id: `t1-${lineId}`, msisdn, type: 'data', quantity: 79 * MB, startedAt: at(10) }]);
    await post([{ id: `t2-${lineId}`, msisdn, type: 'data', quantity: 2 * MB, startedAt: at(9) }]);
    await post([{ id: `t3-${lineId}`, msisdn, type: 'data', quantity: 1 * MB, startedAt: at(8) }]);
    await post([{ id: `t4-${lineId}`, msisdn, type: 'data', quantity: 30 * MB, startedAt: at(7) }]);
    await post([{ id: `t5-${lineId}`, msisdn, type: 'data', quantity: 30 * MB, startedAt: at(6) }]);
    await t.s.dispatcher.drain();
    const inbox = await t.s.inbox.list(customerId, {});
    assert.deepEqual(inbox.items.map((m) => m.template).sort(), ['usage.100', 'usage.80']);
    assert.equal(inbox.unread, 2);
    assert.match(inbox.items.find((m) => m.template === 'usage.80')!.body, /80%/);
  });
});

describe('cycles', () => {
  const clock = new ManualClock('2026-09-10T04:00:00Z');
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(() => t.close());

  it('rolls over: fee charged, allowances reset; a missed rollover catches up', async () => {
    const plan = await makePlan(t.s, { monthlyFeeFen: 3900, smsCount: 10 });
    const { lineId } = await makeLine(t.s, plan.id, { balanceFen: 20_000 });
    assert.equal(await balanceOf(t.s, lineId), 20_000 - 3900);
    // The server "was down" for two month boundaries.
    clock.set('2026-11-02T00:00:00Z');
    assert.equal(await t.s.charging.rolloverDue(), 1);
    assert.equal(await balanceOf(t.s, lineId), 20_000 - 3 * 3900);
    const line = await t.s.db.selectFrom('line').selectAll().where('id', '=', lineId).executeTakeFirstOrThrow();
    assert.equal(line.cycle_start.toISOString(), '2026-10-31T16:00:00.000Z');
    const buckets = await t.s.db.selectFrom('allowance_bucket').select(['starts_at']).where('line_id', '=', lineId).where('kind', '=', 'sms').orderBy('starts_at').execute();
    assert.equal(buckets.length, 3);
    assert.equal(await t.s.charging.rolloverDue(), 0, 'nothing left to roll');
    assert.deepEqual(await t.s.ledger.verify(), []);
  });

  it('a record from a new cycle rolls its line first, so it uses the new allowance', async () => {
    clock.set('2026-11-28T00:00:00Z');
    const plan = await makePlan(t.s, { monthlyFeeFen: 1000, smsCount: 5, smsFenEach: 10 });
    const { lineId, msisdn } = await makeLine(t.s, plan.id, { balanceFen: 5000 });
    const first = await t.s.charging.ingest([{ id: `n1-${lineId}`, msisdn, type: 'sms', quantity: 5, startedAt: '2026-11-27T23:00:00Z' }]);
    assert.equal(first.accepted, 1);
    clock.set('2026-12-01T02:00:00Z'); // December 1st 10:00 in Beijing; no rollover job has run
    await t.s.charging.ingest([{ id: `n2-${lineId}`, msisdn, type: 'sms', quantity: 3, startedAt: '2026-12-01T01:00:00Z' }]);
    const rec = await t.s.db.selectFrom('usage_event').selectAll().where('id', '=', `n2-${lineId}`).executeTakeFirstOrThrow();
    assert.deepEqual([rec.from_allowance, rec.charge_fen], [3, 0]);
    assert.equal(await balanceOf(t.s, lineId), 5000 - 1000 - 1000);
    // A late record from November still finds November's (used-up) allowance.
    await t.s.charging.ingest([{ id: `n3-${lineId}`, msisdn, type: 'sms', quantity: 1, startedAt: '2026-11-29T01:00:00Z' }]);
    const late = await t.s.db.selectFrom('usage_event').selectAll().where('id', '=', `n3-${lineId}`).executeTakeFirstOrThrow();
    assert.deepEqual([late.from_allowance, late.charge_fen], [0, 10]);
  });
});
