import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { EarningRuleTable, RuleKind, Tier } from './loyalty.tables.js';
import { localDay, type LoyaltyDeps } from './points.js';

export type RuleRow = Selectable<EarningRuleTable>;

export const TIERS: readonly Tier[] = ['normal', 'silver', 'gold', 'diamond'];

/** What each rule kind's `config` holds; checked on every write. */
export interface RuleConfigs {
  /** Points per ¥100 of captured payment, per member tier (S = a × M). */
  base: { pointsPer100Yuan: Record<Tier, number> };
  /** Extra points on top of the base earning while the rule's period runs (200 = double points). */
  multiplier: { percent: number };
  /** Once per line, on its first captured top-up. */
  first_topup: { points: number };
  /** Daily check-in: day n of a streak earns min(points + (n − 1) × streakStep, cap). */
  checkin: { points: number; streakStep: number; cap: number };
  /** Most points a line may earn from rules per day / per calendar month (grants excluded). */
  limit: { dailyMax: number; monthlyMax: number };
}

const int = (v: unknown, min: number, max: number) => typeof v === 'number' && Number.isSafeInteger(v) && v >= min && v <= max;

/** @throws invalid_data `invalid_rule_config` */
export function checkConfig(kind: RuleKind, c: Record<string, unknown>): void {
  const bad = (why: string) => invalid('invalid_rule_config', `Rule configuration: ${why}`);
  switch (kind) {
    case 'base': {
      const r = c.pointsPer100Yuan as Record<string, unknown> | undefined;
      if (!r || !TIERS.every((t) => int(r[t], 0, 100_000))) throw bad('pointsPer100Yuan needs an integer 0–100000 for normal, silver, gold and diamond');
      return;
    }
    case 'multiplier':
      if (!int(c.percent, 101, 1000)) throw bad('percent must be an integer 101–1000');
      return;
    case 'first_topup':
      if (!int(c.points, 1, 1_000_000)) throw bad('points must be an integer 1–1000000');
      return;
    case 'checkin':
      if (!int(c.points, 1, 10_000) || !int(c.streakStep, 0, 10_000) || !int(c.cap, 1, 100_000) || (c.cap as number) < (c.points as number)) {
        throw bad('points 1–10000, streakStep 0–10000 and a cap ≥ points');
      }
      return;
    case 'limit':
      if (!int(c.dailyMax, 1, 10_000_000) || !int(c.monthlyMax, 1, 100_000_000) || (c.monthlyMax as number) < (c.dailyMax as number)) {
        throw bad('dailyMax and monthlyMax must be positive integers with monthlyMax ≥ dailyMax');
      }
      return;
  }
}

/** Rules in force at `at`, by kind (the latest active version of each code). */
export async function rulesInForce(trx: Executor, at: Date): Promise<RuleRow[]> {
  return trx.selectFrom('earning_rule').selectAll().where('active', '=', true)
    .where((eb) => eb.or([eb('starts_at', 'is', null), eb('starts_at', '<=', at)]))
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', at)]))
    .orderBy('code').execute();
}

export const cfg = <K extends RuleKind>(r: RuleRow, _kind: K) => r.config as unknown as RuleConfigs[K];

/** Base earning for a payment: floor(amount × rate / 10000) with rate in points per ¥100. */
export function basePoints(amountFen: number, pointsPer100Yuan: number): number {
  return Math.floor((amountFen * pointsPer100Yuan) / 10_000);
}

/** The multiplier's extra on top of a base earning. */
export function multiplierExtra(base: number, percent: number): number {
  return Math.floor((base * (percent - 100)) / 100);
}

/** Check-in points for day `streak` (1-based) of a streak. */
export function checkinPoints(c: RuleConfigs['checkin'], streak: number): number {
  return Math.min(c.points + (streak - 1) * c.streakStep, c.cap);
}

/**
 * How much of `wanted` a line may still earn from rules under the limit rule
 * (per CST day and calendar month), given what it has earned so far.
 */
