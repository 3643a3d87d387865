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
  /** The outbox event that produced it (null for OTP and other direct sends). */
  event_id: ColumnType<number | null, number | null | undefined, never>;
  /** When a queued message is (re)tried next. */
  next_attempt_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

export interface NotificationPreferenceTable {
  customer_id: string;
  marketing_sms: Generated<boolean>;
  marketing_email: Generated<boolean>;
  marketing_push: Generated<boolean>;
  marketing_inapp: Generated<boolean>;
  quiet_start_min: Generated<number>;
  quiet_end_min: Generated<number>;
  time_zone: Generated<string>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface PushSubscriptionTable {
  id: string;
  customer_id: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  user_agent: Generated<string>;
  created_at: ColumnType<Date, Date | undefined, never>;
}

declare module '../../platform/db.js' {
  interface DB {
    message: MessageTable;
    notification_preference: NotificationPreferenceTable;
    push_subscription: PushSubscriptionTable;
  }
}
