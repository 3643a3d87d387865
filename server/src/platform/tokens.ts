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

/** How many verified tokens are remembered (per process). */
const VERIFIED_CACHE_MAX = 10_000;

/**
 * Short-lived HS256 access tokens. A token whose signature and claims were
 * verified once is remembered until it expires (the same bytes always verify
 * the same way under the same key), so a client's repeated requests skip the
 * HMAC; expiry is still checked on every use, and session revocation is
 * checked per request by the caller, as before.
 */
export function createAccessTokens(secret: string, ttlS: number) {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, { claims: AccessClaims; expMs: number }>();
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
      const known = verified.get(token);
      if (known && now.getTime() < known.expMs) return known.claims;
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
        const claims: AccessClaims = { sub: payload.sub, kind, sid: payload.sid };
        // Only tokens with an expiry are remembered, and never past it.
        if (typeof payload.exp === 'number') {
          if (verified.size >= VERIFIED_CACHE_MAX) verified.clear();
          verified.set(token, { claims, expMs: payload.exp * 1000 });
        }
        return claims;
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
