import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { cycleOf } from '../modules/lines/cycle.js';
import type { Loyalty } from '../modules/loyalty/loyalty.service.js';
import { completeTopupCoupon } from '../modules/loyalty/coupons.js';
import { clawBack, creditPoints, debitPoints, expireLots, localDay, lockMember, type LoyaltyDeps, type Member } from '../modules/loyalty/points.js';
import { basePoints, cfg, checkinPoints, headroom, multiplierExtra, rulesInForce, type RuleRow } from '../modules/loyalty/rules.js';
import { recomputeTiers } from '../modules/loyalty/tiers.js';
import { inTransaction, type Executor } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { Dispatcher } from '../platform/outbox.js';
import { enqueue } from '../platform/outbox.js';

const DAY = 86_400_000;

/** Lock a line's points for an event handler; null when the line is gone (closed lines earn nothing). */
async function memberOrNull(trx: Executor, d: LoyaltyDeps, lineId: string): Promise<Member | null> {
  try {
    return await lockMember(trx, d, lineId);
  } catch (err) {
    if (err instanceof AppError && err.type === 'not_found') return null;
    throw err;
  }
}

/**
 * Apply earnings in order, each naming its rule, clamped by the limit rule's
 * daily/monthly headroom. Returns the points earned (including any that
 * settled a claw-back shortfall).
 */
async function earn(trx: Executor, d: LoyaltyDeps, m: Member, rules: RuleRow[], items: { rule: RuleRow; points: number }[], source: { kind: string; id: string }, dedupe: string): Promise<number> {
  let room = await headroom(trx, m.lineId, rules, d.clock.now());
  let total = 0;
  for (const { rule, points } of items) {
    const n = Math.min(points, room);
    if (n <= 0) continue;
    const r = await creditPoints(trx, d, m, n, { kind: 'earn', ruleId: rule.id, reason: rule.name_zh, source, dedupeKey: `earn:${dedupe}:${rule.code}` });
    if (!r.replayed) {
      room -= n;
      total += n;
    }
  }
  return total;
}

/**
 * Points on a captured payment (S = a × M at the member's tier rate), plus
 * any multiplier in force and the first top-up bonus. Once per payment.
 */
export async function earnForPayment(trx: Executor, d: LoyaltyDeps, p: { paymentId: string; lineId: string; amountFen: number }): Promise<number> {
  const m = await memberOrNull(trx, d, p.lineId);
  if (!m) return 0;
  const rules = await rulesInForce(trx, d.clock.now());
  const items: { rule: RuleRow; points: number }[] = [];
  const base = rules.find((r) => r.kind === 'base');
  const basePts = base ? basePoints(p.amountFen, cfg(base, 'base').pointsPer100Yuan[m.tier]) : 0;
  if (base && basePts > 0) items.push({ rule: base, points: basePts });
  for (const r of rules.filter((x) => x.kind === 'multiplier')) {
    const extra = multiplierExtra(basePts, cfg(r, 'multiplier').percent);
    if (extra > 0) items.push({ rule: r, points: extra });
  }
  const first = rules.find((r) => r.kind === 'first_topup');
  if (first) {
    const had = await trx.selectFrom('point_event as e').innerJoin('earning_rule as r', 'r.id', 'e.rule_id').select('e.id')
      .where('e.line_id', '=', m.lineId).where('r.kind', '=', 'first_topup').executeTakeFirst();
    const earlier = await sql<{ n: number }>`SELECT count(*)::int AS n FROM payment WHERE line_id = ${m.lineId} AND status = 'captured' AND id <> ${p.paymentId}::uuid`.execute(trx);
    if (!had && earlier.rows[0]!.n === 0) items.push({ rule: first, points: cfg(first, 'first_topup').points });
  }
  return earn(trx, d, m, rules, items, { kind: 'payment', id: p.paymentId }, `payment:${p.paymentId}`);
}

/**
 * A refund claws back the points its payment earned, in proportion to the
 * amount refunded. What the balance cannot cover becomes a shortfall.
 */
