import assert from 'node:assert/strict';
import { createECDH, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { ManualClock } from '../../platform/clock.js';
import { createDispatcher, enqueue } from '../../platform/outbox.js';
import { call, makeLine, makePlan, registerSubscriber } from '../../../test/factories.js';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { PermanentFailure, pushAdapter, smsAdapter, emailAdapter, logSmsProvider, type ChannelAdapter } from './channels.js';
import { backoffMs, createPipeline, MAX_ATTEMPTS } from './pipeline.js';
import { channelsFor, DEFAULT_PREFS, quietUntil } from './preferences.js';

describe('notification rules (unit)', () => {
  it('sends transactional messages on every reachable channel and marketing only where opted in', () => {
    const reach = { phone: '13800138000', email: 'a@example.com', push: true };
    assert.deepEqual(channelsFor('transactional', { ...DEFAULT_PREFS, marketing: { sms: false, email: false, push: false, inapp: false } }, reach), ['inapp', 'sms', 'email', 'push']);
    assert.deepEqual(channelsFor('marketing', DEFAULT_PREFS, reach), ['inapp', 'push']);
    assert.deepEqual(channelsFor('marketing', { ...DEFAULT_PREFS, marketing: { sms: true, email: true, push: false, inapp: false } }, reach), ['sms', 'email']);
    assert.deepEqual(channelsFor('transactional', DEFAULT_PREFS, { phone: null, email: null, push: false }), ['inapp']);
  });

  it('computes quiet hours in the subscriber\'s time zone, wrapping midnight', () => {
    // 22:30 Beijing = 14:30Z → quiet until 08:00 Beijing = 00:00Z next day.
    assert.equal(quietUntil(new Date('2026-11-10T14:30:00Z'), DEFAULT_PREFS)?.toISOString(), '2026-11-11T00:00:00.000Z');
    // 07:59 Beijing → one minute left.
    assert.equal(quietUntil(new Date('2026-11-10T23:59:00Z'), DEFAULT_PREFS)?.toISOString(), '2026-11-11T00:00:00.000Z');
    assert.equal(quietUntil(new Date('2026-11-10T04:00:00Z'), DEFAULT_PREFS), null); // noon
    assert.equal(quietUntil(new Date('2026-11-10T12:59:00Z'), DEFAULT_PREFS), null); // 20:59
    assert.equal(quietUntil(new Date('2026-11-10T13:00:00Z'), DEFAULT_PREFS)?.toISOString(), '2026-11-11T00:00:00.000Z'); // 21:00 starts it
    // A window inside one day (13:00–14:00 UTC).
    assert.equal(quietUntil(new Date('2026-11-10T13:30:00Z'), { quietStartMin: 780, quietEndMin: 840, timeZone: 'UTC' })?.toISOString(), '2026-11-10T14:00:00.000Z');
  });

  it('backs off exponentially', () => {
    assert.deepEqual([1, 2, 3, 4].map(backoffMs), [30_000, 60_000, 120_000, 240_000]);
  });
});

describe('notifications pipeline', () => {
  let t: TestContext;
  const clock = new ManualClock('2026-11-10T04:00:00Z'); // 12:00 in Beijing
  before(async () => {
    t = await createTestContext({ clock });
  });
  after(async () => t?.close());

  async function customer(email: string | null = 'user@example.com') {
    const plan = await makePlan(t.s);
    const line = await makeLine(t.s, plan.id, { at: clock.now() });
    if (email) await t.s.db.updateTable('customer').set({ email }).where('id', '=', line.customerId).execute();
    return line;
  }
  const emit = (topic: string, payload: Record<string, unknown>) => t.s.db.transaction().execute((trx) => enqueue(trx, clock, topic, 'k', payload));
  const messagesOf = (customerId: string) => t.s.db.selectFrom('message').selectAll().where('customer_id', '=', customerId).orderBy('channel').execute();

  it('lets subscribers choose marketing channels and quiet hours but never switch transactional off', async () => {
    const sub = await registerSubscriber(t.app, t.s);
    const token = sub.tokens.accessToken;
    const get = await call(t.app, 'GET', '/api/me/notification-preferences', { token });
    assert.equal(get.status, 200);
    assert.deepEqual(get.json.transactional, { sms: true, email: true, push: true, inapp: true });
    assert.deepEqual(get.json.quietHours, { start: '21:00', end: '08:00', timeZone: 'Asia/Shanghai' });
    const off = await call(t.app, 'PUT', '/api/me/notification-preferences', { token, body: { transactional: { sms: false } } });
    assert.equal(off.status, 422);
    assert.equal(off.json.code, 'transactional_required');
    const put = await call(t.app, 'PUT', '/api/me/notification-preferences', { token, body: { marketing: { sms: true, push: false }, quietHours: { start: '22:00', end: '07:30' } } });
    assert.equal(put.status, 200, JSON.stringify(put.json));
    assert.deepEqual(put.json.marketing, { sms: true, email: false, push: false, inapp: true });
    const again = await call(t.app, 'GET', '/api/me/notification-preferences', { token });
    assert.deepEqual(again.json.quietHours, { start: '22:00', end: '07:30', timeZone: 'Asia/Shanghai' });
    assert.equal((await call(t.app, 'PUT', '/api/me/notification-preferences', { token, body: { quietHours: { start: '25:00', end: '07:30' } } })).status, 400);
    const tz = await call(t.app, 'PUT', '/api/me/notification-preferences', { token, body: { quietHours: { start: '22:00', end: '07:30', timeZone: 'Mars/Base' } } });
    assert.equal(tz.status, 400);
    assert.equal(tz.json.code, 'invalid_time_zone');
    assert.equal((await call(t.app, 'GET', '/api/me/notification-preferences')).status, 401);
  });

  it('makes one message per channel per event, even when the dispatcher crashes mid-batch and runs again', async () => {
    const c = await customer();
    const other = await customer(null);
    const dispatcher = createDispatcher({ db: t.s.db, clock, log: pino({ level: 'silent' }) });
    t.s.notify.register(dispatcher);
    let crashes = 1;
    dispatcher.on('line.suspended', async () => {
      if (crashes-- > 0) throw new Error('simulated crash after earlier events in the batch were handled');
    });
    await emit('usage.alert', { customerId: c.customerId, msisdn: c.msisdn, alert: 'data_80', kind: 'data' });
    await emit('bill.ready', { customerId: other.customerId, billId: 'b1', period: '2026-10', amountFen: 3900 });
    await emit('line.suspended', { customerId: c.customerId, msisdn: c.msisdn });
    await assert.rejects(dispatcher.runOnce(), /simulated crash/);
    assert.equal((await messagesOf(c.customerId)).length, 0, 'the crashed batch left nothing behind');
    assert.equal(await dispatcher.drain(), 3);
    const mine = await messagesOf(c.customerId);
    // inapp + sms + email for each of the two events (no push subscription).
    assert.equal(mine.length, 6);
    const perEvent = new Map<string, number>();
    for (const m of mine) perEvent.set(`${m.event_id}:${m.channel}`, (perEvent.get(`${m.event_id}:${m.channel}`) ?? 0) + 1);
    assert.ok([...perEvent.values()].every((n) => n === 1));
    assert.deepEqual((await messagesOf(other.customerId)).map((m) => m.channel), ['inapp', 'sms']);

    // Replaying an event by hand (a re-delivery) adds nothing.
    const ev = await t.s.db.selectFrom('outbox').selectAll().where('topic', '=', 'usage.alert').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.s.db.transaction().execute((trx) => t.s.notify.fanOut(trx, { id: ev.id, topic: ev.topic, key: ev.key, payload: ev.payload, createdAt: ev.created_at }));
    assert.equal((await messagesOf(c.customerId)).length, 6);
    const sms = mine.find((m) => m.channel === 'sms' && m.template === 'usage.80')!;
    assert.equal(sms.status, 'queued');
    assert.equal(sms.recipient, c.msisdn);
    assert.equal((await messagesOf(c.customerId)).find((m) => m.channel === 'inapp' && m.template === 'usage.80')?.status, 'delivered');
    await t.s.notify.deliverDue();
    const after = await messagesOf(c.customerId);
    assert.ok(after.filter((m) => m.channel !== 'inapp').every((m) => m.status === 'sent' && m.attempts === 1 && m.sent_at));
  });

  it('retries a failing channel with exponential backoff, then gives up', async () => {
    const c = await customer();
    let failuresLeft = 2;
    const attempts: string[] = [];
    const flaky: ChannelAdapter = { provider: 'flaky', send: async (m) => { attempts.push(m.id); if (failuresLeft-- > 0) throw new Error('gateway timeout'); } };
    const dead: ChannelAdapter = { provider: 'dead', send: async () => { throw new Error('connection refused'); } };
    const gone: ChannelAdapter = { provider: 'gone', send: async () => { throw new PermanentFailure('no push subscription'); } };
    const pipeline = createPipeline({ db: t.s.db, clock, ids: t.s.ids, log: pino({ level: 'silent' }), preferences: t.s.preferences, adapters: { sms: flaky, email: dead, push: gone } });
    const dispatcher = createDispatcher({ db: t.s.db, clock, log: pino({ level: 'silent' }) });
    pipeline.register(dispatcher);
    await emit('payment.captured', { customerId: c.customerId, paymentId: 'p1', amountFen: 5000 });
    await dispatcher.drain();
    const row = async (channel: 'sms' | 'email') => t.s.db.selectFrom('message').selectAll().where('customer_id', '=', c.customerId).where('channel', '=', channel).executeTakeFirstOrThrow();

    await pipeline.deliverDue();
    let sms = await row('sms');
    assert.equal(sms.status, 'queued');
    assert.equal(sms.attempts, 1);
    assert.equal(sms.error, 'gateway timeout');
    assert.equal(sms.next_attempt_at?.getTime(), clock.now().getTime() + 30_000);
    await pipeline.deliverDue();
    assert.equal(attempts.length, 1, 'not retried before its time');
    clock.advance(30_000);
    await pipeline.deliverDue();
    sms = await row('sms');
    assert.equal(sms.attempts, 2);
    assert.equal(sms.next_attempt_at?.getTime(), clock.now().getTime() + 60_000);
    clock.advance(60_000);
    await pipeline.deliverDue();
    sms = await row('sms');
    assert.equal(sms.status, 'sent');
    assert.equal(sms.attempts, 3);
    assert.equal(sms.provider, 'flaky');

    for (let i = 0; i < 10; i++) {
      clock.advance(10 * 60_000);
      await pipeline.deliverDue();
    }
    const email = await row('email');
    assert.equal(email.status, 'failed');
    assert.equal(email.attempts, MAX_ATTEMPTS);
    assert.equal(email.error, 'connection refused');
  });

  it('holds marketing for quiet hours (except in-app) and sends it when they end', async () => {
    const c = await customer();
    const sub = await t.s.preferences.update(c.customerId, { marketing: { sms: true } });
    assert.equal(sub.marketing.sms, true);
    clock.set('2026-11-10T14:30:00Z'); // 22:30 Beijing
    await emit('marketing.offer', { customerId: c.customerId, titleZh: '5GB流量包半价', titleEn: '5 GB pack half price', bodyZh: '本周购买5GB流量包仅需15元。', bodyEn: 'This week only.' });
    await emit('usage.alert', { customerId: c.customerId, msisdn: c.msisdn, alert: 'low_balance', balanceFen: 120 });
    await t.s.dispatcher.drain();
    const rows = await messagesOf(c.customerId);
    const offer = rows.filter((m) => m.template === 'marketing.offer');
    assert.deepEqual(offer.map((m) => m.channel), ['inapp', 'sms'], 'email stays off: marketing e-mail is opt-in');
    const offerSms = offer.find((m) => m.channel === 'sms')!;
    assert.equal(offerSms.next_attempt_at?.toISOString(), '2026-11-11T00:00:00.000Z');
    await t.s.notify.deliverDue();
    const night = await messagesOf(c.customerId);
    assert.equal(night.find((m) => m.id === offerSms.id)?.status, 'queued', 'no marketing SMS at night');
    assert.equal(night.find((m) => m.template === 'usage.low_balance' && m.channel === 'sms')?.status, 'sent', 'transactional goes out at night');
    clock.set('2026-11-11T00:00:00Z');
    await t.s.notify.deliverDue();
    assert.equal((await messagesOf(c.customerId)).find((m) => m.id === offerSms.id)?.status, 'sent');
    clock.set('2026-11-10T04:00:00Z');
  });

  it('encrypts Web Push payloads to a stored subscription and sends them with a VAPID signature', async () => {
    // A local push service over TLS (web-push only speaks https), with a throwaway certificate the adapter trusts.
    const dir = mkdtempSync(path.join(tmpdir(), 'push-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', '/CN=127.0.0.1',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    const cert = readFileSync(path.join(dir, 'cert.pem'));
    const received: { headers: IncomingMessage['headers']; body: Buffer }[] = [];
    const server = createHttpsServer({ key: readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(201).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as { port: number }).port;
      const sub = await registerSubscriber(t.app, t.s);
      const ua = createECDH('prime256v1');
      ua.generateKeys();
      const authSecret = randomBytes(16);
      const endpoint = `https://127.0.0.1:${port}/push/abc`;
      const saved = await call(t.app, 'POST', '/api/me/push-subscriptions', {
        token: sub.tokens.accessToken,
        body: { endpoint, keys: { p256dh: ua.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') } },
      });
      assert.equal(saved.status, 201, JSON.stringify(saved.json));
      const key = await call(t.app, 'GET', '/api/push/vapid-public-key');
      assert.equal(key.status, 200);
      const customerId = (await t.s.db.selectFrom('subscriber_account').select('customer_id').where('phone', '=', sub.phone).executeTakeFirstOrThrow()).customer_id;
      await emit('points.expiring', { customerId, points: 320, expiresAt: '2026-12-31T00:00:00Z' });
      const pipeline = createPipeline({
        db: t.s.db, clock, ids: t.s.ids, log: pino({ level: 'silent' }), preferences: t.s.preferences,
        adapters: { sms: smsAdapter(logSmsProvider), email: emailAdapter(undefined, ''), push: pushAdapter(t.s.db, t.s.vapid, 'mailto:test@example.com', { agent: new HttpsAgent({ ca: cert }) }) },
      });
      await t.s.dispatcher.drain();
      await pipeline.deliverDue();
      const push = await t.s.db.selectFrom('message').selectAll().where('customer_id', '=', customerId).where('channel', '=', 'push').executeTakeFirstOrThrow();
      assert.equal(push.status, 'sent', push.error ?? '');
      assert.equal(received.length, 1);
      const { headers, body } = received[0]!;
      assert.equal(headers['content-encoding'], 'aes128gcm');
      assert.match(String(headers.authorization), new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${key.json.publicKey}$`));
      // Decrypt as the browser would (RFC 8291): proves the payload is encrypted to this subscription's keys.
      const salt = body.subarray(0, 16);
      const idLen = body[20]!;
      const asPublic = body.subarray(21, 21 + idLen);
      const cipher = body.subarray(21 + idLen);
      const ecdhSecret = ua.computeSecret(asPublic);
      const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), ua.getPublicKey(), asPublic]);
      const ikm = Buffer.from(hkdfSync('sha256', ecdhSecret, authSecret, keyInfo, 32));
      const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
      const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
      const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
      decipher.setAuthTag(cipher.subarray(cipher.length - 16));
      const plain = Buffer.concat([decipher.update(cipher.subarray(0, cipher.length - 16)), decipher.final()]);
      const json = JSON.parse(plain.subarray(0, plain.lastIndexOf(2)).toString('utf8')) as { title: string; body: string };
      assert.equal(json.title, '积分即将过期');
      assert.match(json.body, /320积分将于2026-12-31过期/);
    } finally {
      server.close();
    }
  });
});
