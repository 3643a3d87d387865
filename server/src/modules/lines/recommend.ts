import type { Recommendation } from '@telehall/contracts';
import { cny, tariffOf, toPlan, type PlanRow } from '../catalog/catalog.mapper.js';
import { overageCharge } from '../charging/tariff.js';

export interface MonthlyUsage {
  data: number;
  voice: number;
  sms: number;
}

/** What a month of this usage costs on a plan: fee plus overage at its tariff. */
export function monthlyCost(plan: PlanRow, u: MonthlyUsage): number {
  const t = tariffOf(plan);
  return (
    plan.monthly_fee_fen +
    overageCharge('data', Math.max(0, u.data - plan.data_bytes), t) +
    overageCharge('voice', Math.max(0, u.voice - plan.voice_seconds), t) +
    overageCharge('sms', Math.max(0, u.sms - plan.sms_count), t)
  );
}

/**
 * The cheapest plan on sale for the average of the last complete cycles'
 * real usage; ties go to the plan with more data. Only a plan that saves
 * money is recommended.
 */
export function recommend(lineId: string, current: PlanRow, plans: PlanRow[], cycles: MonthlyUsage[]): Recommendation {
  const n = cycles.length;
  const avg: MonthlyUsage = {
    data: n ? Math.ceil(cycles.reduce((s, c) => s + c.data, 0) / n) : 0,
    voice: n ? Math.ceil(cycles.reduce((s, c) => s + c.voice, 0) / n) : 0,
    sms: n ? Math.ceil(cycles.reduce((s, c) => s + c.sms, 0) / n) : 0,
  };
  const currentCost = monthlyCost(current, avg);
  const base = { lineId, cyclesConsidered: n, usage: { dataBytes: avg.data, voiceSeconds: avg.voice, smsCount: avg.sms }, currentPlan: toPlan(current), currentMonthlyCost: cny(currentCost) };
  if (n === 0) {
    return { ...base, recommended: null, recommendedMonthlyCost: cny(currentCost), monthlySaving: cny(0), reason: 'not_enough_history' };
  }
  const ranked = plans
    .filter((p) => p.active)
    .map((p) => ({ p, cost: monthlyCost(p, avg) }))
    .sort((a, b) => a.cost - b.cost || b.p.data_bytes - a.p.data_bytes);
  const best = ranked[0];
  if (!best || best.p.code === current.code || best.cost >= currentCost) {
    return { ...base, recommended: null, recommendedMonthlyCost: cny(currentCost), monthlySaving: cny(0), reason: 'current_plan_fits' };
  }
  return { ...base, recommended: toPlan(best.p), recommendedMonthlyCost: cny(best.cost), monthlySaving: cny(currentCost - best.cost), reason: 'cheaper_plan_fits' };
}
