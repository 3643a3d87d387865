import type { OtpPurpose, RegisterRequest, Tokens } from '@telehall/contracts';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { AppError, conflict, notFound } from '../../platform/errors.js';
import type { Customers } from '../customers/customers.service.js';
import type { Messages } from '../notifications/messages.service.js';
import { checkPasswordWithLockout, invalidCredentials, reset } from './lockout.js';
import type { Otp } from './otp.js';
import { OTP_RULES } from './otp.js';
import { burnVerifyTime, hashPassword, verifyPassword } from './password.js';
import type { DeviceInfo, Sessions } from './sessions.js';
import './identity.tables.js';

const OTP_TEXT: Record<OtpPurpose | 'already_registered', { 'zh-CN': (c: string) => string; en: (c: string) => string }> = {
  register: {
    'zh-CN': (c) => `【Telehall】您的注册验证码为 ${c}，5分钟内有效，请勿泄露给他人。`,
    en: (c) => `[Telehall] Your registration code is ${c}. It expires in 5 minutes; never share it.`,
  },
  login: {
    'zh-CN': (c) => `【Telehall】您的登录验证码为 ${c}，5分钟内有效，请勿泄露给他人。`,
    en: (c) => `[Telehall] Your sign-in code is ${c}. It expires in 5 minutes; never share it.`,
  },
  reset: {
    'zh-CN': (c) => `【Telehall】您正在重置密码，验证码为 ${c}，5分钟内有效。如非本人操作请忽略。`,
    en: (c) => `[Telehall] Your password reset code is ${c}. It expires in 5 minutes. Ignore this if it was not you.`,
  },
  already_registered: {
    'zh-CN': () => '【Telehall】该手机号已注册，请直接登录；如忘记密码，可通过“忘记密码”重置。',
    en: () => '[Telehall] This number is already registered. Sign in, or use "Forgot password" to reset it.',
  },
};

/**
 * Subscriber identity: register, sign in by password or SMS code, reset and
 * change the password. Unknown phones get the same answers as known ones, so
 * the API does not reveal who is a subscriber.
 */