export async function clawBackForRefund(trx: Executor, d: LoyaltyDeps, r: { paymentId: string; refundId: string; lineId: string; amountFen: number }): Promise<number> {
  const m = await memberOrNull(trx, d, r.lineId);
  if (!m) return 0;
  const earned = await trx.selectFrom('point_event').select((eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('points', '+', eb.ref('settled'))), eb.val(0)).as('n'))
    .where('line_id', '=', m.lineId).where('kind', '=', 'earn').where('source_kind', '=', 'payment').where('source_id', '=', r.paymentId).executeTakeFirstOrThrow();
  const clawed = await trx.selectFrom('point_event').select((eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('settled', '-', eb.ref('points'))), eb.val(0)).as('n'))
    .where('line_id', '=', m.lineId).where('kind', '=', 'clawback').where('source_kind', '=', 'refund')
    .where('source_id', 'in', sql<string>`(SELECT id::text FROM payment_refund WHERE payment_id = ${r.paymentId}::uuid)`).executeTakeFirstOrThrow();
  const pay = await sql<{ amount_fen: number }>`SELECT amount_fen FROM payment WHERE id = ${r.paymentId}::uuid`.execute(trx);
  const amount = pay.rows[0]?.amount_fen ?? 0;
  if (!amount || Number(earned.n) <= 0) return 0;
  const due = Math.min(Math.ceil((Number(earned.n) * r.amountFen) / amount), Number(earned.n) - Number(clawed.n));
  const res = await clawBack(trx, d, m, due, { kind: 'clawback', reason: '退款扣回 refund', source: { kind: 'refund', id: r.refundId }, dedupeKey: `clawback:${r.refundId}` });
  return res.taken + res.shortfall;
}

/** Closing a line wipes its points, with a ledger record. */
export async function wipeLine(trx: Executor, d: LoyaltyDeps, lineId: string): Promise<number> {
  const m = await lockMember(trx, d, lineId, { allowClosed: true });
  const n = m.balance;
  if (n > 0) await debitPoints(trx, d, m, n, 'cleared', { kind: 'close', reason: 'line closed', source: { kind: 'line', id: lineId } });
  return n;
}

/** Subscribe loyalty to payment and line events (inside the dispatcher's transaction). */
export function registerLoyalty(dispatcher: Dispatcher, d: LoyaltyDeps): void {
  dispatcher.on('payment.captured', async (trx, e) => {
    const p = e.payload as { paymentId: string; lineId: string; amountFen: number };
    await completeTopupCoupon(trx, d, p);
    await earnForPayment(trx, d, p);
  });
  dispatcher.on('payment.refunded', async (trx, e) => {
    await clawBackForRefund(trx, d, e.payload as { paymentId: string; refundId: string; lineId: string; amountFen: number });
  });
  dispatcher.on('line.closed', async (trx, e) => {
    const p = e.payload as { lineId: string };
    const exists = await trx.selectFrom('line').select('id').where('id', '=', p.lineId).executeTakeFirst();
    if (exists) await wipeLine(trx, d, p.lineId);
  });
}

