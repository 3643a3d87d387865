import type { Generated } from 'kysely';

export type PaymentStatus = 'pending' | 'captured' | 'cancelled' | 'expired';
export type PaymentMethod = 'redirect' | 'qr' | 'saved';
export type CallbackOutcome =
  | 'captured' | 'cancelled' | 'duplicate' | 'bad_signature' | 'malformed' | 'unknown_payment' | 'amount_mismatch' | 'late' | 'not_pending' | 'unknown_provider';

export interface PaymentTable {
  id: string;
  customer_id: string;
  line_id: string;
  provider: string;
  method: PaymentMethod;
  origin: 'subscriber' | 'auto_topup';
  amount_fen: number;
  refunded_fen: Generated<number>;
  status: PaymentStatus;
  provider_ref: string | null;
  ledger_tx_id: string | null;
  created_at: Date;
  expires_at: Date;
  captured_at: Date | null;
}

export interface PaymentRefundTable {
  id: string;
  payment_id: string;
  line_id: string;
  amount_fen: number;
  reason: string;
  staff_id: string | null;
  ledger_tx_id: string;
  created_at: Date;
}

export interface PaymentCallbackTable {
  id: Generated<number>;
  provider: string;
  payment_id: string | null;
  outcome: CallbackOutcome;
  signature_valid: boolean;
  body: string;
  ip: Generated<string>;
  received_at: Date;
}

export interface AutoTopupTable {
  line_id: string;
  customer_id: string;
  enabled: boolean;
  threshold_fen: number;
  amount_fen: number;
  daily_max_count: number;
  daily_max_fen: number;
  updated_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    payment: PaymentTable;
    payment_refund: PaymentRefundTable;
    payment_callback: PaymentCallbackTable;
    auto_topup: AutoTopupTable;
  }
}
