import type { Logger } from 'pino';
import { inTransaction, type Db } from '../platform/db.js';
import type { Clock } from '../platform/clock.js';
import type { Ids } from '../platform/ids.js';
import { idempotent } from '../platform/idempotency.js';
import { sha256 } from '../platform/tokens.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import type { Catalog } from '../modules/catalog/catalog.service.js';
import type { Ledger } from '../modules/ledger/ledger.service.js';
import { cycleOf } from '../modules/lines/cycle.js';
import type { Lines } from '../modules/lines/lines.service.js';
import { recommend } from '../modules/lines/recommend.js';
import '../modules/charging/charging.tables.js';
import { adjustBalance } from './adjust-balance.js';
import { buyAddon } from './buy-addon.js';
import { dueLines, lockLine, openLine, rollLine } from './line-lifecycle.js';
import { changePlan, planChangeEligibility, type Timing } from './plan-change.js';
import { ingestUsage } from './rate-usage.js';

/**
 * Use cases of the charging core that span lines, catalog, ledger and
 * allowances. Each runs in one transaction.
 */
export function createChargingFlows(deps: { db: Db; clock: Clock; ids: Ids; log: Logger; ledger: Ledger; audit: Audit; catalog: Catalog; lines: Lines }) {
  const { db, clock, ids, ledger, audit, catalog, lines, log } = deps;
  const d = { clock, ids, ledger, audit };

  return {
    ingest: (events: unknown[]) => ingestUsage(db, d, events),

    eligibility: (customerId: string | null, lineId: string, planId: string, when?: Timing) =>
      inTransaction(db, (trx) => planChangeEligibility(trx, d, customerId, lineId, planId, when)),

    changePlan: (actor: Actor, input: { customerId: string | null; lineId: string; planId: string; when: Timing }, key?: string) =>
      idempotent(db, clock, { scope: `plan_change:${actor.kind}:${actor.id}`, key, body: input }, 201, (trx) => changePlan(trx, d, actor, input)),

    planChanges: async (customerId: string) => {
      const rows = await db.selectFrom('plan_change').selectAll().where('customer_id', '=', customerId).orderBy('requested_at', 'desc').limit(50).execute();
      const plans = new Map((await catalog.plans({ includeInactive: true })).map((p) => [p.id, p]));
      return rows.map((r) => ({
        id: r.id, lineId: r.line_id, fromPlan: plans.get(r.from_plan_id)!, toPlan: plans.get(r.to_plan_id)!, when: r.timing, status: r.status,
        charged: { amount: r.timing === 'now' ? Math.max(0, r.fee_delta_fen) : 0, currency: 'CNY' as const },
        requestedAt: r.requested_at.toISOString(), effectiveAt: r.effective_at.toISOString(),
      }));
    },

    buyAddon: (actor: Actor, input: { customerId: string | null; lineId: string; addonId: string; couponId?: string }, key?: string) =>
      idempotent(db, clock, { scope: `addon:${actor.kind}:${actor.id}`, key, body: input }, 201, (trx) => buyAddon(trx, d, input)),

    adjust: (actor: Actor, input: { lineId: string; amountFen: number; reason: string }, key?: string) =>
      idempotent(db, clock, { scope: `adjust:${actor.id}`, key, body: input }, 201, (trx) => adjustBalance(trx, d, actor, input)),

    /** The cheapest plan for the last three complete cycles of real usage. */
    async recommendation(customerId: string, lineId?: string) {
      const line = await lines.owned(db, customerId, lineId);
      const current = await catalog.planRow(db, line.plan_id);
      const cycles = [];
      let start = cycleOf(line.cycle_start).start;
      for (let i = 0; i < 3; i++) {
        const prev = cycleOf(new Date(start.getTime() - 1));
        if (prev.end <= line.activated_at) break;
        cycles.push(await lines.usageByCycle(line.id, prev.start, prev.end));
        start = prev.start;
      }
      const plans = await db.selectFrom('plan').selectAll().where('active', '=', true).execute();
      return recommend(line.id, current, plans, cycles);
    },

    /** Open a line for a customer (console sale, seed). @throws conflict `msisdn_taken`, not_found */
    openLine: (actor: Actor, input: { customerId: string; msisdn: string; planId: string; creditLimitFen: number; openingBalanceFen: number; at?: Date }) =>
      inTransaction(db, async (trx) => {
        const plan = await catalog.planRow(trx, input.planId);
        const id = await openLine(trx, d, { ...input, plan });
        await audit.record(trx, actor, { action: 'line.open', resourceType: 'line', resourceId: id, details: { customerId: input.customerId, plan: plan.code } });
        return id;
      }),

    /** Roll every line whose cycle has ended; returns how many were rolled. */
    async rolloverDue(now = clock.now()): Promise<number> {
      let total = 0;
      for (;;) {
        const batch = await dueLines(db, now, 200);
        if (!batch.length) return total;
        for (const id of batch) {
          await inTransaction(db, async (trx) => {
            const line = await lockLine(trx, id, null);
            await rollLine(trx, d, line, now);
          });
        }
        total += batch.length;
        log.info({ lines: total }, 'cycle rollover');
      }
    },

    /** A service credential for a charging feed; the token is shown once. */
    async createServiceToken(name: string): Promise<string> {
      const token = `ths_${ids.token(32)}`;
      await db.insertInto('service_credential').values({ id: ids.uuid(), name, token_hash: sha256(token) }).execute();
      return token;
    },

    async serviceName(token: string): Promise<string | undefined> {
      const row = await db.selectFrom('service_credential').select('name').where('token_hash', '=', sha256(token)).where('revoked_at', 'is', null).executeTakeFirst();
      return row?.name;
    },
  };
}
export type ChargingFlows = ReturnType<typeof createChargingFlows>;
