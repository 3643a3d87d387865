import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { verifyPassword } from './password.js';

export const LOCKOUT = { maxFailures: 5, lockMinutes: 15 } as const;

type Target =
  | { table: 'subscriber_account'; key: 'customer_id'; id: string }
  | { table: 'staff_user'; key: 'id'; id: string };

export interface Lockable {
  password_hash: string;
  failed_login_count: number;
  locked_until: Date | null;
}

/**
 * Verify a password with lockout: 5 wrong passwords lock the account for 15
 * minutes. Counters commit on their own, outside any caller transaction.
 * @throws locked `account_locked`, unauthorized `invalid_credentials`
 */
export async function checkPasswordWithLockout(db: Db, clock: Clock, target: Target, row: Lockable, password: string): Promise<void> {
  const now = clock.now();
  if (row.locked_until && row.locked_until > now) throw lockedError(row.locked_until);
  const ok = await verifyPassword(row.password_hash, password);
  if (ok) {
    if (row.failed_login_count > 0 || row.locked_until) await reset(db, target);
    return;
  }
  // One statement: concurrent wrong guesses each count, and the fifth locks.
  const lockUntil = new Date(now.getTime() + LOCKOUT.lockMinutes * 60_000);
  const updated = await db
    .updateTable(target.table as 'staff_user')
    .set((eb) => ({
      failed_login_count: eb.case().when('failed_login_count', '>=', LOCKOUT.maxFailures - 1).then(0).else(eb('failed_login_count', '+', 1)).end(),
      locked_until: eb.case().when('failed_login_count', '>=', LOCKOUT.maxFailures - 1).then(lockUntil).else(eb.ref('locked_until')).end(),
    }))
    .where(target.key as 'id', '=', target.id)
    .returning(['locked_until'])
    .executeTakeFirst();
  if (updated?.locked_until && updated.locked_until > now) throw lockedError(updated.locked_until);
  throw invalidCredentials();
}

export async function reset(db: Db, target: Target): Promise<void> {
  await db
    .updateTable(target.table as 'staff_user')
    .set({ failed_login_count: 0, locked_until: null })
    .where(target.key as 'id', '=', target.id)
    .execute();
}

export const invalidCredentials = () => new AppError('unauthorized', 'invalid_credentials', 'Wrong phone number, username or password');

const lockedError = (until: Date) =>
  new AppError('locked', 'account_locked', 'Too many failed attempts; the account is locked for a while', {
    details: { lockedUntil: until.toISOString() },
  });
