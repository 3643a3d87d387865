import type { ColumnType, Generated } from 'kysely';
import type { Role } from '@telehall/contracts';

type Created = ColumnType<Date, Date | undefined, never>;

export interface SubscriberAccountTable {
  customer_id: string;
  phone: string;
  password_hash: string;
  status: Generated<'active' | 'disabled'>;
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  password_changed_at: Generated<Date>;
  created_at: Created;
}

export interface StaffUserTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  status: Generated<'active' | 'disabled'>;
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  created_at: Created;
  updated_at: ColumnType<Date, Date | undefined, Date>;
}

export type PrincipalKind = 'subscriber' | 'staff';

export interface AuthSessionTable {
  id: string;
  principal_kind: PrincipalKind;
  principal_id: string;
  user_agent: string;
  ip: string;
  created_at: Created;
  last_seen_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  revoked_reason: string | null;
}

export interface RefreshTokenTable {
  token_hash: string;
  session_id: string;
  created_at: Created;
  expires_at: Date;
  used_at: Date | null;
}

export interface OtpCodeTable {
  id: string;
  phone: string;
  purpose: 'register' | 'login' | 'reset';
  code_hash: string;
  created_at: Date;
  expires_at: Date;
  attempts: Generated<number>;
  consumed_at: Date | null;
}

declare module '../../platform/db.js' {
  interface DB {
    subscriber_account: SubscriberAccountTable;
    staff_user: StaffUserTable;
    auth_session: AuthSessionTable;
    refresh_token: RefreshTokenTable;
    otp_code: OtpCodeTable;
  }
}
