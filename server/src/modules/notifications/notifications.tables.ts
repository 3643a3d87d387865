import type { ColumnType, Generated } from 'kysely';

export interface MessageTable {
  id: string;
  channel: 'sms' | 'email' | 'push' | 'inapp';
  recipient: string;
  customer_id: string | null;
  category: string;
  template: string;
  locale: Generated<string>;
  subject: string | null;
  body: string;
  status: Generated<'queued' | 'sent' | 'delivered' | 'failed' | 'read'>;
  provider: Generated<string>;
  attempts: Generated<number>;
  error: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
  sent_at: Date | null;
}

declare module '../../platform/db.js' {
  interface DB {
    message: MessageTable;
  }
}
