import type { Session, Tokens } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Executor } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { sha256, type AccessTokens, type PrincipalKind } from '../../platform/tokens.js';
import './identity.tables.js';

export interface DeviceInfo {
  userAgent: string;
  ip: string;
}

/**
 * Sessions are signed-in devices. Each holds one family of refresh tokens:
 * every refresh rotates the token, and presenting a rotated one again means it
 * was stolen, so the whole session is revoked.
 */
export function createSessions(deps: { db: Db; clock: Clock; ids: Ids; access: AccessTokens; refreshTtlS: number }) {
  const { db, clock, ids, access, refreshTtlS } = deps;

  async function issue(trx: Executor, sessionId: string, kind: PrincipalKind, principalId: string): Promise<Tokens> {
    const now = clock.now();
    const refreshToken = ids.token(32);
    await trx
      .insertInto('refresh_token')
      .values({ token_hash: sha256(refreshToken), session_id: sessionId, created_at: now, expires_at: new Date(now.getTime() + refreshTtlS * 1000) })
      .execute();
    const accessToken = await access.sign({ sub: principalId, kind, sid: sessionId }, now);
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: access.ttlS, sessionId };
  }

  return {
    /** Open a session for a principal who just proved who they are. */
    async open(trx: Executor, kind: PrincipalKind, principalId: string, device: DeviceInfo): Promise<Tokens> {
      const now = clock.now();
      const id = ids.uuid();
      await trx
        .insertInto('auth_session')
        .values({
          id,
          principal_kind: kind,
          principal_id: principalId,
          user_agent: device.userAgent.slice(0, 300),
          ip: device.ip,
          created_at: now,
          last_seen_at: now,
          expires_at: new Date(now.getTime() + refreshTtlS * 1000),
        })
        .execute();
      return issue(trx, id, kind, principalId);
    },

    /**
     * Exchange a refresh token for a new pair.
     * @throws unauthorized `refresh_invalid` (unknown/expired/revoked) or `refresh_reused` (family revoked)
     */
    async refresh(refreshToken: string, device: DeviceInfo): Promise<Tokens> {
      const outcome = await inTransaction(db, async (trx): Promise<{ error: 'refresh_invalid' | 'refresh_reused' } | { tokens: Tokens }> => {
        const now = clock.now();
        const row = await trx
          .selectFrom('refresh_token as t')
          .innerJoin('auth_session as s', 's.id', 't.session_id')
          .select(['t.token_hash', 't.used_at', 't.expires_at', 's.id as session_id', 's.revoked_at', 's.principal_kind', 's.principal_id'])
          .where('t.token_hash', '=', sha256(refreshToken))
          .forUpdate('t')
          .executeTakeFirst();
        if (!row || row.revoked_at || row.expires_at <= now) return { error: 'refresh_invalid' as const };
        if (row.used_at) {
          await trx
            .updateTable('auth_session')
            .set({ revoked_at: now, revoked_reason: 'refresh_token_reused' })
            .where('id', '=', row.session_id)
            .where('revoked_at', 'is', null)
            .execute();
          return { error: 'refresh_reused' as const };
        }
        await trx.updateTable('refresh_token').set({ used_at: now }).where('token_hash', '=', row.token_hash).execute();
        await trx
          .updateTable('auth_session')
          .set({ last_seen_at: now, ip: device.ip })
          .where('id', '=', row.session_id)
          .execute();
        return { tokens: await issue(trx, row.session_id, row.principal_kind, row.principal_id) };
      });
      if ('error' in outcome) {
        throw new AppError(
          'unauthorized',
          outcome.error,
          outcome.error === 'refresh_reused'
            ? 'This refresh token was already used; the session has been signed out for safety'
            : 'Refresh token is not valid; sign in again',
        );
      }
      return outcome.tokens;
    },

    /** True when the session exists, belongs to the principal and is neither revoked nor expired. */
    async isActive(sessionId: string, kind: PrincipalKind, principalId: string): Promise<boolean> {
      const row = await db
        .selectFrom('auth_session')
        .select(['revoked_at', 'expires_at'])
        .where('id', '=', sessionId)
        .where('principal_kind', '=', kind)
        .where('principal_id', '=', principalId)
        .executeTakeFirst();
      return !!row && !row.revoked_at && row.expires_at > clock.now();
    },

    async list(kind: PrincipalKind, principalId: string, currentId: string): Promise<Session[]> {
      const rows = await db
        .selectFrom('auth_session')
        .selectAll()
        .where('principal_kind', '=', kind)
        .where('principal_id', '=', principalId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', clock.now())
        .orderBy('last_seen_at', 'desc')
        .limit(100)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        userAgent: r.user_agent,
        ip: r.ip,
        createdAt: r.created_at.toISOString(),
        lastSeenAt: r.last_seen_at.toISOString(),
        current: r.id === currentId,
      }));
    },

    /** @throws not_found `session_not_found` when it is not one of the principal's live sessions */
    async revoke(kind: PrincipalKind, principalId: string, sessionId: string, reason: string): Promise<void> {
      const res = await db
        .updateTable('auth_session')
        .set({ revoked_at: clock.now(), revoked_reason: reason })
        .where('id', '=', sessionId)
        .where('principal_kind', '=', kind)
        .where('principal_id', '=', principalId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw notFound('session');
    },

    /** Revoke every live session of a principal, optionally sparing one. */
    async revokeAll(trx: Executor, kind: PrincipalKind, principalId: string, reason: string, exceptId?: string): Promise<void> {
      let q = trx
        .updateTable('auth_session')
        .set({ revoked_at: clock.now(), revoked_reason: reason })
        .where('principal_kind', '=', kind)
        .where('principal_id', '=', principalId)
        .where('revoked_at', 'is', null);
      if (exceptId) q = q.where('id', '!=', exceptId);
      await q.execute();
    },
  };
}
export type Sessions = ReturnType<typeof createSessions>;
