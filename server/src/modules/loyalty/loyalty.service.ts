import type { Audit } from '../audit/audit.service.js';
import type { Executor } from '../../platform/db.js';
import { creditPoints, lockMember, type Credited, type LoyaltyDeps, type Source } from './points.js';
import { rewardStore } from './rewards.js';
import { ruleStore } from './rules.js';
import { loyaltyReads } from './loyalty.read.js';

export interface GrantInput {
  lineId: string;
  points: number;
  reason: string;
  source: Source;
  /** Staff member who granted, for the history (the audit record is the caller's). */
  staffId?: string | null;
}

/**
 * Loyalty: a line's points (ledger asset POINTS, in lots that expire at the
 * end of the 36th month), earning rules, the rewards catalog and coupons.
 * `grantPoints` and `issueCoupon` are the seams other domains (campaigns,
 * staff tools) use inside their own transactions.
 */
export function createLoyalty(deps: LoyaltyDeps & { audit: Audit }) {
  const rules = ruleStore(deps);
  const rewards = rewardStore(deps);
  return {
    deps,
    rules,
    rewards,
    reads: loyaltyReads(deps),

    /**
     * Credit bonus points to a line in the caller's transaction: a new lot
     * (36-month expiry), a ledger entry, a history entry naming the reason.
     * Once per `source` (kind + id): a replay returns the first grant.
     * @throws not_found `line_not_found`, invalid_data `invalid_points`
     */
    async grantPoints(trx: Executor, input: GrantInput): Promise<Credited> {
      const m = await lockMember(trx, deps, input.lineId);
      return creditPoints(trx, deps, m, input.points, {
        kind: 'grant', reason: input.reason, source: input.source, staffId: input.staffId ?? null,
        dedupeKey: `grant:${input.lineId}:${input.source.kind}:${input.source.id}`,
      });
    },

    /**
     * Put a coupon of a coupon-type reward in the line's wallet without
     * charging points (a campaign gift); stock still applies. Idempotent per
     * (line, reward, source).
     * @throws not_found, invalid_data `not_a_coupon`, unprocessable `out_of_stock` | `reward_unavailable` | `reward_limit_reached`
     */
    issueCoupon: (trx: Executor, input: { lineId: string; rewardId: string; source: Source }): Promise<{ couponId: string }> => rewards.issueCoupon(trx, input),
  };
}
export type Loyalty = ReturnType<typeof createLoyalty>;
