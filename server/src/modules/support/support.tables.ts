import type { ColumnType, Generated } from 'kysely';

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type TicketPriority = 'low' | 'normal' | 'high' | 'urgent';
export type TicketCategory = 'billing' | 'network' | 'plan' | 'complaint' | 'other';

export interface TicketTable {
  id: string;
  customer_id: string;
  subject: string;
  category: TicketCategory;
  priority: Generated<TicketPriority>;
  status: Generated<TicketStatus>;
  ref_kind: 'bill' | 'payment' | 'line' | null;
  ref_id: string | null;
  assignee_id: string | null;
  sla_due_at: Date;
  first_response_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  rating: number | null;
  rating_comment: string | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface TicketMessageTable {
  id: string;
  ticket_id: string;
  customer_id: string;
  author_kind: 'subscriber' | 'staff' | 'system';
  author_id: string | null;
  author_name: Generated<string>;
  body: string;
  internal: Generated<boolean>;
  created_at: ColumnType<Date, Date, never>;
  read_at: Date | null;
}

export interface CannedReplyTable {
  id: string;
  title: string;
  body: string;
  locale: Generated<'zh-CN' | 'en'>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface SupportSettingTable {
  id: number;
  assignment: Generated<'round_robin' | 'least_busy' | 'manual'>;
  last_assigned_id: string | null;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export interface FaqArticleTable {
  id: Generated<string>;
  category: string;
  title_zh: string;
  body_zh: string;
  title_en: string;
  body_en: string;
  published: Generated<boolean>;
  sort: Generated<number>;
  search: ColumnType<string, never, never>;
  created_at: ColumnType<Date, Date | undefined, never>;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

declare module '../../platform/db.js' {
  interface DB {
    ticket: TicketTable;
    ticket_message: TicketMessageTable;
    canned_reply: CannedReplyTable;
    support_setting: SupportSettingTable;
    faq_article: FaqArticleTable;
  }
}