export async function headroom(trx: Executor, lineId: string, rules: RuleRow[], now: Date): Promise<number> {
  const limit = rules.find((r) => r.kind === 'limit');
  if (!limit) return Number.MAX_SAFE_INTEGER;
  const c = cfg(limit, 'limit');
  const day = new Date(`${localDay(now)}T00:00:00+08:00`);
  const month = new Date(`${localDay(now).slice(0, 7)}-01T00:00:00+08:00`);
  const sum = async (from: Date) => {
    const r = await trx.selectFrom('point_event').select((eb) => eb.fn.coalesce(eb.fn.sum<number>(eb('points', '+', eb.ref('settled'))), eb.val(0)).as('n'))
      .where('line_id', '=', lineId).where('kind', '=', 'earn').where('created_at', '>=', from).executeTakeFirstOrThrow();
    return Number(r.n);
  };
  return Math.max(0, Math.min(c.dailyMax - (await sum(day)), c.monthlyMax - (await sum(month))));
}

export interface RuleInput {
  code: string;
  kind: RuleKind;
  nameZh: string;
  nameEn: string;
  config: Record<string, unknown>;
  startsAt?: string | null;
  endsAt?: string | null;
}

/** Staff-editable, versioned earning rules. */
export function ruleStore(d: LoyaltyDeps) {
  const { db, clock, ids } = d;
  return {
    /** Current rules (active or not, latest version of each code). */
    async list(): Promise<RuleRow[]> {
      return db.selectFrom('earning_rule as r').selectAll()
        .where('r.version', '=', (eb) => eb.selectFrom('earning_rule as v').select((v) => v.fn.max('v.version').as('m')).whereRef('v.code', '=', 'r.code'))
        .orderBy('r.kind').orderBy('r.code').execute();
    },
    async versions(code: string): Promise<RuleRow[]> {
      return db.selectFrom('earning_rule').selectAll().where('code', '=', code).orderBy('version', 'desc').execute();
    },
    async get(trx: Executor, id: string): Promise<RuleRow> {
      const r = await trx.selectFrom('earning_rule').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw notFound('rule');
      return r;
    },
    /**
     * Save a rule: a new code starts at version 1; an existing code gets the
     * next version and its previous version stops applying.
     * @throws invalid_data `invalid_rule_config` | `invalid_period`, conflict `rule_kind_mismatch`
     */
    async save(trx: Executor, input: RuleInput & { active?: boolean }, staffId: string | null): Promise<RuleRow> {
      checkConfig(input.kind, input.config);
      const startsAt = input.startsAt ? new Date(input.startsAt) : null;
      const endsAt = input.endsAt ? new Date(input.endsAt) : null;
      if (startsAt && endsAt && endsAt <= startsAt) throw invalid('invalid_period', 'The period must end after it starts');
      const prev = await trx.selectFrom('earning_rule').selectAll().where('code', '=', input.code).orderBy('version', 'desc').limit(1).forUpdate().executeTakeFirst();
      if (prev && prev.kind !== input.kind) throw new AppError('conflict', 'rule_kind_mismatch', 'A rule keeps its kind across versions');
      if (!prev && input.kind !== 'multiplier') {
        const sameKind = await trx.selectFrom('earning_rule').select('code').where('kind', '=', input.kind).where('active', '=', true).executeTakeFirst();
        if (sameKind) throw new AppError('conflict', 'rule_kind_exists', `An active ${input.kind} rule already exists (${sameKind.code}); edit it instead`);
      }
      if (prev) await trx.updateTable('earning_rule').set({ active: false }).where('code', '=', input.code).execute();
      const row: RuleRow = {
        id: ids.uuid(), code: input.code, version: (prev?.version ?? 0) + 1, kind: input.kind, name_zh: input.nameZh, name_en: input.nameEn,
        config: input.config, starts_at: startsAt, ends_at: endsAt, active: input.active ?? true, created_by: staffId, created_at: clock.now(),
      };
      await trx.insertInto('earning_rule').values({ ...row, config: JSON.stringify(input.config) }).execute();
      return row;
    },
  };
}
