import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ManualClock } from '../../platform/clock.js';
import { inTransaction } from '../../platform/db.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { makeLine, makePlan } from '../../../test/factories.js';

describe('loyalty seams: grantPoints and issueCoupon', () => {
  const clock = new ManualClock('2026-11-22T02:00:00Z');
  let t: TestContext;
  let planId: string;
  before(async () => {
    t = await createTestContext({ clock });
    planId = (await makePlan(t.s)).id;
  });
  after(() => t.close());

  const pointsOf = async (lineId: string) => (await t.s.ledger.lineAccount(t.s.db, lineId, 'POINTS')).balance;

  it('grantPoints credits a lot expiring at the end of the 36th month, once per source', async () => {
    const { lineId } = await makeLine(t.s, planId);
    const grant = () => inTransaction(t.s.db, (trx) => t.s.loyalty.grantPoints(trx, { lineId, points: 300, reason: 'campaign bonus', source: { kind: 'campaign', id: 'c-1' } }));
    const a = await grant();
    const b = await grant();
    assert.equal(a.points, 300);
    assert.equal(b.replayed, true);
    assert.equal(b.eventId, a.eventId);
    assert.equal(await pointsOf(lineId), 300);
    const lot = await t.s.db.selectFrom('point_lot').selectAll().where('line_id', '=', lineId).executeTakeFirstOrThrow();
    // Earned 2026-11-22 (CST): the 36th month is Oct 2029, so the lot lasts until 2029-11-01 00:00 CST.
    assert.equal(lot.expires_at.toISOString(), '2029-10-31T16:00:00.000Z');
    const ev = await t.s.db.selectFrom('point_event').selectAll().where('line_id', '=', lineId).execute();
    assert.deepEqual(ev.map((e) => [e.kind, e.points, e.reason, e.source_kind, e.source_id]), [['grant', 300, 'campaign bonus', 'campaign', 'c-1']]);
    assert.deepEqual(await t.s.ledger.verify(), []);
    const bad = await inTransaction(t.s.db, (trx) => t.s.loyalty.grantPoints(trx, { lineId, points: 0, reason: 'x', source: { kind: 'campaign', id: 'c-2' } })).catch((e: { code?: string }) => e.code);
    assert.equal(bad, 'invalid_points');
  });

  it('issueCoupon puts a coupon in the wallet without charging points, respects stock, idempotent per source', async () => {
    const { lineId } = await makeLine(t.s, planId);
    const reward = await inTransaction(t.s.db, (trx) => t.s.loyalty.rewards.create(trx, {
      code: 'seam_5yuan', kind: 'discount', nameZh: '5元券', nameEn: '¥5 off', valueFen: 500, minSpendFen: 1000, pointsPrice: 500, stock: 2, validDays: 30,
    }));
    const issue = (id: string) => inTransaction(t.s.db, (trx) => t.s.loyalty.issueCoupon(trx, { lineId, rewardId: reward.id, source: { kind: 'campaign', id } }));
    const a = await issue('c-1');
    assert.deepEqual(await issue('c-1'), a);
    await issue('c-2');
    await assert.rejects(issue('c-3'), (e: { code?: string }) => e.code === 'out_of_stock');
    assert.equal(await pointsOf(lineId), 0);
    const coupons = await t.s.db.selectFrom('coupon').selectAll().where('line_id', '=', lineId).execute();
    assert.equal(coupons.length, 2);
    assert.ok(coupons.every((c) => c.status === 'available' && c.expires_at.getTime() === clock.now().getTime() + 30 * 86_400_000));
    const r = await t.s.db.selectFrom('reward').select(['stock', 'issued']).where('id', '=', reward.id).executeTakeFirstOrThrow();
    assert.deepEqual(r, { stock: 0, issued: 2 });
    const goods = await inTransaction(t.s.db, (trx) => t.s.loyalty.rewards.create(trx, { code: 'seam_mug', kind: 'goods', nameZh: '杯子', nameEn: 'Mug', valueFen: 3000, pointsPrice: 3000, stock: 5, validDays: 30 }));
    await assert.rejects(inTransaction(t.s.db, (trx) => t.s.loyalty.issueCoupon(trx, { lineId, rewardId: goods.id, source: { kind: 'campaign', id: 'c-9' } })), (e: { code?: string }) => e.code === 'not_a_coupon');
  });
});
