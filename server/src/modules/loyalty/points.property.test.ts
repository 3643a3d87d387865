import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { ManualClock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { makeLine, makePlan, systemActor } from '../../../test/factories.js';
import { clawBack, expireLots, lockMember } from './points.js';

const DAY = 86_400_000;

type Op =
  | { op: 'earn'; points: number }
  | { op: 'redeem'; price: number }
  | { op: 'clawback'; points: number }
  | { op: 'clear'; points: number }
  | { op: 'wait'; days: number }
  | { op: 'expire' };

describe('points property: any sequence of earn/redeem/claw-back/clear/expire keeps the books', () => {
  const clock = new ManualClock('2026-11-10T02:00:00Z');
  let t: TestContext;
  let planId: string;
  before(async () => {
    t = await createTestContext({ clock });
    planId = (await makePlan(t.s)).id;
  });
  after(() => t.close());

  it('points are conserved in the ledger, lots and history, and never negative', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(
          fc.record({ op: fc.constant('earn' as const), points: fc.integer({ min: 1, max: 500 }) }),
          fc.record({ op: fc.constant('redeem' as const), price: fc.integer({ min: 0, max: 400 }) }),
          fc.record({ op: fc.constant('clawback' as const), points: fc.integer({ min: 1, max: 300 }) }),
          fc.record({ op: fc.constant('clear' as const), points: fc.integer({ min: 1, max: 300 }) }),
          fc.record({ op: fc.constant('wait' as const), days: fc.integer({ min: 1, max: 400 }) }),
          fc.constant({ op: 'expire' as const }),
        ), { minLength: 1, maxLength: 25 }),
        async (ops: Op[]) => {
          run++;
          clock.set('2026-11-10T02:00:00Z');
          const { lineId } = await makeLine(t.s, planId);
          const d = t.s.loyalty.deps;
          let model = 0;
          let shortfall = 0;
          for (const [i, o] of ops.entries()) {
            const src = { kind: 'prop', id: `${run}-${i}` };
            if (o.op === 'earn') {
              await inTransaction(t.s.db, (trx) => t.s.loyalty.grantPoints(trx, { lineId, points: o.points, reason: 'p', source: src }));
              const settle = Math.min(shortfall, o.points);
              shortfall -= settle;
              model += o.points - settle;
            } else if (o.op === 'redeem') {
              const reward = await inTransaction(t.s.db, (trx) => t.s.loyalty.rewards.create(trx, { code: `r${run}_${i}`, kind: 'goods', nameZh: 'g', nameEn: 'g', valueFen: 1, pointsPrice: o.price, validDays: 1 }));
              const ok = await inTransaction(t.s.db, (trx) => t.s.loyalty.rewards.redeem(trx, { customerId: null, lineId, rewardId: reward.id })).then(() => true, (e: { code?: string }) => {
                assert.equal(e.code, 'insufficient_points');
                return false;
              });
              assert.equal(ok, o.price <= model);
              if (ok) model -= o.price;
            } else if (o.op === 'clawback') {
              await inTransaction(t.s.db, async (trx) => clawBack(trx, d, await lockMember(trx, d, lineId), o.points, { kind: 'clawback', source: src }));
              const taken = Math.min(model, o.points);
              model -= taken;
              shortfall += o.points - taken;
            } else if (o.op === 'clear') {
              const ok = await t.s.loyaltyFlows.clear(systemActor, lineId, { points: o.points, reason: 'prop' }).then(() => true, () => false);
              assert.equal(ok, o.points <= model);
              if (ok) model -= o.points;
            } else if (o.op === 'wait') {
              clock.advance(o.days * DAY);
            } else {
              await inTransaction(t.s.db, async (trx) => expireLots(trx, d, await lockMember(trx, d, lineId), clock.now()));
              const left = await t.s.db.selectFrom('point_lot').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), eb.val(0)).as('n')).where('line_id', '=', lineId).executeTakeFirstOrThrow();
              model = Number(left.n);
            }
            const acc = await t.s.ledger.lineAccount(t.s.db, lineId, 'POINTS').catch(() => ({ balance: 0 }));
            assert.ok(acc.balance >= 0, 'balance never negative');
            assert.equal(acc.balance, model);
          }
          const lots = await t.s.db.selectFrom('point_lot').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), eb.val(0)).as('n')).where('line_id', '=', lineId).executeTakeFirstOrThrow();
          const hist = await t.s.db.selectFrom('point_event').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('points'), eb.val(0)).as('n')).where('line_id', '=', lineId).executeTakeFirstOrThrow();
          const neg = await t.s.db.selectFrom('point_lot').select('id').where('remaining', '<', 0).executeTakeFirst();
          assert.equal(neg, undefined);
          assert.equal(Number(lots.n), model);
          assert.equal(Number(hist.n), model);
          const member = await t.s.db.selectFrom('loyalty_member').select('shortfall').where('line_id', '=', lineId).executeTakeFirst();
          assert.equal(member?.shortfall ?? 0, shortfall);
          assert.deepEqual(await t.s.ledger.verify(), []);
        },
      ),
      { numRuns: 30 },
    );
  });
});
