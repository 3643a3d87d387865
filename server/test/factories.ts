import assert from 'node:assert/strict';
import type { Role, Tokens } from '@telehall/contracts';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { hashPassword } from '../src/modules/identity/password.js';
import type { Services } from '../src/services.js';

let phoneSeq = 0;
/** A unique mainland mobile number per call within a process. */
export const newPhone = () => `139${String(process.pid % 10000).padStart(4, '0')}${String(phoneSeq++).padStart(4, '0')}`;

/** HTTP through the real app (inject), JSON in and out. */
export async function call(app: FastifyInstance, method: InjectOptions['method'], url: string, opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await app.inject({
    method,
    url,
    headers: { ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}), ...opts.headers },
    ...(opts.body !== undefined ? { payload: opts.body as Record<string, unknown> } : {}),
  });
  const text = res.body;
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, json, headers: res.headers };
}

/** The last SMS code sent to a phone, read from the message log as a person would. */
export async function lastCode(s: Services, phone: string): Promise<string> {
  const m = await s.db.selectFrom('message').select('body').where('recipient', '=', phone).orderBy('created_at', 'desc').limit(1).executeTakeFirst();
  const code = m && /\b(\d{6})\b/.exec(m.body)?.[1];
  assert.ok(code, `no SMS code for ${phone}`);
  return code;
}

/** Register a subscriber through the API; returns their phone and tokens. */
export async function registerSubscriber(app: FastifyInstance, s: Services, password = 'secret-pass-1', phone = newPhone()) {
  const otp = await call(app, 'POST', '/api/auth/otp', { body: { phone, purpose: 'register' } });
  assert.equal(otp.status, 202, JSON.stringify(otp.json));
  const reg = await call(app, 'POST', '/api/auth/register', { body: { phone, otp: await lastCode(s, phone), password, name: 'Test User' } });
  assert.equal(reg.status, 201, JSON.stringify(reg.json));
  return { phone, password, tokens: reg.json as Tokens };
}

/** A staff user created directly (fast) and signed in through the API. */
export async function staffLogin(app: FastifyInstance, s: Services, role: Role, password = 'staff-pass-123') {
  const username = `${role}${process.pid}${phoneSeq++}`;
  const now = s.clock.now();
  await s.db
    .insertInto('staff_user')
    .values({ id: s.ids.uuid(), username, display_name: `${role} user`, password_hash: await hashPassword(password), role, locked_until: null, created_at: now, updated_at: now })
    .execute();
  const res = await call(app, 'POST', '/api/auth/staff/login', { body: { username, password } });
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return { username, password, tokens: res.json as Tokens };
}

export const systemActor = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };

let planSeq = 0;
/** A plan with small, easy allowances unless told otherwise. */
export async function makePlan(s: Services, over: Partial<import('@telehall/contracts').PlanInput> = {}) {
  return s.catalog.createPlan(systemActor, {
    code: `p${process.pid}_${planSeq++}`, nameZh: '测试套餐', nameEn: 'Test plan', tier: 1, monthlyFeeFen: 3900,
    dataBytes: 1024 ** 3, voiceSeconds: 6000, smsCount: 100, dataFenPerGb: 500, voiceFenPerMin: 15, smsFenEach: 10, contractMonths: 0, ...over,
  });
}

/** A customer with one line on `planId`; returns the line id and its number. */
export async function makeLine(s: Services, planId: string, opts: { balanceFen?: number; creditLimitFen?: number; at?: Date; phone?: string } = {}) {
  const phone = opts.phone ?? newPhone();
  const customer = await s.db.transaction().execute((trx) => s.customers.findOrCreateByPhone(trx, phone, 'Line owner'));
  const lineId = await s.charging.openLine(systemActor, {
    customerId: customer.id, msisdn: phone, planId, creditLimitFen: opts.creditLimitFen ?? 0, openingBalanceFen: opts.balanceFen ?? 10_000, ...(opts.at ? { at: opts.at } : {}),
  });
  return { lineId, msisdn: phone, customerId: customer.id };
}

export const balanceOf = async (s: Services, lineId: string) => (await s.ledger.lineAccount(s.db, lineId)).balance;
