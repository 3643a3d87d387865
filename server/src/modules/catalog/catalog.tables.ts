import type { ColumnType, Generated } from 'kysely';

export interface PlanTable {
  id: string;
  code: string;
  version: number;
  name_zh: string;
  name_en: string;
  tier: Generated<number>;
  monthly_fee_fen: number;
  data_bytes: number;
  voice_seconds: number;
  sms_count: number;
  data_fen_per_gb: number;
  voice_fen_per_min: number;
  sms_fen_each: number;
  contract_months: Generated<number>;
  active: Generated<boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface AddonTable {
  id: string;
  code: string;
  version: number;
  name_zh: string;
  name_en: string;
  kind: 'data' | 'voice' | 'sms';
  quantity: number;
  validity_days: number;
  price_fen: number;
  active: Generated<boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../platform/db.js' {
  interface DB {
    plan: PlanTable;
    addon: AddonTable;
  }
}
