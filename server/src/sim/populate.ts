import { ManualClock } from '../platform/clock.js';
import type { Actor } from '../modules/audit/audit.service.js';
import { buildServices, type Services } from '../services.js';
import { DEMO_PLANS } from '../seed/catalog.js';
import { behaviourFor, profileFor, rng, simulateDay, type SimLine } from './usage-sim.js';
import { createBehaviour } from './behaviour.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍鹏辉玲建华飞宇浩然子涵欣怡梓轩雨桐思远佳怡一诺';
const DAY = 86_400_000;

/**
 * Make sure `count` open lines exist, opening new ones for new customers on
 * the demo plans. Numbers start at 150 0000 0000 + n so they never clash with
 * real-looking demo ones. Lines that already exist (the demo accounts) keep a
 * steady behaviour; new ones get one (see behaviour.ts), which sets the plan
 * and opening balance: steady and leaving lines get enough for the months
 * ahead, "topper" lines a plan too small for their usage and money for packs,
 * lapsing lines one or two months of fees.
 */
export async function ensureLines(s: Services, actor: Actor, count: number, opts: { openedAt: Date; seed: number; months: number; onProgress?: (done: number) => void }): Promise<SimLine[]> {
  const r = rng(opts.seed);
  const existing = await s.db.selectFrom('line').select(['msisdn']).where('status', '!=', 'closed').orderBy('created_at').limit(count).execute();
  // Existing lines (the demo accounts people sign in with) stay steady and at most medium users.
  const out: SimLine[] = existing.map((l) => ({ msisdn: l.msisdn, profile: profileFor(r) === 'light' ? 'light' : 'medium', behaviour: 'steady' }));
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
    const behaviour = behaviourFor(r);
    let code = profile === 'heavy' ? codes[Math.min(codes.length - 1, 3 + Math.floor(r() * 2))]! : profile === 'light' ? codes[Math.floor(r() * 2)]! : codes[1 + Math.floor(r() * 3)]!;
    // A topper's plan is too small for what they use: heavy on ¥39 (20 GB), medium on ¥19 (5 GB).
    if (behaviour === 'topper') code = profile === 'heavy' ? codes[1]! : codes[0]!;
    const plan = plans.get(code)!;
    const customer = await s.db.transaction().execute((trx) => s.customers.findOrCreateByPhone(trx, msisdn, name));
    const lapsing = behaviour === 'lapsing';
    const openingBalanceFen = lapsing
      ? plan.fee * (1 + Math.floor(r() * 2)) + Math.round(r() * 1500)
      : plan.fee * (opts.months + 1) + Math.round(2000 + r() * 8000) + (behaviour === 'topper' ? 15_000 * opts.months : 0);
    await s.charging.openLine(actor, {
      customerId: customer.id, msisdn, planId: plan.id, creditLimitFen: !lapsing && r() < 0.3 ? 5000 : 0, openingBalanceFen, at: opts.openedAt,
    });
    out.push({ msisdn, profile, behaviour });
    opts.onProgress?.(out.length);
  }
  return out;
}

/**
 * Simulate `days` days ending with yesterday (Beijing) for `lines`, day by
 * day on a simulated clock, so everything happens at its own time: usage is
 * rated through the same ingestion path as the API (cycle fees, allowances,
 * suspension when the money runs out) and, unless `behaviour: false`, the
 * subscribers act through the real flows each evening (behaviour.ts): buy
 * add-on packs when data runs low, top up a suspended line, close a line.
 * Suspended and closed lines make no usage.
 */
export async function simulateUsage(s: Services, lines: SimLine[], opts: { days: number; seed: number; end?: Date; batch?: number; behaviour?: boolean; onDay?: (day: number, events: number) => void }) {
  const end = opts.end ?? s.clock.now();
  const startOfToday = Math.floor((end.getTime() + 8 * 3600_000) / DAY) * DAY - 8 * 3600_000;
  const batch = opts.batch ?? 10_000;
  const clock = new ManualClock(new Date(startOfToday - opts.days * DAY));
  const sim = buildServices({ config: s.config, db: s.db, pool: s.pool, clock, ids: s.ids, log: s.log, jwtSecret: s.jwtSecret, ...(s.sandboxPaySecret ? { sandboxPaySecret: s.sandboxPaySecret } : {}) });
  const act = opts.behaviour === false ? null : await createBehaviour(sim, clock, lines, { seed: opts.seed, days: opts.days });
  let total = 0;
  let accepted = 0;
  let actMs = 0;
  let rateMs = 0;
  for (let d = opts.days; d >= 1; d--) {
    const dayStart = startOfToday - d * DAY;
    clock.set(new Date(dayStart + 20 * 3600_000)); // 20:00 Beijing: subscribers act on yesterday's state
    const t0 = Date.now();
    const using = act ? await act.day(opts.days - d) : lines;
    const events = simulateDay(using, new Date(dayStart), opts.seed + d);
    clock.set(new Date(dayStart + DAY - 60_000)); // the day's usage is rated at its end
    const t1 = Date.now();
    for (let i = 0; i < events.length; i += batch) {
      const res = await sim.charging.ingest(events.slice(i, i + batch));
      accepted += res.accepted;
    }
    actMs += t1 - t0;
    rateMs += Date.now() - t1;
    total += events.length;
    opts.onDay?.(opts.days - d + 1, total);
  }
  await s.charging.rolloverDue();
  return { events: total, accepted, actMs, rateMs, ...(act ? { actions: act.counts } : {}) };
}
