import type { Campaign, Offer, Variant } from '@telehall/contracts';
import type { CampaignRow } from './send.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function toCampaign(r: CampaignRow): Campaign {
  return {
    id: r.id, name: r.name, status: r.status, audience: r.audience, offer: r.offer, variants: r.variants, channels: r.channels, schedule: r.schedule,
    holdoutPct: r.holdout_pct, seed: r.seed, attributionDays: r.attribution_days, createdBy: r.created_by_name, approvedBy: r.approved_by_name,
    approvedAt: iso(r.approved_at), launchedAt: iso(r.launched_at), nextRunAt: iso(r.next_run_at), runs: r.runs,
    createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
  };
}

/** Fill {{name}}, {{msisdn}}, {{offer}}, {{price}} (unknown variables are left as written). */
export function fill(text: string, vars: Record<string, string>): string {
  return text.replace(/\{\{\s*([a-zA-Z]+)\s*\}\}/g, (m, k: string) => vars[k] ?? m);
}

/** The discount that applies to a recipient's variant (variants may override the offer's). */
export function discountOf(offer: Offer, variant: Variant | undefined): number {
  if (offer.kind !== 'addon') return 0;
  return variant?.discountPct ?? offer.discountPct;
}

/** Integer fen after a percentage discount, rounded down to the fen in the subscriber's favour. */
export const discounted = (priceFen: number, pct: number) => Math.floor((priceFen * (100 - pct)) / 100);
