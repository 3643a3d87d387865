import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import { enqueue } from '../../platform/outbox.js';
import type { RewardKind, RewardTable } from './loyalty.tables.js';
import { debitPoints, expireLots, lockMember, type LoyaltyDeps, type Member, type Source } from './points.js';

export type RewardRow = Selectable<RewardTable>;
const DAY = 86_400_000;

export const COUPON_KINDS: readonly RewardKind[] = ['discount', 'topup_bonus', 'data_pack'];

export interface RewardInput {
  code: string;
  kind: RewardKind;
  nameZh: string;
  nameEn: string;
  descriptionZh?: string;
  descriptionEn?: string;
  valueFen: number;
  minSpendFen?: number;
  addonCode?: string | null;
  pointsPrice: number;
  stock?: number | null;
  globalLimit?: number | null;
  perMemberLimit?: number | null;
  validDays: number;
  active?: boolean;
}

/** @throws invalid_data `invalid_reward` */
function checkReward(r: RewardInput): void {
  if ((r.kind === 'data_pack') !== Boolean(r.addonCode)) throw invalid('invalid_reward', 'A data-pack coupon names the add-on it pays for, and only it does');
  if ((r.kind === 'discount' || r.kind === 'topup_bonus') && r.valueFen <= 0) throw invalid('invalid_reward', 'A discount or top-up bonus needs a value above zero');
  if (r.kind === 'discount' && r.minSpendFen !== undefined && r.minSpendFen > 0 && r.minSpendFen < r.valueFen) {
    throw invalid('invalid_reward', 'The minimum spend of a discount cannot be below its value');
  }
}

/**
 * Take one unit of a reward: stock and the global limit are checked and
 * changed in one UPDATE, so concurrent takers can never oversell.
 * @throws not_found `reward_not_found`, unprocessable `reward_unavailable` | `out_of_stock` | `reward_limit_reached`
 */
async function takeUnit(trx: Executor, rewardId: string): Promise<RewardRow> {
  const r = await sql<RewardRow>`UPDATE reward SET stock = CASE WHEN stock IS NULL THEN NULL ELSE stock - 1 END, issued = issued + 1
    WHERE id = ${rewardId} AND active AND (stock IS NULL OR stock > 0) AND (global_limit IS NULL OR issued < global_limit) RETURNING *`.execute(trx);
  if (r.rows[0]) return r.rows[0];
  const cur = await trx.selectFrom('reward').selectAll().where('id', '=', rewardId).executeTakeFirst();
  if (!cur) throw notFound('reward');
  if (!cur.active) throw new AppError('unprocessable', 'reward_unavailable', 'This reward is no longer offered');
  if (cur.stock !== null && cur.stock <= 0) throw new AppError('unprocessable', 'out_of_stock', 'This reward is out of stock');
  throw new AppError('unprocessable', 'reward_limit_reached', 'This reward has been fully redeemed');
}

async function putCoupon(trx: Executor, d: LoyaltyDeps, m: Member, reward: RewardRow, source: Source, redemptionId: string | null): Promise<string> {
  const id = d.ids.uuid();
  const now = d.clock.now();
  await trx.insertInto('coupon').values({
    id, line_id: m.lineId, customer_id: m.customerId, reward_id: reward.id, status: 'available', source_kind: source.kind, source_id: source.id,
    redemption_id: redemptionId, issued_at: now, expires_at: new Date(now.getTime() + reward.valid_days * DAY), reserved_ref: null, used_at: null, used_ref: null, discount_fen: null,
  }).execute();
  return id;
}

export interface Redeemed {
  redemptionId: string;
  rewardId: string;
  points: number;
  couponId: string | null;
  status: 'issued' | 'ordered';
  balance: number;
}

