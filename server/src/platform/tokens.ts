import { createHash } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { AppError } from './errors.js';

export type PrincipalKind = 'subscriber' | 'staff';

export interface AccessClaims {
  /** principal id: customer id or staff user id */
  sub: string;
  kind: PrincipalKind;
  /** session id: one signed-in device */
  sid: string;
}

const ISSUER = 'telehall';

/** Short-lived HS256 access tokens. */
export function createAccessTokens(secret: string, ttlS: number) {
  const key = new TextEncoder().encode(secret);
  return {
    ttlS,
    async sign(c: AccessClaims, now: Date): Promise<string> {
      const iat = Math.floor(now.getTime() / 1000);
      return new SignJWT({ kind: c.kind, sid: c.sid })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setSubject(c.sub)
        .setIssuer(ISSUER)
        .setIssuedAt(iat)
        .setExpirationTime(iat + ttlS)
        .sign(key);
    },
    /** @throws unauthorized `token_expired` or `token_invalid` */
    async verify(token: string, now: Date): Promise<AccessClaims> {
      try {
        const { payload } = await jwtVerify(token, key, {
          issuer: ISSUER,
          algorithms: ['HS256'],
          currentDate: now,
        });
        const kind = payload.kind;
        if ((kind !== 'subscriber' && kind !== 'staff') || typeof payload.sid !== 'string' || !payload.sub) {
          throw new AppError('unauthorized', 'token_invalid', 'Access token is not valid');
        }
        return { sub: payload.sub, kind, sid: payload.sid };
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (err instanceof joseErrors.JWTExpired) {
          throw new AppError('unauthorized', 'token_expired', 'Access token has expired; refresh it');
        }
        throw new AppError('unauthorized', 'token_invalid', 'Access token is not valid');
      }
    },
  };
}
export type AccessTokens = ReturnType<typeof createAccessTokens>;

/** Refresh tokens and OTP codes are stored only as hashes. */
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