/** Subscriber and staff use cases of loyalty, and its periodic job. */
export function createLoyaltyFlows(deps: { loyalty: Loyalty; audit: Audit; log: Logger }) {
  const { loyalty, audit, log } = deps;
  const d = loyalty.deps;
  const { db, clock } = d;

  return {
    /**
     * Daily check-in (签到): once per CST day; consecutive days grow a streak
     * that earns more, up to the rule's cap.
     * @throws not_found, conflict `already_checked_in`, unprocessable `checkin_unavailable` | `points_frozen`
     */
    checkIn: (customerId: string, lineId: string) => inTransaction(db, async (trx) => {
      const m = await lockMember(trx, d, lineId, { customerId });
      if (m.lineStatus !== 'active') throw new AppError('unprocessable', 'points_frozen', 'The line is suspended: its points are frozen');
      const now = clock.now();
      const today = localDay(now);
      const row = await sql<{ streak: number; last: string | null }>`SELECT checkin_streak AS streak, last_checkin_day::text AS last FROM loyalty_member WHERE line_id = ${m.lineId}`.execute(trx);
      const { streak: prevStreak, last } = row.rows[0]!;
      if (last === today) throw new AppError('conflict', 'already_checked_in', 'You have already checked in today');
      const rules = await rulesInForce(trx, now);
      const rule = rules.find((r) => r.kind === 'checkin');
      if (!rule) throw new AppError('unprocessable', 'checkin_unavailable', 'Daily check-in is not offered right now');
      const streak = last === localDay(new Date(now.getTime() - DAY)) ? prevStreak + 1 : 1;
      await trx.updateTable('loyalty_member').set({ checkin_streak: streak, last_checkin_day: today }).where('line_id', '=', m.lineId).execute();
      const points = await earn(trx, d, m, rules, [{ rule, points: checkinPoints(cfg(rule, 'checkin'), streak) }], { kind: 'checkin', id: today }, `checkin:${m.lineId}:${today}`);
      return { points, streak, balance: m.balance, checkedInToday: true };
    }),

    /** Staff grant (audited). @throws not_found, invalid_data `invalid_points` */
    grant: (actor: Actor, lineId: string, input: { points: number; reason: string }) => inTransaction(db, async (trx) => {
      const id = d.ids.uuid();
      const r = await loyalty.grantPoints(trx, { lineId, points: input.points, reason: input.reason, source: { kind: 'staff', id }, staffId: actor.id });
      await audit.record(trx, actor, { action: 'points.grant', resourceType: 'line', resourceId: lineId, details: { points: input.points, reason: input.reason, eventId: r.eventId } });
      return { eventId: r.eventId, points: r.points, balance: (await d.ledger.lineAccount(trx, lineId, 'POINTS')).balance };
    }),

    /**
     * Staff clear (a violation, a correction): `points` of the line's points,
     * or all of them when omitted, earliest expiry first; audited.
     * @throws not_found, insufficient_funds `insufficient_points`
     */
    clear: (actor: Actor, lineId: string, input: { points?: number; reason: string }) => inTransaction(db, async (trx) => {
      const m = await lockMember(trx, d, lineId, { allowClosed: true });
      const n = input.points ?? m.balance;
      const r = await debitPoints(trx, d, m, n, 'cleared', { kind: 'clear', reason: input.reason, source: { kind: 'staff', id: d.ids.uuid() }, staffId: actor.id });
      await audit.record(trx, actor, { action: 'points.clear', resourceType: 'line', resourceId: lineId, details: { points: n, reason: input.reason, eventId: r.eventId } });
      return { eventId: r.eventId, points: -n, balance: m.balance };
    }),

    /**
     * The periodic job: retire expired lots, tell subscribers 30 days before
     * points expire (once per lot), wipe the points of closed lines, and
     * recompute tiers once a month. Each line in its own transaction.
     */
    async runJobs(limit = 500): Promise<{ expired: number; notified: number; wiped: number; tiers: number }> {
      const now = clock.now();
      let expired = 0;
      let notified = 0;
      let wiped = 0;
      const due = await db.selectFrom('point_lot').select('line_id').distinct().where('remaining', '>', 0).where('expires_at', '<=', now).limit(limit).execute();
      for (const { line_id } of due) {
        try {
          expired += await inTransaction(db, async (trx) => expireLots(trx, d, await lockMember(trx, d, line_id, { allowClosed: true }), now));
        } catch (err) {
          log.error({ err, lineId: line_id }, 'points expiry failed');
        }
      }
      const soon = new Date(now.getTime() + 30 * DAY);
      const warn = await db.selectFrom('point_lot').select('line_id').distinct().where('remaining', '>', 0).where('notified_at', 'is', null)
        .where('expires_at', '<=', soon).where('expires_at', '>', now).limit(limit).execute();
      for (const { line_id } of warn) {
        notified += await inTransaction(db, async (trx) => {
          const lots = await trx.selectFrom('point_lot as l').innerJoin('loyalty_member as m', 'm.line_id', 'l.line_id')
            .select(['l.id', 'l.remaining', 'l.expires_at', 'm.customer_id']).where('l.line_id', '=', line_id).where('l.remaining', '>', 0)
            .where('l.notified_at', 'is', null).where('l.expires_at', '<=', soon).where('l.expires_at', '>', now).forUpdate().execute();
          const byDate = new Map<string, { points: number; customerId: string }>();
          for (const l of lots) {
            const k = l.expires_at.toISOString();
            byDate.set(k, { points: (byDate.get(k)?.points ?? 0) + l.remaining, customerId: l.customer_id });
          }
          for (const [expiresAt, v] of byDate) await enqueue(trx, clock, 'points.expiring', line_id, { customerId: v.customerId, lineId: line_id, points: v.points, expiresAt });
          if (lots.length) await trx.updateTable('point_lot').set({ notified_at: now }).where('id', 'in', lots.map((l) => l.id)).execute();
          return byDate.size;
        });
      }
      const closed = await sql<{ line_id: string }>`SELECT a.line_id FROM ledger_account a JOIN line l ON l.id = a.line_id
        WHERE a.kind = 'points' AND a.balance > 0 AND l.status = 'closed' LIMIT ${limit}`.execute(db);
      for (const { line_id } of closed.rows) wiped += await inTransaction(db, (trx) => wipeLine(trx, d, line_id));
      const tiers = await recomputeTiers(db, now, cycleOf(now).start);
      return { expired, notified, wiped, tiers };
    },
  };
}
export type LoyaltyFlows = ReturnType<typeof createLoyaltyFlows>;
