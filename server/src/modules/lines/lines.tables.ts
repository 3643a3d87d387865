import type { ColumnType } from 'kysely';

export type LineStatus = 'active' | 'suspended' | 'closed';

export interface LineTable {
  id: string;
  customer_id: string;
  msisdn: string;
  plan_id: string;
  status: LineStatus;
  status_reason: string | null;
  credit_limit_fen: number;
  cycle_start: Date;
  cycle_end: Date;
  contract_end: Date | null;
  activated_at: Date;
  created_at: ColumnType<Date, Date | undefined, never>;
  /** Set exactly when status becomes 'closed' (migration 0009). */
  closed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface PlanChangeTable {
  id: string;
  line_id: string;
  customer_id: string;
  from_plan_id: string;
  to_plan_id: string;
  timing: 'now' | 'next_cycle';
  status: 'scheduled' | 'applied' | 'cancelled';
  fee_delta_fen: number;
  requested_by: string;
  requested_at: Date;
  effective_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    line: LineTable;
    plan_change: PlanChangeTable;
  }
}
