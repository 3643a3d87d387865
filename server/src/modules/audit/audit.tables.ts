import type { ColumnType, Generated } from 'kysely';

export type ActorKind = 'staff' | 'subscriber' | 'system' | 'service';

export interface AuditLogTable {
  id: Generated<number>;
  at: ColumnType<Date, Date | undefined, never>;
  actor_kind: ActorKind;
  actor_id: string | null;
  actor_name: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  ip: string;
  user_agent: string;
  details: ColumnType<unknown, string | undefined, never>;
}

declare module '../../platform/db.js' {
  interface DB {
    audit_log: AuditLogTable;
  }
}
