import type { Eligibility, PlanChange, Reason } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { AppError } from '../platform/errors.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import { cny, toPlan, type PlanRow } from '../modules/catalog/catalog.mapper.js';
import { addMonths } from '../modules/lines/cycle.js';
import { actorRef, recordOrder, setOrderStatus } from '../modules/orders/orders.record.js';
import { grantPlanBuckets, lockLine, rollLine, type LifecycleDeps, type LineRow } from './line-lifecycle.js';

export type Timing = 'now' | 'next_cycle';

const REASONS: Record<string, string> = {
  same_plan: 'This line is already on that plan',
  plan_unavailable: 'That plan is no longer on sale',
  line_suspended: 'The line is suspended; top up first',
  in_arrears: 'The balance is negative; top up before changing plan',
  contract_locked: 'The contract runs until its end date; only upgrades are possible before then',
  downgrade_next_cycle_only: 'A cheaper plan can start only from the next cycle',
  insufficient_funds: 'The balance does not cover the fee difference charged today',
};
const reason = (code: string): Reason => ({ code, message: REASONS[code]! });

/**
 * Every rule that stops a plan change, all at once so the app can show them.
 * Pure: takes the line, both plans, the balance and the time.
 */
export function evaluate(line: LineRow, current: PlanRow, target: PlanRow, balance: number, now: Date, when?: Timing): Eligibility {
  const common: Reason[] = [];
  if (target.id === current.id || target.code === current.code) common.push(reason('same_plan'));
  if (!target.active) common.push(reason('plan_unavailable'));
  if (line.status === 'suspended') common.push(reason('line_suspended'));
  if (balance < 0) common.push(reason('in_arrears'));
  const delta = target.monthly_fee_fen - current.monthly_fee_fen;
  if (line.contract_end && line.contract_end > now && delta < 0) common.push(reason('contract_locked'));
  const nowReasons: Reason[] = [];
  if (delta < 0) nowReasons.push(reason('downgrade_next_cycle_only'));
  if (delta > 0 && balance - delta < 0) nowReasons.push(reason('insufficient_funds'));
  const allowed: Timing[] = common.length ? [] : nowReasons.length ? ['next_cycle'] : ['now', 'next_cycle'];
  // Without a timing, list everything that applies: the app shows which timings remain.
  const reasons = when === 'next_cycle' ? common : [...common, ...nowReasons];
  return {
    eligible: when ? allowed.includes(when) : allowed.length > 0,
    reasons,
    price: {
      chargeNow: cny(when === 'next_cycle' ? 0 : Math.max(0, delta)),
      currentMonthlyFee: cny(current.monthly_fee_fen),
      newMonthlyFee: cny(target.monthly_fee_fen),
      monthlyDelta: cny(delta),
    },
    allowedTimings: allowed,
  };
}

async function load(trx: Executor, d: LifecycleDeps, lineId: string, customerId: string | null, planId: string) {
  let line = await lockLine(trx, lineId, customerId);
  line = await rollLine(trx, d, line, d.clock.now());
  const current = await trx.selectFrom('plan').selectAll().where('id', '=', line.plan_id).executeTakeFirstOrThrow();
  const target = await trx.selectFrom('plan').selectAll().where('id', '=', planId).executeTakeFirst();
  if (!target) throw new AppError('not_found', 'plan_not_found', 'plan not found');
  const { balance, id: accountId } = await d.ledger.lineAccount(trx, line.id);
  return { line, current, target, balance, accountId };
}

/** Eligibility for the app's "change plan" screen, with the price effect. */
export async function planChangeEligibility(trx: Executor, d: LifecycleDeps, customerId: string | null, lineId: string, planId: string, when?: Timing) {
  const { line, current, target, balance } = await load(trx, d, lineId, customerId, planId);
  return evaluate(line, current, target, balance, d.clock.now(), when);
}

/**
 * Change a line's plan now or from the next cycle. Now: the fee difference is
 * charged today, the old plan's allowances end, and the new plan's start with
 * this cycle's usage carried over. Next cycle: scheduled, replacing any
 * earlier schedule, applied at rollover.
 * @throws unprocessable `plan_change_not_allowed` with the reasons in details
 */
