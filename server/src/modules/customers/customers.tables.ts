import type { ColumnType, Generated } from 'kysely';

export interface CustomerTable {
  id: string;
  kind: Generated<'person' | 'enterprise'>;
  name: Generated<string>;
  phone: string | null;
  email: string | null;
  locale: Generated<'zh-CN' | 'en'>;
  status: Generated<'active' | 'closed'>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../platform/db.js' {
  interface DB {
    customer: CustomerTable;
  }
}