/** Rewards catalog, redemption and campaign coupons. */
export function rewardStore(d: LoyaltyDeps) {
  const { db, clock, ids } = d;
  return {
    async list(opts: { activeOnly?: boolean } = {}): Promise<RewardRow[]> {
      let q = db.selectFrom('reward').selectAll().orderBy('points_price').orderBy('code');
      if (opts.activeOnly) q = q.where('active', '=', true);
      return q.execute();
    },
    async get(trx: Executor, id: string): Promise<RewardRow> {
      const r = await trx.selectFrom('reward').selectAll().where('id', '=', id).executeTakeFirst();
      if (!r) throw notFound('reward');
      return r;
    },
    /** @throws invalid_data `invalid_reward`, conflict (duplicate code) */
    async create(trx: Executor, input: RewardInput): Promise<RewardRow> {
      checkReward(input);
      const now = clock.now();
      const row: RewardRow = {
        id: ids.uuid(), code: input.code, kind: input.kind, name_zh: input.nameZh, name_en: input.nameEn, description_zh: input.descriptionZh ?? '', description_en: input.descriptionEn ?? '',
        value_fen: input.valueFen, min_spend_fen: input.minSpendFen ?? 0, addon_code: input.addonCode ?? null, points_price: input.pointsPrice, stock: input.stock ?? null, issued: 0,
        global_limit: input.globalLimit ?? null, per_member_limit: input.perMemberLimit ?? null, valid_days: input.validDays, active: input.active ?? true, created_at: now, updated_at: now,
      };
      await trx.insertInto('reward').values(row).execute();
      return row;
    },
    /**
     * Change a reward's offer (price, limits, validity, active). Stock moves by
     * `stockDelta` (a restock or a write-off), never to below zero.
     * @throws not_found, invalid_data `invalid_reward` | `stock_below_zero`
     */
    async update(trx: Executor, id: string, patch: Partial<Omit<RewardInput, 'code' | 'kind' | 'stock'>> & { stockDelta?: number; unlimitedStock?: boolean }): Promise<RewardRow> {
      const cur = await trx.selectFrom('reward').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
      if (!cur) throw notFound('reward');
      const next: RewardInput = {
        code: cur.code, kind: cur.kind, nameZh: patch.nameZh ?? cur.name_zh, nameEn: patch.nameEn ?? cur.name_en, descriptionZh: patch.descriptionZh ?? cur.description_zh,
        descriptionEn: patch.descriptionEn ?? cur.description_en, valueFen: patch.valueFen ?? cur.value_fen, minSpendFen: patch.minSpendFen ?? cur.min_spend_fen,
        addonCode: patch.addonCode !== undefined ? patch.addonCode : cur.addon_code, pointsPrice: patch.pointsPrice ?? cur.points_price,
        globalLimit: patch.globalLimit !== undefined ? patch.globalLimit : cur.global_limit, perMemberLimit: patch.perMemberLimit !== undefined ? patch.perMemberLimit : cur.per_member_limit,
        validDays: patch.validDays ?? cur.valid_days, active: patch.active ?? cur.active,
      };
      checkReward(next);
      if (next.globalLimit != null && next.globalLimit < cur.issued) throw invalid('invalid_reward', 'The global limit cannot be below what was already issued');
      let stock = patch.unlimitedStock ? null : cur.stock;
      if (patch.stockDelta) {
        stock = (stock ?? 0) + patch.stockDelta;
        if (stock < 0) throw invalid('stock_below_zero', 'Stock cannot go below zero');
      }
      const values = {
        name_zh: next.nameZh, name_en: next.nameEn, description_zh: next.descriptionZh ?? '', description_en: next.descriptionEn ?? '', value_fen: next.valueFen,
        min_spend_fen: next.minSpendFen ?? 0, addon_code: next.addonCode ?? null, points_price: next.pointsPrice, stock, global_limit: next.globalLimit ?? null,
        per_member_limit: next.perMemberLimit ?? null, valid_days: next.validDays, active: next.active ?? true, updated_at: clock.now(),
      };
      await trx.updateTable('reward').set(values).where('id', '=', id).execute();
      return { ...cur, ...values };
    },

    /**
     * Redeem a reward for points: the line's points, the reward's stock and
     * its global and per-member limits are all checked and taken in the
     * caller's transaction (line lock, then one conditional UPDATE of the
     * reward), so no concurrency can over-spend any of them.
     * @throws not_found, unprocessable `points_frozen` | `reward_unavailable` | `out_of_stock` | `reward_limit_reached` | `member_limit_reached`, insufficient_funds `insufficient_points`
     */
    async redeem(trx: Executor, input: { customerId: string | null; lineId: string; rewardId: string }): Promise<Redeemed> {
      const m = await lockMember(trx, d, input.lineId, { customerId: input.customerId });
      if (m.lineStatus !== 'active') throw new AppError('unprocessable', 'points_frozen', "The line is suspended: its points are frozen until it is active again");
      const now = clock.now();
      await expireLots(trx, d, m, now);
      const reward = await trx.selectFrom('reward').selectAll().where('id', '=', input.rewardId).executeTakeFirst();
      if (!reward) throw notFound('reward');
      if (!reward.active) throw new AppError('unprocessable', 'reward_unavailable', 'This reward is no longer offered');
      if (reward.per_member_limit !== null) {
        const had = await trx.selectFrom('redemption').select((eb) => eb.fn.countAll<number>().as('n')).where('line_id', '=', m.lineId).where('reward_id', '=', reward.id).executeTakeFirstOrThrow();
        if (Number(had.n) >= reward.per_member_limit) {
          throw new AppError('unprocessable', 'member_limit_reached', 'You have redeemed this reward as many times as allowed', { details: { limit: reward.per_member_limit } });
        }
      }
      if (m.balance < reward.points_price) {
        throw new AppError('insufficient_funds', 'insufficient_points', 'Not enough points', { details: { balance: m.balance, needed: reward.points_price } });
      }
      const id = ids.uuid();
      const { txId } = await debitPoints(trx, d, m, reward.points_price, 'redeemed', { kind: 'redeem', reason: reward.name_zh, source: { kind: 'redemption', id } });
      const isCoupon = COUPON_KINDS.includes(reward.kind);
      const couponId = isCoupon ? await putCoupon(trx, d, m, reward, { kind: 'redemption', id }, id) : null;
      const status = isCoupon ? 'issued' as const : 'ordered' as const;
      await trx.insertInto('redemption').values({ id, line_id: m.lineId, customer_id: m.customerId, reward_id: reward.id, points: reward.points_price, coupon_id: couponId, status, ledger_tx_id: txId, created_at: now }).execute();
      await enqueue(trx, clock, 'loyalty.redeemed', m.lineId, { customerId: m.customerId, lineId: m.lineId, rewardId: reward.id, redemptionId: id, points: reward.points_price, couponId, kind: reward.kind });
      // The stock row is the one every redeemer of this reward contends for: take it last, so it is held only until commit.
      await takeUnit(trx, reward.id);
      return { redemptionId: id, rewardId: reward.id, points: reward.points_price, couponId, status, balance: m.balance };
    },

    /**
     * Put a coupon of a coupon-type reward in a line's wallet without charging
     * points (a campaign gift). Stock and the global limit still apply. The
     * same (line, reward, source) twice gives the same coupon.
     * @throws not_found, invalid_data `not_a_coupon`, unprocessable `reward_unavailable` | `out_of_stock` | `reward_limit_reached`
     */
    async issueCoupon(trx: Executor, input: { lineId: string; rewardId: string; source: Source }): Promise<{ couponId: string }> {
      const m = await lockMember(trx, d, input.lineId);
      const prior = await trx.selectFrom('coupon').select('id').where('line_id', '=', m.lineId).where('reward_id', '=', input.rewardId)
        .where('source_kind', '=', input.source.kind).where('source_id', '=', input.source.id).executeTakeFirst();
      if (prior) return { couponId: prior.id };
      if (input.source.kind === 'redemption') throw invalid('invalid_source', 'Source kind "redemption" is reserved for point redemptions');
      const cur = await trx.selectFrom('reward').select('kind').where('id', '=', input.rewardId).executeTakeFirst();
      if (!cur) throw notFound('reward');
      if (!COUPON_KINDS.includes(cur.kind)) throw invalid('not_a_coupon', 'Only coupon rewards can be issued to a wallet');
      const reward = await takeUnit(trx, input.rewardId);
      return { couponId: await putCoupon(trx, d, m, reward, input.source, null) };
    },
  };
}
