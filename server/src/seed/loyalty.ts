import type { Services } from '../services.js';
import { inTransaction } from '../platform/db.js';

type Actor = { kind: 'system'; id: null; name: string; ip: string; userAgent: string };
const DAY = 86_400_000;

/** Demo earning rules: 1 point per ¥1 (more for higher tiers), first top-up, check-in streak, caps, and next month's double-points week. */
function demoRules(now: Date) {
  const nextWeek = new Date(now.getTime() + 30 * DAY);
  return [
    { code: 'base', kind: 'base' as const, nameZh: '消费积分', nameEn: 'Points on spend', config: { pointsPer100Yuan: { normal: 100, silver: 120, gold: 150, diamond: 200 } } },
    { code: 'first_topup', kind: 'first_topup' as const, nameZh: '首次充值奖励', nameEn: 'First top-up bonus', config: { points: 100 } },
    { code: 'checkin', kind: 'checkin' as const, nameZh: '每日签到', nameEn: 'Daily check-in', config: { points: 5, streakStep: 5, cap: 30 } },
    { code: 'limits', kind: 'limit' as const, nameZh: '获取上限', nameEn: 'Earning limits', config: { dailyMax: 5000, monthlyMax: 50000 } },
    {
      code: 'double_week', kind: 'multiplier' as const, nameZh: '双倍积分周', nameEn: 'Double points week', config: { percent: 200 },
      startsAt: nextWeek.toISOString(), endsAt: new Date(nextWeek.getTime() + 7 * DAY).toISOString(),
    },
  ];
}

/** The demo rewards: P = b × S with b = 100 points per yuan of value. */
const DEMO_REWARDS = [
  { code: 'topup_bonus_5', kind: 'topup_bonus' as const, nameZh: '5元话费券', nameEn: '¥5 credit coupon', descriptionZh: '充值满30元加赠5元话费', descriptionEn: '¥5 extra credit on a top-up of ¥30 or more', valueFen: 500, minSpendFen: 3000, pointsPrice: 500, validDays: 30 },
  { code: 'addon_off_10', kind: 'discount' as const, nameZh: '10元加油包抵扣券', nameEn: '¥10 off an add-on', descriptionZh: '购买30元及以上加油包立减10元', descriptionEn: '¥10 off an add-on of ¥30 or more', valueFen: 1000, minSpendFen: 3000, pointsPrice: 1000, validDays: 30 },
  { code: 'data_1gb', kind: 'data_pack' as const, nameZh: '1GB流量包券', nameEn: '1 GB data pack coupon', descriptionZh: '免费兑换1GB流量包（30天）', descriptionEn: 'A free 1 GB data pack (30 days)', valueFen: 1000, addonCode: 'data1g', pointsPrice: 900, validDays: 60, perMemberLimit: 3 },
  { code: 'video_vip', kind: 'goods' as const, nameZh: '视频会员月卡', nameEn: 'Video membership (1 month)', descriptionZh: '腾讯视频/爱奇艺任选其一', descriptionEn: 'One month of a video streaming membership', valueFen: 2500, pointsPrice: 2500, stock: 200, validDays: 30, perMemberLimit: 2 },
  { code: 'thermos', kind: 'goods' as const, nameZh: '定制保温杯', nameEn: 'Telehall thermos', descriptionZh: '304不锈钢，450ml', descriptionEn: 'Stainless steel, 450 ml', valueFen: 5900, pointsPrice: 5900, stock: 50, validDays: 30, perMemberLimit: 1 },
];

/**
 * Loyalty demo data: rules, rewards, and points earned the real way — top-ups
 * through the sandbox gateway's signed callback, delivered by the outbox to
 * loyalty — for the demo subscribers and some other lines, a check-in, and a
 * redeemed coupon in the first demo subscriber's wallet.
 */
export async function seedLoyalty(s: Services, actor: Actor, demoPhones: readonly string[], otherLines: number): Promise<{ payments: number }> {
  const now = s.clock.now();
  await inTransaction(s.db, async (trx) => {
    for (const r of demoRules(now)) await s.loyalty.rules.save(trx, r, null);
    for (const r of DEMO_REWARDS) await s.loyalty.rewards.create(trx, r);
  });
  const gw = s.payments.provider as unknown as { sign(body: string): string };
  const lines = await s.db.selectFrom('line').select(['id', 'customer_id', 'msisdn']).where('status', '!=', 'closed').orderBy('msisdn').execute();
  const demo = lines.filter((l) => demoPhones.includes(l.msisdn));
  const others = lines.filter((l) => !demoPhones.includes(l.msisdn)).slice(0, otherLines);
  let payments = 0;
  const topup = async (l: (typeof lines)[number], amount: number) => {
    const created = await s.paymentFlows.create(actor, l.customer_id, { lineId: l.id, amount, method: 'qr' });
    const body = JSON.stringify({ paymentId: created.body.payment.id, providerRef: `demo-${created.body.payment.id.slice(0, 8)}`, amount, currency: 'CNY', status: 'succeeded', sentAt: s.clock.now().toISOString() });
    await s.paymentFlows.callback('sandbox', body, gw.sign(body), '127.0.0.1');
    payments++;
  };
  for (const [i, l] of demo.entries()) for (const amount of [10000, 20000, 30000 + i * 5000]) await topup(l, amount);
  for (const [i, l] of others.entries()) await topup(l, [3000, 5000, 10000, 20000][i % 4]!);
  await s.dispatcher.drain();
  const first = demo[0];
  if (first) {
    await s.loyaltyFlows.checkIn(first.customer_id, first.id);
    const bonus = await s.db.selectFrom('reward').select('id').where('code', '=', 'topup_bonus_5').executeTakeFirstOrThrow();
    await inTransaction(s.db, (trx) => s.loyalty.rewards.redeem(trx, { customerId: first.customer_id, lineId: first.id, rewardId: bonus.id }));
  }
  return { payments };
}
