import type { ColumnType, Generated } from 'kysely';
import type { OrderChannel, OrderKind, OrderStatus } from '@telehall/contracts';

export interface CustomerOrderTable {
  id: string;
  customer_id: string;
  line_id: string | null;
  kind: OrderKind;
  status: OrderStatus;
  channel: OrderChannel;
  title: string;
  amount_fen: ColumnType<number, number, number>;
  points: ColumnType<number, number | undefined, number>;
  ref_type: string | null;
  ref_id: string | null;
  details: ColumnType<Record<string, unknown>, string, string>;
  placed_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface CustomerOrderEventTable {
  id: Generated<number>;
  order_id: string;
  status: OrderStatus;
  note: string | null;
  actor: string;
  at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    customer_order: CustomerOrderTable;
    customer_order_event: CustomerOrderEventTable;
  }
}
