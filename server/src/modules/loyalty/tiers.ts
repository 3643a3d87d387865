import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { Tier } from './loyalty.tables.js';

/**
 * Member tiers by the line's spend (captured top-ups less refunds) over the
 * last 12 months: 普通 from ¥0, 银 from ¥600, 金 from ¥1,800, 钻 from ¥3,600.
 * Each tier earns at its own rate (the base earning rule).
 */
export const TIER_MIN_SPEND_FEN: Record<Tier, number> = { normal: 0, silver: 60_000, gold: 180_000, diamond: 360_000 };

export function tierOf(spendFen: number): Tier {
  if (spendFen >= TIER_MIN_SPEND_FEN.diamond) return 'diamond';
  if (spendFen >= TIER_MIN_SPEND_FEN.gold) return 'gold';
  if (spendFen >= TIER_MIN_SPEND_FEN.silver) return 'silver';
  return 'normal';
}

/**
 * Recompute the tier of every member not yet computed since `monthStart`
 * (or of one line), from the payments of the 12 months before `now`, in one
 * statement. Returns the members updated.
 */
export async function recomputeTiers(trx: Executor, now: Date, monthStart: Date, lineId?: string): Promise<number> {
  const since = new Date(now.getTime());
  since.setUTCFullYear(since.getUTCFullYear() - 1);
  const r = await sql`UPDATE loyalty_member m SET tier_spend_fen = s.spend,
      tier = CASE WHEN s.spend >= ${TIER_MIN_SPEND_FEN.diamond} THEN 'diamond' WHEN s.spend >= ${TIER_MIN_SPEND_FEN.gold} THEN 'gold'
                  WHEN s.spend >= ${TIER_MIN_SPEND_FEN.silver} THEN 'silver' ELSE 'normal' END,
      tier_computed_at = ${now}
    FROM (SELECT m2.line_id, coalesce((SELECT sum(p.amount_fen - p.refunded_fen) FROM payment p
            WHERE p.line_id = m2.line_id AND p.status = 'captured' AND p.captured_at > ${since} AND p.captured_at <= ${now}), 0)::bigint AS spend
          FROM loyalty_member m2
          WHERE ${lineId ? sql`m2.line_id = ${lineId}` : sql`(m2.tier_computed_at IS NULL OR m2.tier_computed_at < ${monthStart})`}) s
    WHERE m.line_id = s.line_id`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}
