import type { ColumnType, Generated } from 'kysely';

export type AccountKind = 'line_balance' | 'revenue' | 'clearing' | 'adjustment' | 'points' | 'system';
export type Asset = 'CNY' | 'POINTS';

export interface LedgerAccountTable {
  id: string;
  code: string;
  asset: Asset;
  kind: AccountKind;
  line_id: string | null;
  balance: Generated<number>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface LedgerTxTable {
  id: string;
  kind: string;
  line_id: string | null;
  reference: string | null;
  memo: Generated<string>;
  reverses_tx_id: string | null;
  created_at: Date;
}

export interface LedgerEntryTable {
  id: Generated<number>;
  tx_id: string;
  account_id: string;
  amount: number;
  created_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    ledger_account: LedgerAccountTable;
    ledger_tx: LedgerTxTable;
    ledger_entry: LedgerEntryTable;
  }
}
