import type { ColumnType } from 'kysely';
import type { UsageType } from './tariff.js';

export interface AllowanceBucketTable {
  id: string;
  line_id: string;
  kind: UsageType;
  source: 'plan' | 'addon';
  source_id: string;
  total: number;
  used: number;
  starts_at: Date;
  expires_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface UsageEventTable {
  id: string;
  line_id: string;
  type: UsageType;
  quantity: number;
  started_at: Date;
  from_allowance: number;
  charged_quantity: number;
  charge_fen: number;
  unrated_quantity: number;
  ledger_tx_id: string | null;
  rated_at: Date;
  meta: unknown;
}

export interface UsageAlertTable {
  line_id: string;
  cycle_start: Date;
  alert: string;
  created_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    allowance_bucket: AllowanceBucketTable;
    usage_event: UsageEventTable;
    usage_alert: UsageAlertTable;
  }
}

export interface ServiceCredentialTable {
  id: string;
  name: string;
  token_hash: string;
  created_at: ColumnType<Date, Date | undefined, never>;
  revoked_at: Date | null;
}

declare module '../../platform/db.js' {
  interface DB {
    service_credential: ServiceCredentialTable;
  }
}
