import type { Actor } from '../modules/audit/audit.service.js';
import type { Services } from '../services.js';
import { DEMO_PLANS } from '../seed/catalog.js';
import { profileFor, rng, simulateDay, type SimLine } from './usage-sim.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏辉玲建华飞宇浩然子涵欣怡梓轩雨桐思远佳怡一诺';
const DAY = 86_400_000;

/**
 * Make sure `count` open lines exist, opening new ones for new customers on
 * the demo plans (opening balance enough for the months ahead). Numbers
 * start at 150 0000 0000 + n so they never clash with real-looking demo ones.
 */
export async function ensureLines(s: Services, actor: Actor, count: number, opts: { openedAt: Date; seed: number; months: number; onProgress?: (done: number) => void }): Promise<SimLine[]> {
  const r = rng(opts.seed);
  const existing = await s.db.selectFrom('line').select(['msisdn']).where('status', '!=', 'closed').orderBy('created_at').limit(count).execute();
  const out: SimLine[] = existing.map((l) => ({ msisdn: l.msisdn, profile: profileFor(r) }));
  const plans = new Map<string, { id: string; fee: number }>();
  for (const p of DEMO_PLANS) {
    const row = await s.catalog.planByCode(s.db, p.code);
    if (row) plans.set(p.code, { id: row.id, fee: row.monthly_fee_fen });
  }
  const codes = [...plans.keys()];
  if (!codes.length) throw new Error('no demo plans: run the demo seed first');
  let n = 0;
  while (out.length < count) {
    const msisdn = `150${String(n++).padStart(8, '0')}`;
    if (await s.db.selectFrom('line').select('id').where('msisdn', '=', msisdn).executeTakeFirst()) continue;
    const name = SURNAMES[Math.floor(r() * SURNAMES.length)]! + GIVEN[Math.floor(r() * GIVEN.length)]! + (r() < 0.5 ? GIVEN[Math.floor(r() * GIVEN.length)]! : '');
    const profile = profileFor(r);
    const code = profile === 'heavy' ? codes[Math.min(codes.length - 1, 3 + Math.floor(r() * 2))]! : profile === 'light' ? codes[Math.floor(r() * 2)]! : codes[1 + Math.floor(r() * 3)]!;
    const plan = plans.get(code)!;
    const customer = await s.db.transaction().execute((trx) => s.customers.findOrCreateByPhone(trx, msisdn, name));
    await s.charging.openLine(actor, {
      customerId: customer.id, msisdn, planId: plan.id, creditLimitFen: r() < 0.3 ? 5000 : 0,
      openingBalanceFen: plan.fee * (opts.months + 1) + Math.round(2000 + r() * 8000), at: opts.openedAt,
    });
    out.push({ msisdn, profile });
    opts.onProgress?.(out.length);
  }
  return out;
}

/**
 * Simulate `days` days of usage ending with yesterday (Beijing) for `lines`,
 * rated through the same ingestion path as the API, day by day in batches.
 */
export async function simulateUsage(s: Services, lines: SimLine[], opts: { days: number; seed: number; end?: Date; batch?: number; onDay?: (day: number, events: number) => void }) {
  const end = opts.end ?? s.clock.now();
  const startOfToday = Math.floor((end.getTime() + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
  const batch = opts.batch ?? 10_000;
  let total = 0;
  let accepted = 0;
  for (let d = opts.days; d >= 1; d--) {
    const events = simulateDay(lines, new Date(startOfToday - d * DAY), opts.seed + d);
    for (let i = 0; i < events.length; i += batch) {
      const res = await s.charging.ingest(events.slice(i, i + batch));
      accepted += res.accepted;
    }
    total += events.length;
    opts.onDay?.(opts.days - d + 1, total);
  }
  await s.charging.rolloverDue();
  return { events: total, accepted };
}
