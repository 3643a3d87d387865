import { timingSafeEqual } from 'node:crypto';
import type { OtpPurpose } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, rateLimited } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { sha256 } from '../../platform/tokens.js';
import './identity.tables.js';

export const OTP_RULES = {
  digits: 6,
  ttlS: 5 * 60,
  maxAttempts: 5,
  minIntervalS: 60,
  maxPerDay: 10,
} as const;

const hashCode = (id: string, code: string) => sha256(`${id}:${code}`);

/** SMS one-time codes: 6 digits, 5 minutes, 5 tries, 1 a minute and 10 a day per phone. */
export function createOtp({ db, clock, ids }: { db: Db; clock: Clock; ids: Ids }) {
  return {
    /**
     * Create a code for `phone`; the caller sends it in the same transaction.
     * @throws rate_limited `otp_too_soon` | `otp_daily_limit`
     */
    async issue(trx: Executor, phone: string, purpose: OtpPurpose): Promise<{ code: string; expiresAt: Date }> {
      const now = clock.now();
      // Serialise issuing per phone so two parallel requests cannot both pass the limits.
      await trx.selectNoFrom((eb) => eb.fn('pg_advisory_xact_lock', [eb.fn('hashtext', [eb.val(`otp:${phone}`)])]).as('l')).execute();
      const recent = await trx
        .selectFrom('otp_code')
        .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('last')])
        .where('phone', '=', phone)
        .where('created_at', '>', new Date(now.getTime() - 86_400_000))
        .executeTakeFirstOrThrow();
      if (recent.last) {
        const waitS = OTP_RULES.minIntervalS - (now.getTime() - new Date(recent.last).getTime()) / 1000;
        if (waitS > 0) throw rateLimited('otp_too_soon', 'A code was sent less than a minute ago', waitS);
      }
      if (recent.n >= OTP_RULES.maxPerDay) {
        throw rateLimited('otp_daily_limit', 'Too many codes for this number today', 86_400);
      }
      const id = ids.uuid();
      const code = ids.digits(OTP_RULES.digits);
      const expiresAt = new Date(now.getTime() + OTP_RULES.ttlS * 1000);
      await trx
        .insertInto('otp_code')
        .values({ id, phone, purpose, code_hash: hashCode(id, code), created_at: now, expires_at: expiresAt })
        .execute();
      return { code, expiresAt };
    },

    /**
     * Check a code and consume it inside `trx`. Every try counts, committed on
     * its own so a failing caller cannot roll the count back.
     * @throws invalid_data `otp_invalid` | `otp_expired` | `otp_attempts_exceeded`
     */
    async consume(trx: Executor, phone: string, purpose: OtpPurpose, code: string): Promise<void> {
      const now = clock.now();
      const latest = await db
        .selectFrom('otp_code')
        .selectAll()
        .where('phone', '=', phone)
        .where('purpose', '=', purpose)
        .where('consumed_at', 'is', null)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (!latest) throw new AppError('invalid_data', 'otp_invalid', 'The code is not correct');
      if (latest.expires_at <= now) throw new AppError('invalid_data', 'otp_expired', 'The code has expired; request a new one');
      const counted = await db
        .updateTable('otp_code')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where('id', '=', latest.id)
        .where('attempts', '<', OTP_RULES.maxAttempts)
        .returning('attempts')
        .executeTakeFirst();
      if (!counted) {
        throw new AppError('invalid_data', 'otp_attempts_exceeded', 'Too many wrong tries; request a new code');
      }
      const a = Buffer.from(hashCode(latest.id, code));
      const b = Buffer.from(latest.code_hash);
      if (!timingSafeEqual(a, b)) throw new AppError('invalid_data', 'otp_invalid', 'The code is not correct');
      const used = await trx
        .updateTable('otp_code')
        .set({ consumed_at: now })
        .where('id', '=', latest.id)
        .where('consumed_at', 'is', null)
        .executeTakeFirst();
      if (used.numUpdatedRows === 0n) throw new AppError('invalid_data', 'otp_invalid', 'The code is not correct');
    },
  };
}
export type Otp = ReturnType<typeof createOtp>;
