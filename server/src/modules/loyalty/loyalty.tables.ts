import type { ColumnType } from 'kysely';

export type Tier = 'normal' | 'silver' | 'gold' | 'diamond';
export type RuleKind = 'base' | 'multiplier' | 'first_topup' | 'checkin' | 'limit';
export type PointEventKind = 'earn' | 'grant' | 'redeem' | 'expire' | 'clawback' | 'clear' | 'close' | 'refund';
export type RewardKind = 'discount' | 'topup_bonus' | 'data_pack' | 'goods';
export type CouponStatus = 'available' | 'reserved' | 'used';

type DayColumn = ColumnType<string, string | null, string | null>;

export interface LoyaltyMemberTable {
  line_id: string;
  customer_id: string;
  tier: ColumnType<Tier, Tier | undefined, Tier>;
  tier_spend_fen: ColumnType<number, number | undefined, number>;
  tier_computed_at: Date | null;
  shortfall: ColumnType<number, number | undefined, number>;
  checkin_streak: ColumnType<number, number | undefined, number>;
  last_checkin_day: DayColumn | null;
  created_at: Date;
}

export interface EarningRuleTable {
  id: string;
  code: string;
  version: number;
  kind: RuleKind;
  name_zh: string;
  name_en: string;
  config: ColumnType<Record<string, unknown>, string, string>;
  starts_at: Date | null;
  ends_at: Date | null;
  active: boolean;
  created_by: string | null;
  created_at: Date;
}

export interface PointLotTable {
  id: string;
  line_id: string;
  points: number;
  remaining: number;
  earned_at: Date;
  expires_at: Date;
  notified_at: Date | null;
  event_id: string;
}

export interface PointEventTable {
  id: string;
  line_id: string;
  kind: PointEventKind;
  points: number;
  settled: ColumnType<number, number | undefined, number>;
  rule_id: string | null;
  reason: ColumnType<string, string | undefined, string>;
  source_kind: string;
  source_id: string;
  dedupe_key: string | null;
  ledger_tx_id: string | null;
  staff_id: string | null;
  created_at: Date;
}

export interface RewardTable {
  id: string;
  code: string;
  kind: RewardKind;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  value_fen: number;
  min_spend_fen: number;
  addon_code: string | null;
  points_price: number;
  stock: number | null;
  issued: ColumnType<number, number | undefined, number>;
  global_limit: number | null;
  per_member_limit: number | null;
  valid_days: number;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface RedemptionTable {
  id: string;
  line_id: string;
  customer_id: string;
  reward_id: string;
  points: number;
  coupon_id: string | null;
  status: 'issued' | 'ordered';
  ledger_tx_id: string | null;
  created_at: Date;
}

export interface CouponTable {
  id: string;
  line_id: string;
  customer_id: string;
  reward_id: string;
  status: CouponStatus;
  source_kind: string;
  source_id: string;
  redemption_id: string | null;
  issued_at: Date;
  expires_at: Date;
  reserved_ref: string | null;
  used_at: Date | null;
  used_ref: string | null;
  discount_fen: number | null;
}

declare module '../../platform/db.js' {
  interface DB {
    loyalty_member: LoyaltyMemberTable;
    earning_rule: EarningRuleTable;
    point_lot: PointLotTable;
    point_event: PointEventTable;
    reward: RewardTable;
    redemption: RedemptionTable;
    coupon: CouponTable;
  }
}
