import { sql } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { Executor } from '../platform/db.js';
import { conflict, notFound } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { enqueue } from '../platform/outbox.js';
import type { PlanRow } from '../modules/catalog/catalog.mapper.js';
import type { Ledger } from '../modules/ledger/ledger.service.js';
import { setOrderStatus } from '../modules/orders/orders.record.js';
import { addMonths, cycleOf, nextCycle } from '../modules/lines/cycle.js';
import type { LineTable } from '../modules/lines/lines.tables.js';
import type { Selectable } from 'kysely';
import '../modules/charging/charging.tables.js';
import { bumpRatingPartition, bumpRatingPartitionOfLine } from './rating-cache.js';
import '../modules/catalog/catalog.tables.js';

export type LineRow = Selectable<LineTable>;
/** What rollover and suspension need of a line (rating keeps this much in memory). */
export type LineCore = Pick<LineRow, 'id' | 'customer_id' | 'msisdn' | 'plan_id' | 'status' | 'status_reason' | 'credit_limit_fen' | 'cycle_start' | 'cycle_end'>;

export interface LifecycleDeps {
  clock: Clock;
  ids: Ids;
  ledger: Ledger;
}

/** Fresh plan allowances for one cycle. */
export async function grantPlanBuckets(trx: Executor, ids: Ids, lineId: string, plan: PlanRow, start: Date, end: Date, alreadyUsed?: Partial<Record<'data' | 'voice' | 'sms', number>>) {
  const rows = (
    [
      ['data', plan.data_bytes],
      ['voice', plan.voice_seconds],
      ['sms', plan.sms_count],
    ] as const
  )
    .filter(([, total]) => total > 0)
    .map(([kind, total]) => ({
      id: ids.uuid(), line_id: lineId, kind, source: 'plan' as const, source_id: plan.id, total,
      used: Math.min(total, alreadyUsed?.[kind] ?? 0), starts_at: start, expires_at: end,
    }));
  if (rows.length) await trx.insertInto('allowance_bucket').values(rows).execute();
}

/** Charge the monthly fee for a cycle from the line's balance. */
async function chargePlanFee(trx: Executor, d: LifecycleDeps, line: LineCore, plan: PlanRow, accountId: string, cycleStart: Date) {
  if (plan.monthly_fee_fen <= 0) return;
  await d.ledger.post(trx, {
    kind: 'plan_fee',
    lineId: line.id,
    reference: `plan_fee:${line.id}:${cycleStart.toISOString()}`,
    memo: `${plan.name_zh} ${plan.code} v${plan.version}`,
    postings: [{ from: accountId, to: await d.ledger.systemAccount(trx, 'planFee'), amount: plan.monthly_fee_fen }],
  });
}

/**
 * Suspend a line whose balance is below minus its credit limit, or whose
 * usage just hit the limit (`reached`); tell the subscriber.
 */
export async function suspendIfOverLimit(trx: Executor, d: LifecycleDeps, line: LineCore, balance: number, reached = false): Promise<boolean> {
  if (line.status !== 'active' || (!reached && balance >= -line.credit_limit_fen)) return false;
  await trx.updateTable('line').set({ status: 'suspended', status_reason: 'credit_limit' }).where('id', '=', line.id).execute();
  await enqueue(trx, d.clock, 'line.suspended', line.id, { lineId: line.id, customerId: line.customer_id, msisdn: line.msisdn, reason: 'credit_limit', balanceFen: balance });
  return true;
}

/**
 * Open a line on a plan: ledger account, opening balance, the first cycle's
 * fee and allowances. The first cycle is charged in full (no proration).
 * @throws conflict `msisdn_taken`
 */
export async function openLine(
  trx: Executor,
  d: LifecycleDeps,
  input: { customerId: string; msisdn: string; plan: PlanRow; creditLimitFen: number; openingBalanceFen: number; at?: Date },
): Promise<string> {
  const at = input.at ?? d.clock.now();
  const taken = await trx.selectFrom('line').select('id').where('msisdn', '=', input.msisdn).where('status', '!=', 'closed').executeTakeFirst();
  if (taken) throw conflict('msisdn_taken', 'This number is already in use');
  const { start, end } = cycleOf(at);
  const id = d.ids.uuid();
  const line: LineRow = {
    id, customer_id: input.customerId, msisdn: input.msisdn, plan_id: input.plan.id, status: 'active', status_reason: null,
    credit_limit_fen: input.creditLimitFen, cycle_start: start, cycle_end: end,
    contract_end: input.plan.contract_months > 0 ? addMonths(at, input.plan.contract_months) : null, activated_at: at, created_at: at, closed_at: null,
  };
  await bumpRatingPartition(trx, input.msisdn);
  await trx.insertInto('line').values(line).execute();
  const account = await d.ledger.openLineAccount(trx, id);
  if (input.openingBalanceFen > 0) {
    await d.ledger.post(trx, {
      kind: 'opening_balance', lineId: id, reference: `opening:${id}`, memo: 'opening balance',
      postings: [{ from: await d.ledger.systemAccount(trx, 'openingBalance'), to: account, amount: input.openingBalanceFen }],
    });
  }
  await chargePlanFee(trx, d, line, input.plan, account, start);
  await grantPlanBuckets(trx, d.ids, id, input.plan, start, end);
  return id;
}

