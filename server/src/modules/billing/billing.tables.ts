export interface BillTable {
  id: string;
  line_id: string;
  customer_id: string;
  cycle: string;
  cycle_start: Date;
  cycle_end: Date;
  opening_fen: number;
  plan_fee_fen: number;
  addon_fen: number;
  overage_data_fen: number;
  overage_voice_fen: number;
  overage_sms_fen: number;
  adjustment_fen: number;
  payment_fen: number;
  refund_fen: number;
  other_fen: number;
  closing_fen: number;
  created_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    bill: BillTable;
  }
}
