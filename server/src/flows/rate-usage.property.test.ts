import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { ManualClock } from '../platform/clock.js';
import { createTestContext, type TestContext } from '../../test/harness.js';
import { balanceOf, makeLine, makePlan } from '../../test/factories.js';
import { rateLine, type Bucket } from '../modules/charging/rate.js';

/**
 * Through the database: random usage for a few lines, sent in random splits
 * and orders (with repeats), ends exactly where an in-memory re-rating of the
 * distinct records ends, and the books balance.
 */
describe('rating through the database conserves value (property)', () => {
  const clock = new ManualClock('2026-11-20T04:00:00Z');
  let t: TestContext;
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(() => t.close());

  it('allowance + charges + unrated = usage, equal to a re-rating, whatever the batching', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ line: fc.integer({ min: 0, max: 2 }), type: fc.constantFrom('data' as const, 'voice' as const, 'sms' as const), quantity: fc.integer({ min: 0, max: 3000 }), minute: fc.integer({ min: 1, max: 600 }) }), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 2000 }),
        async (spec, split, balance, creditLimit) => {
          const r = run++;
          const plan = await makePlan(t.s, { monthlyFeeFen: 0, dataBytes: 4000, voiceSeconds: 600, smsCount: 2, dataFenPerGb: 1024 ** 3, voiceFenPerMin: 7, smsFenEach: 5 });
          const lines: Awaited<ReturnType<typeof makeLine>>[] = [];
          for (let i = 0; i < 3; i++) lines.push(await makeLine(t.s, plan.id, { balanceFen: balance, creditLimitFen: creditLimit }));
          const events = spec.map((e, i) => ({ id: `p${r}-${i}`, msisdn: lines[e.line]!.msisdn, type: e.type, quantity: e.quantity, startedAt: new Date(Date.parse('2026-11-20T04:00:00Z') - e.minute * 60_000).toISOString() }));
          // Expected: each line re-rated in memory from its starting state.
          const expected = lines.map((l, i) => {
            const buckets: Bucket[] = [
              { id: 'd', kind: 'data', source: 'plan', total: 4000, used: 0, startsAt: 0, expiresAt: Number.MAX_SAFE_INTEGER },
              { id: 'v', kind: 'voice', source: 'plan', total: 600, used: 0, startsAt: 0, expiresAt: Number.MAX_SAFE_INTEGER },
              { id: 's', kind: 'sms', source: 'plan', total: 2, used: 0, startsAt: 0, expiresAt: Number.MAX_SAFE_INTEGER },
            ];
            const state = { tariff: { dataFenPerGb: 1024 ** 3, voiceFenPerMin: 7, smsFenEach: 5 }, balance, creditLimit, buckets };
            const rated = rateLine(state, events.filter((e) => e.msisdn === l.msisdn).map((e) => ({ ...e, startedAt: Date.parse(e.startedAt) })));
            return { line: lines[i]!, balance: state.balance, rated };
          });
          // Sent in chunks of `split`, in reverse chunk order, each chunk twice.
          const chunks = [];
          for (let i = 0; i < events.length; i += split) chunks.push(events.slice(i, i + split));
          for (const c of chunks.reverse()) {
            await t.s.charging.ingest(c);
            await t.s.charging.ingest(c);
          }
          for (const x of expected) {
            const stored = await t.s.db.selectFrom('usage_event').select(['id', 'from_allowance', 'charged_quantity', 'charge_fen', 'unrated_quantity']).where('line_id', '=', x.line.lineId).execute();
            const got = new Map(stored.map((s) => [s.id, s]));
            // Arrival order differs from time order, so a record may be rated after a later one:
            // totals per line are what must match, and each record must add up.
            for (const e of x.rated) {
              const s = got.get(e.id)!;
              assert.equal(s.from_allowance + s.charged_quantity + s.unrated_quantity, events.find((v) => v.id === e.id)!.quantity);
            }
            assert.equal(stored.length, x.rated.length);
            const money = stored.reduce((a, s) => a + s.charge_fen, 0);
            assert.equal(await balanceOf(t.s, x.line.lineId), balance - money);
            if (split >= events.length) {
              // One batch: rated in time order exactly like the re-rating.
              for (const e of x.rated) {
                const s = got.get(e.id)!;
                assert.deepEqual([s.from_allowance, s.charged_quantity, s.charge_fen, s.unrated_quantity], [e.fromAllowance, e.chargedQuantity, e.chargeFen, e.unratedQuantity]);
              }
              assert.equal(await balanceOf(t.s, x.line.lineId), x.balance);
            }
            assert.ok((await balanceOf(t.s, x.line.lineId)) >= Math.min(balance, -creditLimit));
          }
          const sums = await sql<{ s: string }>`SELECT coalesce(sum(amount), 0)::text AS s FROM ledger_entry`.execute(t.s.db);
          assert.equal(sums.rows[0]!.s, '0');
          assert.deepEqual(await t.s.ledger.verify(), []);
        },
      ),
      { numRuns: 40 },
    );
  });
});
