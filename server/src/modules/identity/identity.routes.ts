import {
  ChangePasswordRequest,
  LoginRequest,
  OtpAccepted,
  OtpRequest,
  Profile,
  ProfilePatch,
  RefreshRequest,
  RegisterRequest,
  ResetPasswordRequest,
  Session,
  StaffLoginRequest,
  Tokens,
} from '@telehall/contracts';
import { Type } from 'typebox';
import { deviceOf, subscriberOf } from '../../platform/auth.js';
import { NoContent, authLimit, replies, type RoutePlugin } from '../../platform/routing.js';

/** Subscriber and staff sign-in, and the subscriber's own account. */
export const identityRoutes: RoutePlugin = async (app, { services: s }) => {
  const tags = ['identity'];
  const localeOf = (h: string | undefined) => (h && /^en\b/i.test(h) ? 'en' : 'zh-CN');

  app.post('/api/auth/otp', {
    schema: { tags, summary: 'Send an SMS code', body: OtpRequest, response: replies({ 202: OtpAccepted }) },
    config: { auth: 'public', ...authLimit(10) },
  }, async (req, reply) => {
    const res = await s.subscriberAuth.requestOtp(req.body.phone, req.body.purpose, localeOf(req.headers['accept-language']));
    return reply.status(202).send(res);
  });

  app.post('/api/auth/register', {
    schema: { tags, summary: 'Register with phone and SMS code', body: RegisterRequest, response: replies({ 201: Tokens }) },
    config: { auth: 'public', ...authLimit(10) },
  }, async (req, reply) => reply.status(201).send(await s.subscriberAuth.register(req.body, deviceOf(req))));

  app.post('/api/auth/login', {
    schema: { tags, summary: 'Sign in by password or SMS code', body: LoginRequest, response: replies({ 200: Tokens }) },
    config: { auth: 'public', ...authLimit(20) },
  }, async (req) =>
    'password' in req.body
      ? s.subscriberAuth.loginWithPassword(req.body.phone, req.body.password, deviceOf(req))
      : s.subscriberAuth.loginWithOtp(req.body.phone, req.body.otp, deviceOf(req)));

  app.post('/api/auth/staff/login', {
    schema: { tags, summary: 'Staff sign-in', body: StaffLoginRequest, response: replies({ 200: Tokens }) },
    config: { auth: 'public', ...authLimit(20) },
  }, async (req) => s.staff.login(req.body.username, req.body.password, deviceOf(req)));

  app.post('/api/auth/refresh', {
    schema: { tags, summary: 'Rotate a refresh token', body: RefreshRequest, response: replies({ 200: Tokens }) },
    config: { auth: 'public', ...authLimit(60) },
  }, async (req) => s.sessions.refresh(req.body.refreshToken, deviceOf(req)));

  app.post('/api/auth/logout', {
    schema: { tags, summary: 'Sign this device out', response: replies({ 204: NoContent }) },
    config: { auth: 'public', ...authLimit(60) },
  }, async (req, reply) => {
    // Logout accepts either kind of token; an already-invalid token is a no-op.
    const token = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (token) {
      const claims = await s.access.verify(token, s.clock.now()).catch(() => undefined);
      if (claims) await s.sessions.revoke(claims.kind, claims.sub, claims.sid, 'logout').catch(() => undefined);
    }
    return reply.status(204).send(null);
  });

  app.post('/api/auth/password/reset', {
    schema: { tags, summary: 'Reset a forgotten password with an SMS code', body: ResetPasswordRequest, response: replies({ 204: NoContent }) },
    config: { auth: 'public', ...authLimit(10) },
  }, async (req, reply) => {
    await s.subscriberAuth.resetPassword(req.body.phone, req.body.otp, req.body.newPassword);
    return reply.status(204).send(null);
  });

  app.get('/api/me', {
    schema: { tags, summary: 'My profile', response: replies({ 200: Profile }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.customers.profile(subscriberOf(req).id));

  app.patch('/api/me', {
    schema: { tags, summary: 'Edit my profile', body: ProfilePatch, response: replies({ 200: Profile }) },
    config: { auth: 'subscriber' },
  }, async (req) => s.customers.updateProfile(subscriberOf(req).id, req.body));

  app.put('/api/me/password', {
    schema: { tags, summary: 'Change my password (signs out other devices)', body: ChangePasswordRequest, response: replies({ 204: NoContent }) },
    config: { auth: 'subscriber', ...authLimit(10) },
  }, async (req, reply) => {
    const me = subscriberOf(req);
    await s.subscriberAuth.changePassword(me.id, me.sessionId, req.body.currentPassword, req.body.newPassword);
    return reply.status(204).send(null);
  });

  app.get('/api/me/sessions', {
    schema: { tags, summary: 'My signed-in devices', response: replies({ 200: Type.Object({ items: Type.Array(Session) }) }) },
    config: { auth: 'subscriber' },
  }, async (req) => {
    const me = subscriberOf(req);
    return { items: await s.sessions.list('subscriber', me.id, me.sessionId) };
  });

  app.delete('/api/me/sessions/:id', {
    schema: { tags, summary: 'Sign a device out', params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: replies({ 204: NoContent }) },
    config: { auth: 'subscriber' },
  }, async (req, reply) => {
    await s.sessions.revoke('subscriber', subscriberOf(req).id, req.params.id, 'revoked_by_user');
    return reply.status(204).send(null);
  });
};
