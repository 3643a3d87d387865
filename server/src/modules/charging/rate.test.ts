import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rateEvent, rateLine, type Bucket, type RatingLine, type UsageEvent } from './rate.js';
import { GB, MB, affordableQuantity, overageCharge, type Tariff } from './tariff.js';

const tariff: Tariff = { dataFenPerGb: 500, voiceFenPerMin: 19, smsFenEach: 10 };
const day = 86_400_000;

describe('tariff maths', () => {
  it('charges data per byte at the GB price, rounded up to the fen', () => {
    assert.equal(overageCharge('data', GB, tariff), 500);
    assert.equal(overageCharge('data', MB, tariff), 1); // 0.488 fen → 1
    assert.equal(overageCharge('data', 1, tariff), 1);
    assert.equal(overageCharge('data', 0, tariff), 0);
    assert.equal(overageCharge('data', 10 * GB + 1, tariff), 5001);
    // 8 TB at ¥50/GB is past 2^53 in the intermediate product: still exact.
    assert.equal(overageCharge('data', 8 * 1024 * GB, { ...tariff, dataFenPerGb: 5000 }), 8 * 1024 * 5000);
  });

  it('charges voice per started minute and SMS per message', () => {
    assert.equal(overageCharge('voice', 1, tariff), 19);
    assert.equal(overageCharge('voice', 60, tariff), 19);
    assert.equal(overageCharge('voice', 61, tariff), 38);
    assert.equal(overageCharge('sms', 3, tariff), 30);
  });

  it('finds the most that fits a budget', () => {
    assert.equal(affordableQuantity('data', 2 * GB, 500, tariff), GB);
    assert.equal(affordableQuantity('voice', 600, 40, tariff), 120);
    assert.equal(affordableQuantity('sms', 5, 25, tariff), 2);
    assert.equal(affordableQuantity('sms', 5, 0, tariff), 0);
    assert.equal(affordableQuantity('sms', 5, 0, { ...tariff, smsFenEach: 0 }), 5);
  });
});

const bucket = (p: Partial<Bucket> & Pick<Bucket, 'id'>): Bucket => ({
  kind: 'data', source: 'plan', total: GB, used: 0, startsAt: 0, expiresAt: 30 * day, ...p,
});

describe('rating', () => {
  it('uses add-on buckets before plan buckets, earliest expiry first', () => {
    const line: RatingLine = {
      tariff, balance: 1000, creditLimit: 0,
      buckets: [
        bucket({ id: 'plan', total: 100 }),
        bucket({ id: 'addon-late', source: 'addon', total: 100, expiresAt: 20 * day }),
        bucket({ id: 'addon-early', source: 'addon', total: 100, expiresAt: 10 * day }),
      ],
    };
    const r = rateEvent(line, { id: 'e1', type: 'data', quantity: 250, startedAt: day });
    assert.deepEqual(line.buckets.map((b) => [b.id, b.used]), [['plan', 50], ['addon-late', 100], ['addon-early', 100]]);
    assert.deepEqual(r, { id: 'e1', fromAllowance: 250, chargedQuantity: 0, chargeFen: 0, unratedQuantity: 0 });
  });

  it('ignores buckets of another kind, not yet started, or expired at the event time', () => {
    const line: RatingLine = {
      tariff, balance: 10_000, creditLimit: 0,
      buckets: [
        bucket({ id: 'voice', kind: 'voice', total: 1000 }),
        bucket({ id: 'future', startsAt: 5 * day }),
        bucket({ id: 'expired', expiresAt: day }),
      ],
    };
    const r = rateEvent(line, { id: 'e', type: 'data', quantity: GB, startedAt: 2 * day });
    assert.equal(r.fromAllowance, 0);
    assert.equal(r.chargeFen, 500);
    assert.equal(line.balance, 9500);
  });

  it('charges overage up to the credit limit and leaves the rest unrated', () => {
    const line: RatingLine = { tariff, balance: 100, creditLimit: 200, buckets: [bucket({ id: 'b', total: GB, used: GB - MB })] };
    const r = rateEvent(line, { id: 'e', type: 'data', quantity: 2 * GB, startedAt: day });
    assert.equal(r.fromAllowance, MB);
    // 300 fen of budget buys 300/500 GB.
    assert.equal(r.chargedQuantity, Math.floor((300 * GB) / 500));
    assert.equal(r.chargeFen, 300);
    assert.equal(line.balance, -200);
    assert.equal(r.unratedQuantity, 2 * GB - MB - r.chargedQuantity);
  });

  it('rates a line in time order whatever order events arrive in', () => {
    const mk = (): RatingLine => ({ tariff, balance: 50, creditLimit: 0, buckets: [bucket({ id: 'b', kind: 'sms', total: 2 })] });
    const events: UsageEvent[] = [
      { id: 'c', type: 'sms', quantity: 3, startedAt: 3 },
      { id: 'a', type: 'sms', quantity: 1, startedAt: 1 },
      { id: 'b', type: 'sms', quantity: 2, startedAt: 2 },
    ];
    const r1 = rateLine(mk(), events);
    const r2 = rateLine(mk(), [...events].reverse());
    assert.deepEqual(r1, r2);
    assert.deepEqual(r1.map((r) => [r.id, r.fromAllowance, r.chargeFen]), [['a', 1, 0], ['b', 1, 10], ['c', 0, 30]]);
  });
});

