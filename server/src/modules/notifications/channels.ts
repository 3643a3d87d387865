import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Agent } from 'node:https';
import path from 'node:path';
import nodemailer from 'nodemailer';
import webpush from 'web-push';
import type { Db } from '../../platform/db.js';
import './notifications.tables.js';

/** What an adapter is asked to deliver: one row of the message log. */
export interface Outgoing {
  id: string;
  recipient: string;
  customerId: string | null;
  subject: string | null;
  body: string;
  template: string;
  url?: string;
}

/** A failure that retrying cannot fix (no address, subscription gone). */
export class PermanentFailure extends Error {}

export interface ChannelAdapter {
  readonly provider: string;
  /** Resolves when the provider accepted the message; throws otherwise. */
  send(m: Outgoing): Promise<void>;
}

/**
 * SMS gateway interface. The default provider is the message log itself: a
 * message is sent when it is recorded there (staff read it in the console).
 */
export interface SmsProvider {
  readonly name: string;
  send(to: string, body: string): Promise<void>;
}
export const logSmsProvider: SmsProvider = { name: 'log', send: async () => undefined };

export const smsAdapter = (sms: SmsProvider): ChannelAdapter => ({ provider: sms.name, send: (m) => sms.send(m.recipient, m.body) });

/** E-mail through SMTP when SMTP_URL is set; otherwise the message log is the mailbox. */
export function emailAdapter(smtpUrl: string | undefined, from: string): ChannelAdapter {
  if (!smtpUrl) return { provider: 'log', send: async () => undefined };
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    provider: 'smtp',
    async send(m) {
      await transport.sendMail({ from, to: m.recipient, subject: m.subject ?? '', text: m.body });
    },
  };
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
}

/** VAPID keys from the environment, or generated once into the data dir (like the JWT secret). */
export function vapidKeys(dataDir: string, fromEnv?: VapidKeys): () => VapidKeys {
  let cached = fromEnv;
  return () => {
    if (cached) return cached;
    const file = path.join(dataDir, 'vapid.json');
    if (!existsSync(file)) {
      mkdirSync(dataDir, { recursive: true });
      try {
        writeFileSync(file, JSON.stringify(webpush.generateVAPIDKeys()) + '\n', { mode: 0o600, flag: 'wx' });
      } catch (err) {
        // Another process generated it first: use theirs.
        if ((err as { code?: string }).code !== 'EEXIST') throw err;
      }
    }
    cached = JSON.parse(readFileSync(file, 'utf8')) as VapidKeys;
    return cached;
  };
}

/**
 * Web Push (RFC 8030/8291/8292) to every browser the customer subscribed.
 * A subscription the push service says is gone (404/410) is deleted.
 */
export function pushAdapter(db: Db, keys: () => VapidKeys, subject: string, opts: { agent?: Agent } = {}): ChannelAdapter {
  return {
    provider: 'webpush',
    async send(m) {
      if (!m.customerId) throw new PermanentFailure('no customer');
      const subs = await db.selectFrom('push_subscription').selectAll().where('customer_id', '=', m.customerId).execute();
      if (!subs.length) throw new PermanentFailure('no push subscription');
      const k = keys();
      const payload = JSON.stringify({ id: m.id, title: m.subject ?? '', body: m.body, url: m.url ?? '/' });
      let delivered = 0;
      let lastError: unknown;
      for (const s of subs) {
        try {
          await webpush.sendNotification({ endpoint: s.endpoint, keys: { p256dh: s.p256dh, auth: s.auth } }, payload, {
            vapidDetails: { subject, publicKey: k.publicKey, privateKey: k.privateKey }, TTL: 24 * 3600, timeout: 10_000, ...(opts.agent ? { agent: opts.agent } : {}),
          });
          delivered++;
        } catch (err) {
          const status = (err as { statusCode?: number }).statusCode;
          if (status === 404 || status === 410) await db.deleteFrom('push_subscription').where('id', '=', s.id).execute();
          lastError = err;
        }
      }
      if (!delivered) throw lastError instanceof Error ? lastError : new Error('push failed');
    },
  };
}
