import type { Audience, AudienceRule, CampaignChannel, Variant } from '@telehall/contracts';
import { sql, type RawBuilder } from 'kysely';
import { AppError } from '../../platform/errors.js';

/**
 * Audience rules compiled to one SQL predicate over `c` (customer), `l`
 * (line) and `p` (plan). Sub-queries are uncorrelated `IN (…)` so that
 * PostgreSQL hashes them once, under AND and under OR alike: the whole
 * audience is one set-based statement, never a loop over subscribers.
 */
export interface AudienceOptions {
  /** false refuses tier rules (a deployment without the loyalty module). */
  tiers?: boolean;
}

function pctBetween(expr: RawBuilder<unknown>, min?: number, max?: number): RawBuilder<boolean> {
  return sql<boolean>`${expr} BETWEEN ${min ?? 0}::float8 AND ${max ?? 100}::float8`;
}

function rule(r: AudienceRule, now: Date, opts: AudienceOptions): RawBuilder<boolean> {
  switch (r.kind) {
    case 'segment':
      return sql<boolean>`c.id IN (SELECT cs.customer_id FROM customer_segment cs WHERE cs.segmentation_id = ${r.segmentationId}::uuid AND cs.segment_idx = ANY(${r.segments}::int[]))`;
    case 'score':
      return sql<boolean>`c.id IN (SELECT s.customer_id FROM customer_score s WHERE s.model_id = (SELECT m.id FROM model m WHERE m.target = ${r.target} ORDER BY m.created_at DESC LIMIT 1) AND s.score BETWEEN ${r.min ?? 0}::float8 AND ${r.max ?? 1}::float8)`;
    case 'plan':
      return sql<boolean>`p.code = ANY(${r.planCodes}::text[])`;
    case 'category':
      return sql<boolean>`c.category = ANY(${r.categories}::text[])`;
    case 'usage':
      return sql<boolean>`l.id IN (SELECT b.line_id FROM allowance_bucket b WHERE b.kind = ${r.resource} AND b.starts_at <= ${now} AND b.expires_at > ${now}
        GROUP BY b.line_id HAVING sum(b.total) > 0 AND ${pctBetween(sql`sum(b.used) * 100.0 / sum(b.total)`, r.minPct, r.maxPct)})`;
    case 'tier':
      if (opts.tiers === false) throw new AppError('unprocessable', 'audience_rule_unavailable', 'Loyalty tiers are not available');
      // The line's member tier (loyalty), recomputed monthly from its spend.
      return sql<boolean>`l.id IN (SELECT lm.line_id FROM loyalty_member lm WHERE lm.tier = ANY(${r.tiers}::text[]))`;
  }
}

/** The predicate for an audience; no rules means every active subscriber. */
export function audiencePredicate(a: Audience, now: Date, opts: AudienceOptions = {}): RawBuilder<boolean> {
  if (!a.rules.length) return sql<boolean>`true`;
  const parts = a.rules.map((r) => sql`(${rule(r, now, opts)})`);
  return sql<boolean>`(${sql.join(parts, a.combine === 'and' ? sql` AND ` : sql` OR `)})`;
}

/**
 * One row per matching subscriber (customer) with the line the offer is for:
 * their lowest-id active line that matches. `extra` narrows it (a trigger's line).
 */
export function audienceSelect(a: Audience, now: Date, opts: AudienceOptions = {}, extra: RawBuilder<boolean> = sql<boolean>`true`) {
  return sql`SELECT DISTINCT ON (l.customer_id) l.customer_id, l.id AS line_id
    FROM line l JOIN customer c ON c.id = l.customer_id JOIN plan p ON p.id = l.plan_id
    WHERE l.status = 'active' AND c.status = 'active' AND ${extra} AND ${audiencePredicate(a, now, opts)}
    ORDER BY l.customer_id, l.id`;
}

/**
 * The campaign channels a subscriber may receive marketing on: their own
 * saved preference wins; without one, the consent recorded in the CRM
 * (sms, email, push) is required; in-app is on unless switched off.
 */
export function consentedChannels(channels: CampaignChannel[]): RawBuilder<string[]> {
  const cond: Record<CampaignChannel, RawBuilder<boolean>> = {
    inapp: sql<boolean>`COALESCE(np.marketing_inapp, true)`,
    sms: sql<boolean>`COALESCE(np.marketing_sms, c.consent_sms)`,
    email: sql<boolean>`COALESCE(np.marketing_email, c.consent_email) AND c.email IS NOT NULL`,
    push: sql<boolean>`COALESCE(np.marketing_push, c.consent_push)`,
  };
  const items = channels.map((ch) => sql`CASE WHEN ${cond[ch]} THEN ${ch}::text END`);
  return sql<string[]>`array_remove(ARRAY[${sql.join(items)}]::text[], NULL)`;
}

/** A uniform integer in [0, mod) from md5(seed:salt:customer): stable across runs and PostgreSQL versions. */
export function seededHash(seed: number, salt: string, mod: number): RawBuilder<number> {
  return sql<number>`((('x' || substr(md5(${String(seed)} || ':' || ${salt} || ':' || c.id::text), 1, 8))::bit(32)::bigint) % ${mod})`;
}

/** The variant for a subscriber: weights split a second seeded hash. */
export function variantExpr(seed: number, variants: Pick<Variant, 'key' | 'weight'>[]): RawBuilder<string> {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  const h = seededHash(seed, 'variant', 10_000);
  let cum = 0;
  const whens = variants.slice(0, -1).map((v) => {
    cum += v.weight;
    return sql`WHEN ${h} * ${total} < ${cum * 10_000} THEN ${v.key}::text`;
  });
  const last = variants.at(-1)!.key;
  return whens.length ? sql<string>`CASE ${sql.join(whens, sql` `)} ELSE ${last}::text END` : sql<string>`${last}::text`;
}
