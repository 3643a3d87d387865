import type { AddonInput, PlanInput } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Executor } from '../../platform/db.js';
import { conflict, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import { toAddon, toPlan, type AddonRow, type PlanRow } from './catalog.mapper.js';
import './catalog.tables.js';

const planColumns = (i: PlanInput) => ({
  code: i.code,
  name_zh: i.nameZh,
  name_en: i.nameEn,
  tier: i.tier,
  monthly_fee_fen: i.monthlyFeeFen,
  data_bytes: i.dataBytes,
  voice_seconds: i.voiceSeconds,
  sms_count: i.smsCount,
  data_fen_per_gb: i.dataFenPerGb,
  voice_fen_per_min: i.voiceFenPerMin,
  sms_fen_each: i.smsFenEach,
  contract_months: i.contractMonths,
});
const addonColumns = (i: AddonInput) => ({
  code: i.code,
  name_zh: i.nameZh,
  name_en: i.nameEn,
  kind: i.kind,
  quantity: i.quantity,
  validity_days: i.validityDays,
  price_fen: i.priceFen,
});

/**
 * The catalog of plans and add-on packs. Rows are versions: editing a plan
 * writes version n+1 and retires version n for new sales, while lines on
 * version n keep the terms they bought.
 */
export function createCatalog({ db, ids, clock, audit }: { db: Db; ids: Ids; clock: Clock; audit: Audit }) {
  return {
    async plans(opts: { includeInactive?: boolean } = {}) {
      let q = db.selectFrom('plan').selectAll().orderBy('monthly_fee_fen').orderBy('code').orderBy('version', 'desc');
      if (!opts.includeInactive) q = q.where('active', '=', true);
      return (await q.execute()).map(toPlan);
    },
    async addons(opts: { includeInactive?: boolean } = {}) {
      let q = db.selectFrom('addon').selectAll().orderBy('kind').orderBy('price_fen').orderBy('version', 'desc');
      if (!opts.includeInactive) q = q.where('active', '=', true);
      return (await q.execute()).map(toAddon);
    },
    async planRow(trx: Executor, id: string): Promise<PlanRow> {
      const p = await trx.selectFrom('plan').selectAll().where('id', '=', id).executeTakeFirst();
      if (!p) throw notFound('plan');
      return p;
    },
    async addonRow(trx: Executor, id: string): Promise<AddonRow> {
      const a = await trx.selectFrom('addon').selectAll().where('id', '=', id).executeTakeFirst();
      if (!a) throw notFound('addon');
      return a;
    },
    async planByCode(trx: Executor, code: string): Promise<PlanRow | undefined> {
      return trx.selectFrom('plan').selectAll().where('code', '=', code).where('active', '=', true).executeTakeFirst();
    },

    /** @throws conflict `plan_code_taken` */
    async createPlan(actor: Actor, input: PlanInput) {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .insertInto('plan')
          .values({ id: ids.uuid(), version: 1, ...planColumns(input), created_at: clock.now() })
          .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw conflict('plan_code_taken', 'A plan with this code exists; edit it to make a new version');
        await audit.record(trx, actor, { action: 'catalog.plan.create', resourceType: 'plan', resourceId: row.id, details: { code: row.code } });
        return toPlan(row);
      });
    },

    /** New version of a plan; the old version stops being sold. @throws not_found */
    async revisePlan(actor: Actor, id: string, input: PlanInput) {
      return inTransaction(db, async (trx) => {
        const cur = await trx.selectFrom('plan').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!cur) throw notFound('plan');
        const latest = await trx.selectFrom('plan').select((eb) => eb.fn.max('version').as('v')).where('code', '=', cur.code).executeTakeFirstOrThrow();
        await trx.updateTable('plan').set({ active: false }).where('code', '=', cur.code).execute();
        const row = await trx
          .insertInto('plan')
          .values({ id: ids.uuid(), version: Number(latest.v) + 1, ...planColumns({ ...input, code: cur.code }), created_at: clock.now() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit.record(trx, actor, { action: 'catalog.plan.revise', resourceType: 'plan', resourceId: row.id, details: { code: row.code, version: row.version, previous: cur.id } });
        return toPlan(row);
      });
    },

    async setPlanActive(actor: Actor, id: string, active: boolean) {
      return inTransaction(db, async (trx) => {
        const row = await trx.updateTable('plan').set({ active }).where('id', '=', id).returningAll().executeTakeFirst();
        if (!row) throw notFound('plan');
        await audit.record(trx, actor, { action: active ? 'catalog.plan.activate' : 'catalog.plan.retire', resourceType: 'plan', resourceId: id });
        return toPlan(row);
      });
    },

    async setAddonActive(actor: Actor, id: string, active: boolean) {
      return inTransaction(db, async (trx) => {
        const row = await trx.updateTable('addon').set({ active }).where('id', '=', id).returningAll().executeTakeFirst();
        if (!row) throw notFound('addon');
        await audit.record(trx, actor, { action: active ? 'catalog.addon.activate' : 'catalog.addon.retire', resourceType: 'addon', resourceId: id });
        return toAddon(row);
      });
    },

    /** @throws conflict `addon_code_taken` */
    async createAddon(actor: Actor, input: AddonInput) {
      return inTransaction(db, async (trx) => {
        const row = await trx
          .insertInto('addon')
          .values({ id: ids.uuid(), version: 1, ...addonColumns(input), created_at: clock.now() })
          .onConflict((oc) => oc.columns(['code', 'version']).doNothing())
          .returningAll()
          .executeTakeFirst();
        if (!row) throw conflict('addon_code_taken', 'An add-on with this code exists; edit it to make a new version');
        await audit.record(trx, actor, { action: 'catalog.addon.create', resourceType: 'addon', resourceId: row.id, details: { code: row.code } });
        return toAddon(row);
      });
    },

    async reviseAddon(actor: Actor, id: string, input: AddonInput) {
      return inTransaction(db, async (trx) => {
        const cur = await trx.selectFrom('addon').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
        if (!cur) throw notFound('addon');
        const latest = await trx.selectFrom('addon').select((eb) => eb.fn.max('version').as('v')).where('code', '=', cur.code).executeTakeFirstOrThrow();
        await trx.updateTable('addon').set({ active: false }).where('code', '=', cur.code).execute();
        const row = await trx
          .insertInto('addon')
          .values({ id: ids.uuid(), version: Number(latest.v) + 1, ...addonColumns({ ...input, code: cur.code }), created_at: clock.now() })
          .returningAll()
          .executeTakeFirstOrThrow();
        await audit.record(trx, actor, { action: 'catalog.addon.revise', resourceType: 'addon', resourceId: row.id, details: { code: row.code, version: row.version } });
        return toAddon(row);
      });
    },
  };
}
export type Catalog = ReturnType<typeof createCatalog>;