/** An independent, deliberately simple re-rating: one unit at a time. */
function naive(line: RatingLine, events: UsageEvent[]) {
  const buckets = line.buckets.map((b) => ({ ...b }));
  let balance = line.balance;
  let allowance = 0;
  let money = 0;
  for (const e of [...events].sort((a, b) => a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1))) {
    let left = e.quantity;
    const order = buckets
      .filter((b) => b.kind === e.type && b.startsAt <= e.startedAt && e.startedAt < b.expiresAt)
      .sort((a, b) => (a.source !== b.source ? (a.source === 'addon' ? -1 : 1) : a.expiresAt - b.expiresAt || (a.id < b.id ? -1 : 1)));
    for (const b of order) {
      const take = Math.min(left, b.total - b.used);
      b.used += take;
      left -= take;
      allowance += take;
    }
    // Grow the charged quantity while its price fits.
    let q = 0;
    const price = (n: number) => overageCharge(e.type, n, line.tariff);
    const step = e.type === 'voice' ? 60 : 1;
    while (q < left && price(Math.min(left, q + step)) <= balance + line.creditLimit) q = Math.min(left, q + step);
    const fee = price(q);
    balance -= fee;
    money += fee;
  }
  return { allowance, money, balance };
}

describe('rating conserves value (property)', () => {
  it('allowance used + money charged equal an independent re-rating', () => {
    const ev = fc.record({
      type: fc.constantFrom('data' as const, 'voice' as const, 'sms' as const),
      quantity: fc.integer({ min: 0, max: 400 }),
      startedAt: fc.integer({ min: 0, max: 30 }),
    });
    const bk = fc.record({
      kind: fc.constantFrom('data' as const, 'voice' as const, 'sms' as const),
      source: fc.constantFrom('plan' as const, 'addon' as const),
      total: fc.integer({ min: 0, max: 300 }),
      startsAt: fc.integer({ min: 0, max: 10 }),
      expiresAt: fc.integer({ min: 5, max: 40 }),
    });
    fc.assert(
      fc.property(
        fc.array(ev, { maxLength: 30 }),
        fc.array(bk, { maxLength: 5 }),
        fc.integer({ min: -50, max: 500 }),
        fc.integer({ min: 0, max: 300 }),
        fc.record({ dataFenPerGb: fc.integer({ min: 0, max: 3 * GB }), voiceFenPerMin: fc.integer({ min: 0, max: 50 }), smsFenEach: fc.integer({ min: 0, max: 20 }) }),
        (evs, bks, balance, creditLimit, t) => {
          const events = evs.map((e, i) => ({ ...e, id: `e${String(i).padStart(3, '0')}` }));
          const buckets = bks.map((b, i) => ({ ...b, id: `b${i}`, used: 0 }));
          const start = Math.max(balance, -creditLimit);
          const line: RatingLine = { tariff: t, balance: start, creditLimit, buckets: buckets.map((b) => ({ ...b })) };
          const expected = naive({ ...line, buckets }, events);
          const rated = rateLine(line, events);
          const allowance = rated.reduce((s, r) => s + r.fromAllowance, 0);
          const money = rated.reduce((s, r) => s + r.chargeFen, 0);
          assert.equal(allowance, expected.allowance);
          assert.equal(money, expected.money);
          assert.equal(line.balance, start - money);
          assert.ok(line.balance >= -creditLimit || money === 0);
          for (const r of rated) {
            const e = events.find((x) => x.id === r.id)!;
            assert.equal(r.fromAllowance + r.chargedQuantity + r.unratedQuantity, e.quantity);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