export function createSubscriberAuth(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  otp: Otp;
  sessions: Sessions;
  customers: Customers;
  messages: Messages;
}) {
  const { db, clock, otp, sessions, customers, messages } = deps;
  const account = (phone: string) => db.selectFrom('subscriber_account').selectAll().where('phone', '=', phone).executeTakeFirst();

  return {
    /**
     * Send a code by SMS. For `login`/`reset` on an unknown number nothing is
     * sent; for `register` on a known number the SMS says so instead.
     * @throws rate_limited `otp_too_soon` | `otp_daily_limit`
     */
    async requestOtp(phone: string, purpose: OtpPurpose, locale: 'zh-CN' | 'en') {
      await inTransaction(db, async (trx) => {
        const existing = await trx.selectFrom('subscriber_account').select(['customer_id']).where('phone', '=', phone).executeTakeFirst();
        const { code } = await otp.issue(trx, phone, purpose);
        if (purpose !== 'register' && !existing) return;
        const key = purpose === 'register' && existing ? 'already_registered' : purpose;
        await messages.sendSms(trx, {
          phone,
          customerId: existing?.customer_id ?? null,
          category: 'transactional',
          template: `auth.otp.${key}`,
          locale,
          body: OTP_TEXT[key][locale](code),
        });
      });
      return { expiresInSeconds: OTP_RULES.ttlS, resendInSeconds: OTP_RULES.minIntervalS };
    },

    /** @throws invalid_data `otp_*`, conflict `phone_taken` */
    async register(req: RegisterRequest, device: DeviceInfo): Promise<Tokens> {
      const passwordHash = await hashPassword(req.password);
      return inTransaction(db, async (trx) => {
        if (await trx.selectFrom('subscriber_account').select('phone').where('phone', '=', req.phone).executeTakeFirst()) {
          throw conflict('phone_taken', 'This number is already registered; sign in instead');
        }
        await otp.consume(trx, req.phone, 'register', req.otp);
        const customer = await customers.findOrCreateByPhone(trx, req.phone, req.name?.trim() ?? '');
        await trx
          .insertInto('subscriber_account')
          .values({ customer_id: customer.id, phone: req.phone, password_hash: passwordHash, locked_until: null, created_at: clock.now() })
          .execute();
        return sessions.open(trx, 'subscriber', customer.id, device);
      });
    },

    /** @throws unauthorized `invalid_credentials`, locked `account_locked`, invalid_data `otp_*` */
    async loginWithPassword(phone: string, password: string, device: DeviceInfo): Promise<Tokens> {
      const acc = await account(phone);
      if (!acc || acc.status !== 'active') {
        await burnVerifyTime(password);
        throw invalidCredentials();
      }
      await checkPasswordWithLockout(db, clock, { table: 'subscriber_account', key: 'customer_id', id: acc.customer_id }, acc, password);
      return inTransaction(db, (trx) => sessions.open(trx, 'subscriber', acc.customer_id, device));
    },

    async loginWithOtp(phone: string, code: string, device: DeviceInfo): Promise<Tokens> {
      return inTransaction(db, async (trx) => {
        await otp.consume(trx, phone, 'login', code);
        const acc = await trx.selectFrom('subscriber_account').selectAll().where('phone', '=', phone).executeTakeFirst();
        if (!acc || acc.status !== 'active') throw invalidCredentials();
        // A proven phone unlocks an account locked by wrong passwords.
        await reset(db, { table: 'subscriber_account', key: 'customer_id', id: acc.customer_id });
        return sessions.open(trx, 'subscriber', acc.customer_id, device);
      });
    },

    /** Set a new password with an SMS code; signs out every device. @throws invalid_data `otp_*` */
    async resetPassword(phone: string, code: string, newPassword: string): Promise<void> {
      const hash = await hashPassword(newPassword);
      await inTransaction(db, async (trx) => {
        await otp.consume(trx, phone, 'reset', code);
        const acc = await trx
          .updateTable('subscriber_account')
          .set({ password_hash: hash, password_changed_at: clock.now(), failed_login_count: 0, locked_until: null })
          .where('phone', '=', phone)
          .returning('customer_id')
          .executeTakeFirst();
        if (!acc) throw new AppError('invalid_data', 'otp_invalid', 'The code is not correct');
        await sessions.revokeAll(trx, 'subscriber', acc.customer_id, 'password_reset');
      });
    },

    /** Change the password; other devices are signed out. @throws unauthorized `invalid_credentials` */
    async changePassword(customerId: string, sessionId: string, current: string, next: string): Promise<void> {
      const acc = await db.selectFrom('subscriber_account').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
      if (!acc) throw notFound('account');
      if (!(await verifyPassword(acc.password_hash, current))) throw new AppError('invalid_data', 'current_password_wrong', 'The current password is not correct');
      const hash = await hashPassword(next);
      await inTransaction(db, async (trx) => {
        await trx
          .updateTable('subscriber_account')
          .set({ password_hash: hash, password_changed_at: clock.now() })
          .where('customer_id', '=', customerId)
          .execute();
        await sessions.revokeAll(trx, 'subscriber', customerId, 'password_changed', sessionId);
      });
    },

    /**
     * The access check on each subscriber request, in one query: is the
     * session live (exists, this customer's, neither revoked nor expired), and
     * is the account active.
     */
    async sessionStatus(sessionId: string, customerId: string): Promise<'active' | 'session_revoked' | 'account_disabled'> {
      const row = await db.selectFrom('auth_session as s').leftJoin('subscriber_account as a', 'a.customer_id', 's.principal_id')
        .select(['s.revoked_at', 's.expires_at', 'a.status'])
        .where('s.id', '=', sessionId).where('s.principal_kind', '=', 'subscriber').where('s.principal_id', '=', customerId)
        .executeTakeFirst();
      if (!row || row.revoked_at || row.expires_at <= clock.now()) return 'session_revoked';
      return row.status === 'active' ? 'active' : 'account_disabled';
    },
  };
}
export type SubscriberAuth = ReturnType<typeof createSubscriberAuth>;
