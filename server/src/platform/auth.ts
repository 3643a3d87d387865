import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Role } from '@telehall/contracts';
import type { Actor } from '../modules/audit/audit.service.js';
import { can, type Permission } from './access.js';
import type { Clock } from './clock.js';
import { AppError, forbidden, unauthorized } from './errors.js';
import type { AccessTokens } from './tokens.js';

/** What a route requires. Every /api route must declare one: deny by default. */
export type AuthRule = 'public' | 'subscriber' | 'service' | { staff: Permission | 'any' };

export type Principal =
  | { kind: 'subscriber'; id: string; sessionId: string }
  | { kind: 'staff'; id: string; sessionId: string; role: Role; username: string }
  | { kind: 'service'; id: string };

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: AuthRule;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}

export interface AuthDeps {
  clock: Clock;
  access: AccessTokens;
  /** Staff sessions: exists, this principal's, neither revoked nor expired. */
  sessionActive(sessionId: string, kind: 'subscriber' | 'staff', principalId: string): Promise<boolean>;
  /** Subscriber requests: the session and the account's status in one look-up (the top-up hot path). */
  subscriberSession(sessionId: string, customerId: string): Promise<'active' | 'session_revoked' | 'account_disabled'>;
  staffCurrent(id: string): Promise<{ role: Role; username: string; active: boolean } | undefined>;
  /** Service credentials (charging feeds): token → service name. */
  serviceToken?(token: string): Promise<string | undefined>;
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  if (!m) throw unauthorized('token_invalid', 'Authorization must be "Bearer <token>"');
  return m[1];
}

/**
 * Checks every request against its route's rule. Staff role and status are
 * read per request, so a re-role or disable takes effect at once, and a
 * revoked session stops working immediately rather than when its token expires.
 */
export function registerAuth(app: FastifyInstance, deps: AuthDeps): void {
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/api') && !route.config?.auth) {
      throw new Error(`route ${String(route.method)} ${route.url} declares no auth rule`);
    }
  });

  app.addHook('onRequest', async (req) => {
    const rule = req.routeOptions.config?.auth;
    if (!rule || rule === 'public') return;
    const token = bearer(req);
    if (!token) throw unauthorized('unauthorized', 'Sign in first');

    if (rule === 'service') {
      const name = await deps.serviceToken?.(token);
      if (!name) throw unauthorized('service_token_invalid', 'A valid service credential is required');
      req.principal = { kind: 'service', id: name };
      return;
    }

    const claims = await deps.access.verify(token, deps.clock.now());
    const wantsStaff = typeof rule === 'object';
    if (wantsStaff !== (claims.kind === 'staff')) {
      throw forbidden('forbidden', wantsStaff ? 'Staff only' : 'Subscribers only');
    }
    if (claims.kind === 'subscriber') {
      const status = await deps.subscriberSession(claims.sid, claims.sub);
      if (status === 'session_revoked') throw unauthorized('session_revoked', 'This session has been signed out');
      if (status === 'account_disabled') throw unauthorized('account_disabled', 'This account is disabled');
      req.principal = { kind: 'subscriber', id: claims.sub, sessionId: claims.sid };
      return;
    }
    if (!(await deps.sessionActive(claims.sid, claims.kind, claims.sub))) {
      throw unauthorized('session_revoked', 'This session has been signed out');
    }
    const staff = await deps.staffCurrent(claims.sub);
    if (!staff?.active) throw unauthorized('account_disabled', 'This account is disabled');
    if (typeof rule === 'object' && rule.staff !== 'any' && !can(staff.role, rule.staff)) {
      throw forbidden('forbidden', `Your role (${staff.role}) may not do this`);
    }
    req.principal = { kind: 'staff', id: claims.sub, sessionId: claims.sid, role: staff.role, username: staff.username };
  });
}

export function subscriberOf(req: FastifyRequest): { id: string; sessionId: string } {
  const p = req.principal;
  if (p?.kind !== 'subscriber') throw new AppError('unauthorized', 'unauthorized', 'Sign in first');
  return p;
}

export function staffOf(req: FastifyRequest): Extract<Principal, { kind: 'staff' }> {
  const p = req.principal;
  if (p?.kind !== 'staff') throw new AppError('unauthorized', 'unauthorized', 'Sign in first');
  return p;
}

/** The audit actor for a request. */
export function actorOf(req: FastifyRequest): Actor {
  const p = req.principal;
  const base = { ip: req.ip, userAgent: req.headers['user-agent'] ?? '' };
  if (!p) return { kind: 'system', id: null, name: 'anonymous', ...base };
  if (p.kind === 'staff') return { kind: 'staff', id: p.id, name: p.username, ...base };
  if (p.kind === 'service') return { kind: 'service', id: p.id, name: p.id, ...base };
  return { kind: 'subscriber', id: p.id, name: p.id, ...base };
}

export const deviceOf = (req: FastifyRequest) => ({ userAgent: req.headers['user-agent'] ?? '', ip: req.ip });