/**
 * Roll a locked line forward until its cycle contains `until`: apply a
 * scheduled plan change, charge the fee, grant fresh allowances. A server
 * that was down catches up cycle by cycle. Returns the line as it now is.
 */
export async function rollLine<L extends LineCore>(trx: Executor, d: LifecycleDeps, line: L, until: Date): Promise<L> {
  if (line.status === 'closed' || line.cycle_end > until) return line;
  let cur = { ...line };
  const account = await d.ledger.lineAccount(trx, line.id);
  while (cur.cycle_end <= until) {
    const { start, end } = nextCycle(cur.cycle_start);
    const scheduled = await trx.selectFrom('plan_change').selectAll().where('line_id', '=', cur.id).where('status', '=', 'scheduled')
      .where('effective_at', '<=', start).executeTakeFirst();
    if (scheduled) {
      cur.plan_id = scheduled.to_plan_id;
      await trx.updateTable('plan_change').set({ status: 'applied' }).where('id', '=', scheduled.id).execute();
      await setOrderStatus(trx, d.clock, { type: 'plan_change', id: scheduled.id }, 'completed', 'system:', 'applied at the start of the cycle');
    }
    const plan = await trx.selectFrom('plan').selectAll().where('id', '=', cur.plan_id).executeTakeFirstOrThrow();
    cur = { ...cur, cycle_start: start, cycle_end: end };
    await trx.updateTable('line').set({ plan_id: cur.plan_id, cycle_start: start, cycle_end: end }).where('id', '=', cur.id).execute();
    await chargePlanFee(trx, d, cur, plan, account.id, start);
    await grantPlanBuckets(trx, d.ids, cur.id, plan, start, end);
    await enqueue(trx, d.clock, 'line.cycle_started', cur.id, { lineId: cur.id, customerId: cur.customer_id, cycleStart: start.toISOString(), planId: plan.id, feeFen: plan.monthly_fee_fen });
  }
  const { balance } = await d.ledger.lineAccount(trx, line.id);
  if (await suspendIfOverLimit(trx, d, cur, balance)) cur.status = 'suspended';
  return cur;
}

/** Lines whose cycle has ended (for the rollover job), oldest first. */
export async function dueLines(trx: Executor, now: Date, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`SELECT id FROM line WHERE status <> 'closed' AND cycle_end <= ${now} ORDER BY cycle_end LIMIT ${limit}`.execute(trx);
  return rows.rows.map((r) => r.id);
}

/** Lift a credit-limit suspension once the balance is back within the limit. */
export async function reactivateIfCovered(trx: Executor, d: LifecycleDeps, line: LineRow, balance: number): Promise<boolean> {
  if (line.status !== 'suspended' || line.status_reason !== 'credit_limit' || balance < -line.credit_limit_fen) return false;
  await trx.updateTable('line').set({ status: 'active', status_reason: null }).where('id', '=', line.id).execute();
  await enqueue(trx, d.clock, 'line.reactivated', line.id, { lineId: line.id, customerId: line.customer_id, msisdn: line.msisdn });
  return true;
}

/**
 * Close a line (the subscriber leaves): status closed with the time, its
 * allowances end now, a scheduled plan change is cancelled (and its order),
 * `line.closed` is emitted. The balance stays on the line's account. The
 * number becomes free for a new line.
 */
export async function closeLine(trx: Executor, d: LifecycleDeps, line: LineRow, reason: string, actor: string): Promise<Date> {
  const now = d.clock.now();
  await trx.updateTable('line').set({ status: 'closed', status_reason: reason, closed_at: now }).where('id', '=', line.id).execute();
  await sql`UPDATE allowance_bucket SET expires_at = ${now} WHERE line_id = ${line.id} AND expires_at > ${now} AND starts_at <= ${now}`.execute(trx);
  const cancelled = await trx.updateTable('plan_change').set({ status: 'cancelled' }).where('line_id', '=', line.id).where('status', '=', 'scheduled').returning('id').execute();
  for (const c of cancelled) await setOrderStatus(trx, d.clock, { type: 'plan_change', id: c.id }, 'cancelled', actor, 'the line was closed');
  const { balance } = await d.ledger.lineAccount(trx, line.id);
  await enqueue(trx, d.clock, 'line.closed', line.id, { lineId: line.id, customerId: line.customer_id, msisdn: line.msisdn, reason, balanceFen: balance, closedAt: now.toISOString() });
  return now;
}

/**
 * Lock a line row for a command on it. The line's rating partition is locked
 * (and its epoch bumped) first, so the command waits for a rating batch on
 * the partition and the rating process reloads the line afterwards.
 * @throws not_found `line_not_found`
 */
export async function lockLine(trx: Executor, lineId: string, customerId: string | null): Promise<LineRow> {
  let q = trx.selectFrom('line').selectAll().where('id', '=', lineId).where('status', '!=', 'closed');
  if (customerId) q = q.where('customer_id', '=', customerId);
  await bumpRatingPartitionOfLine(trx, lineId);
  const line = await q.forUpdate().executeTakeFirst();
  if (!line) throw notFound('line');
  return line;
}
