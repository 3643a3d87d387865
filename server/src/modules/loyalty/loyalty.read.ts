import type { Coupon, EarningRule, LoyaltyDashboard, PointEvent, PointsSummary, Reward } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Db } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import { localDay } from './points.js';
import type { RewardRow } from './rewards.js';
import type { RuleRow } from './rules.js';

const cny = (amount: number) => ({ amount, currency: 'CNY' as const });

export const toReward = (r: RewardRow): Reward => ({
  id: r.id, code: r.code, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, descriptionZh: r.description_zh, descriptionEn: r.description_en,
  value: cny(r.value_fen), minSpend: cny(r.min_spend_fen), addonCode: r.addon_code, pointsPrice: r.points_price, stock: r.stock, issued: r.issued,
  globalLimit: r.global_limit, perMemberLimit: r.per_member_limit, validDays: r.valid_days, active: r.active,
});

export const toRule = (r: RuleRow): EarningRule => ({
  id: r.id, code: r.code, version: r.version, kind: r.kind, nameZh: r.name_zh, nameEn: r.name_en, config: r.config,
  startsAt: r.starts_at?.toISOString() ?? null, endsAt: r.ends_at?.toISOString() ?? null, active: r.active, createdAt: r.created_at.toISOString(),
});

/** What subscribers and staff read: balances with expiry, history, wallet, dashboard. */
export function loyaltyReads({ db, clock }: { db: Db; clock: Clock }) {
  return {
    /** A line's points (zero for a line that never earned). `customerId` scopes it to its owner. @throws not_found */
    async summary(lineId: string, customerId: string | null): Promise<PointsSummary> {
      let q = db.selectFrom('line').select(['id', 'status']).where('id', '=', lineId);
      if (customerId) q = q.where('customer_id', '=', customerId).where('status', '!=', 'closed');
      const line = await q.executeTakeFirst();
      if (!line) throw notFound('line');
      const m = await sql<{ tier: PointsSummary['tier']; tier_spend_fen: number; shortfall: number; checkin_streak: number; last: string | null; balance: number | null }>`
        SELECT m.tier, m.tier_spend_fen, m.shortfall, m.checkin_streak, m.last_checkin_day::text AS last, a.balance
        FROM loyalty_member m LEFT JOIN ledger_account a ON a.code = 'line:' || m.line_id || ':POINTS' WHERE m.line_id = ${lineId}`.execute(db);
      const row = m.rows[0];
      const lots = await db.selectFrom('point_lot').select(['expires_at', (eb) => eb.fn.sum<number>('remaining').as('points')])
        .where('line_id', '=', lineId).where('remaining', '>', 0).where('expires_at', '>', clock.now()).groupBy('expires_at').orderBy('expires_at').execute();
      const now = clock.now();
      const today = localDay(now);
      const yesterday = localDay(new Date(now.getTime() - 86_400_000));
      const checkin = await db.selectFrom('earning_rule').select('id').where('kind', '=', 'checkin').where('active', '=', true).executeTakeFirst();
      const streak = row && (row.last === today || row.last === yesterday) ? row.checkin_streak : 0;
      return {
        lineId, balance: Number(row?.balance ?? 0), tier: row?.tier ?? 'normal', tierSpend: cny(Number(row?.tier_spend_fen ?? 0)), shortfall: Number(row?.shortfall ?? 0),
        frozen: line.status !== 'active', checkin: { streak, checkedInToday: row?.last === today, available: Boolean(checkin) },
        expiring: lots.map((l) => ({ expiresAt: l.expires_at.toISOString(), points: Number(l.points) })),
      };
    },

    /** A line's point history, newest first, with the rule behind each entry. */
    async history(lineId: string, q: { limit?: number; cursor?: string }): Promise<{ items: PointEvent[]; nextCursor: string | null }> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('point_event as e').leftJoin('earning_rule as r', 'r.id', 'e.rule_id')
        .select(['e.id', 'e.kind', 'e.points', 'e.settled', 'e.reason', 'e.source_kind', 'e.source_id', 'e.created_at', 'r.id as rule_id', 'r.code', 'r.version', 'r.name_zh', 'r.name_en'])
        .where('e.line_id', '=', lineId).orderBy('e.created_at', 'desc').orderBy('e.id', 'desc').limit(limit + 1);
      if (q.cursor) {
        const [at, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
        const when = new Date(at ?? '');
        if (!id || Number.isNaN(when.getTime())) throw new AppError('invalid_data', 'invalid_cursor', 'The cursor is not valid');
        query = query.where((eb) => eb.or([eb('e.created_at', '<', when), eb.and([eb('e.created_at', '=', when), eb('e.id', '<', id)])]));
      }
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => ({
          id: r.id, kind: r.kind, points: r.points, settled: r.settled, reason: r.reason, source: { kind: r.source_kind, id: r.source_id }, createdAt: r.created_at.toISOString(),
          rule: r.rule_id ? { id: r.rule_id, code: r.code!, version: r.version!, nameZh: r.name_zh!, nameEn: r.name_en! } : null,
        })),
        nextCursor: rows.length > limit && last ? Buffer.from(`${last.created_at.toISOString()}|${last.id}`).toString('base64url') : null,
      };
    },

    /** A line's coupons, usable ones first. */
    async wallet(lineId: string, customerId: string | null, status?: Coupon['status']): Promise<Coupon[]> {
      let q = db.selectFrom('coupon as c').innerJoin('reward as r', 'r.id', 'c.reward_id').leftJoin('payment as p', (j) => j.on(sql<boolean>`c.reserved_ref = 'payment:' || p.id::text`))
        .select(['c.id', 'c.reward_id', 'c.status', 'c.issued_at', 'c.expires_at', 'c.used_at', 'c.used_ref', 'c.discount_fen', 'r.kind', 'r.name_zh', 'r.name_en', 'r.value_fen', 'r.min_spend_fen', 'r.addon_code', 'p.status as payment_status'])
        .where('c.line_id', '=', lineId).orderBy('c.expires_at');
      if (customerId) q = q.where('c.customer_id', '=', customerId);
      const now = clock.now();
      const rows = await q.execute();
      const items = rows.map((c): Coupon => {
        const st: Coupon['status'] = c.status === 'used' ? 'used' : c.expires_at <= now ? 'expired' : c.status === 'reserved' && c.payment_status === 'pending' ? 'reserved' : 'available';
        return {
          id: c.id, rewardId: c.reward_id, kind: c.kind, nameZh: c.name_zh, nameEn: c.name_en, value: cny(c.value_fen), minSpend: cny(c.min_spend_fen), addonCode: c.addon_code, status: st,
          issuedAt: c.issued_at.toISOString(), expiresAt: c.expires_at.toISOString(), usedAt: c.used_at?.toISOString() ?? null, usedRef: c.used_ref, discount: c.discount_fen === null ? null : cny(c.discount_fen),
        };
      });
      const order = { available: 0, reserved: 1, used: 2, expired: 3 };
      return items.filter((c) => !status || c.status === status).sort((a, b) => order[a.status] - order[b.status]);
    },

    /** Points issued, redeemed, expired, outstanding and the liability they represent. */
    async dashboard(): Promise<LoyaltyDashboard> {
      const totals = await sql<{ kind: string; pos: string; neg: string }>`SELECT kind, coalesce(sum(points) FILTER (WHERE points > 0), 0)::text AS pos, coalesce(-sum(points) FILTER (WHERE points < 0), 0)::text AS neg FROM point_event GROUP BY kind`.execute(db);
      const t = (kind: string, col: 'pos' | 'neg') => Number(totals.rows.find((r) => r.kind === kind)?.[col] ?? 0);
      const issued = t('earn', 'pos') + t('grant', 'pos');
      const outstanding = await sql<{ n: string }>`SELECT coalesce(sum(balance), 0)::text AS n FROM ledger_account WHERE kind = 'points'`.execute(db);
      const out = Number(outstanding.rows[0]!.n);
      // Valued at what a point buys in the catalog: Σ value / Σ points price over active coupon rewards (1 fen per point when none).
      const val = await sql<{ v: string; p: string }>`SELECT coalesce(sum(value_fen), 0)::text AS v, coalesce(sum(points_price), 0)::text AS p FROM reward WHERE active AND kind <> 'goods' AND points_price > 0`.execute(db);
      const v = Number(val.rows[0]!.v);
      const p = Number(val.rows[0]!.p);
      const [num, den] = p > 0 ? [v, p] : [1, 1];
      const byMonth = await sql<{ month: string; issued: string; redeemed: string; expired: string }>`
        SELECT to_char(created_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM') AS month,
          coalesce(sum(points) FILTER (WHERE kind IN ('earn', 'grant')), 0)::text AS issued,
          coalesce(-sum(points) FILTER (WHERE kind = 'redeem'), 0)::text AS redeemed,
          coalesce(-sum(points) FILTER (WHERE kind = 'expire'), 0)::text AS expired
        FROM point_event GROUP BY 1 ORDER BY 1 DESC LIMIT 12`.execute(db);
      const top = await sql<{ reward_id: string; name_zh: string; name_en: string; n: string; points: string }>`
        SELECT r.id AS reward_id, r.name_zh, r.name_en, count(*)::text AS n, sum(d.points)::text AS points FROM redemption d JOIN reward r ON r.id = d.reward_id
        GROUP BY r.id ORDER BY count(*) DESC LIMIT 10`.execute(db);
      const counts = await sql<{ members: string; redemptions: string }>`SELECT (SELECT count(*) FROM loyalty_member)::text AS members, (SELECT count(*) FROM redemption)::text AS redemptions`.execute(db);
      return {
        issued, redeemed: t('redeem', 'neg'), expired: t('expire', 'neg'), cleared: t('clear', 'neg') + t('close', 'neg'), clawedBack: t('clawback', 'neg'), outstanding: out,
        liability: cny(Math.round((out * num) / den)), fenPerPoint: (num / den).toFixed(4),
        members: Number(counts.rows[0]!.members), redemptions: Number(counts.rows[0]!.redemptions),
        byMonth: byMonth.rows.reverse().map((r) => ({ month: r.month, issued: Number(r.issued), redeemed: Number(r.redeemed), expired: Number(r.expired) })),
        topRewards: top.rows.map((r) => ({ rewardId: r.reward_id, nameZh: r.name_zh, nameEn: r.name_en, redemptions: Number(r.n), points: Number(r.points) })),
      };
    },
  };
}