export async function changePlan(
  trx: Executor,
  d: LifecycleDeps & { audit: Audit },
  actor: Actor,
  input: { customerId: string | null; lineId: string; planId: string; when: Timing },
): Promise<PlanChange> {
  const now = d.clock.now();
  const { line, current, target, balance, accountId } = await load(trx, d, input.lineId, input.customerId, input.planId);
  const e = evaluate(line, current, target, balance, now, input.when);
  if (!e.eligible) {
    throw new AppError('unprocessable', 'plan_change_not_allowed', e.reasons.map((r) => r.message).join('; '), { details: { reasons: e.reasons } });
  }
  const id = d.ids.uuid();
  let charged = 0;
  if (input.when === 'now') {
    charged = e.price.chargeNow.amount;
    if (charged > 0) {
      await d.ledger.post(trx, {
        kind: 'plan_change', lineId: line.id, reference: `plan_change:${id}`, memo: `${current.code} → ${target.code}`,
        postings: [{ from: accountId, to: await d.ledger.systemAccount(trx, 'planFee'), amount: charged }],
      });
    }
    const ending = await sql<{ kind: 'data' | 'voice' | 'sms'; used: string }>`UPDATE allowance_bucket SET expires_at = ${now}
      WHERE line_id = ${line.id} AND source = 'plan' AND starts_at <= ${now} AND expires_at > ${now} RETURNING kind, used::text`.execute(trx);
    const used: Partial<Record<'data' | 'voice' | 'sms', number>> = {};
    for (const r of ending.rows) used[r.kind] = (used[r.kind] ?? 0) + Number(r.used);
    await grantPlanBuckets(trx, d.ids, line.id, target, now, line.cycle_end, used);
    const contractEnd = target.contract_months > 0 ? addMonths(now, target.contract_months) : null;
    await trx.updateTable('line').set({
      plan_id: target.id,
      contract_end: contractEnd && (!line.contract_end || contractEnd > line.contract_end) ? contractEnd : line.contract_end,
    }).where('id', '=', line.id).execute();
  } else {
    const replaced = await trx.updateTable('plan_change').set({ status: 'cancelled' }).where('line_id', '=', line.id).where('status', '=', 'scheduled').returning('id').execute();
    for (const r of replaced) await setOrderStatus(trx, d.clock, { type: 'plan_change', id: r.id }, 'cancelled', actorRef(actor), 'replaced by a newer plan change');
  }
  const effectiveAt = input.when === 'now' ? now : line.cycle_end;
  await trx.insertInto('plan_change').values({
    id, line_id: line.id, customer_id: line.customer_id, from_plan_id: current.id, to_plan_id: target.id, timing: input.when,
    status: input.when === 'now' ? 'applied' : 'scheduled', fee_delta_fen: target.monthly_fee_fen - current.monthly_fee_fen,
    requested_by: `${actor.kind}:${actor.id ?? ''}`, requested_at: now, effective_at: effectiveAt,
  }).execute();
  await recordOrder(trx, d, {
    customerId: line.customer_id, lineId: line.id, kind: 'plan_change', status: input.when === 'now' ? 'completed' : 'pending',
    title: `${current.name_zh} → ${target.name_zh}`, amountFen: charged, ref: { type: 'plan_change', id }, actor,
    details: { fromPlan: current.code, toPlan: target.code, when: input.when, effectiveAt: effectiveAt.toISOString() },
  });
  if (actor.kind === 'staff') {
    await d.audit.record(trx, actor, { action: 'line.plan_change', resourceType: 'line', resourceId: line.id, details: { from: current.code, to: target.code, when: input.when } });
  }
  return {
    id, lineId: line.id, fromPlan: toPlan(current), toPlan: toPlan(target), when: input.when, status: input.when === 'now' ? 'applied' : 'scheduled',
    charged: cny(charged), requestedAt: now.toISOString(), effectiveAt: effectiveAt.toISOString(),
  };
}
