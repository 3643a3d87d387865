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
  category: Generated<string>;
  id_number: ColumnType<string | null, string | null | undefined, string | null>;
  /** DATE comes back as a JS Date at UTC midnight… we read it as text (see customers.repository). */
  birth_date: ColumnType<string | null, string | null | undefined, string | null>;
  gender: ColumnType<'male' | 'female' | null, 'male' | 'female' | null | undefined, 'male' | 'female' | null>;
  address: ColumnType<string | null, string | null | undefined, string | null>;
  tags: Generated<string[]>;
  channel: ColumnType<string | null, string | null | undefined, string | null>;
  external_id: ColumnType<string | null, string | null | undefined, string | null>;
  signup_date: ColumnType<string | null, string | null | undefined, string | null>;
  monthly_charge_fen: ColumnType<number | null, number | null | undefined, number | null>;
  consent_sms: Generated<boolean>;
  consent_email: Generated<boolean>;
  consent_push: Generated<boolean>;
  extras: ColumnType<Record<string, string>, string | undefined, string>;
  import_fingerprint: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface CustomerCategoryTable {
  code: string;
  name_zh: string;
  name_en: string;
  built_in: Generated<boolean>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface InteractionTable {
  id: string;
  customer_id: string;
  channel: 'call_centre' | 'business_hall' | 'online' | 'other';
  summary: string;
  staff_id: string;
  staff_name: string;
  created_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    customer: CustomerTable;
    customer_category: CustomerCategoryTable;
    interaction: InteractionTable;
  }
}
