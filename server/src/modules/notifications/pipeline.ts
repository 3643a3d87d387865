import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Trx } from '../../platform/db.js';
import type { Ids } from '../../platform/ids.js';
import type { Dispatcher, OutboxEvent } from '../../platform/outbox.js';
import { PermanentFailure, type ChannelAdapter } from './channels.js';
import { channelsFor, quietUntil, type ChannelName, type Preferences } from './preferences.js';
import { TEMPLATES, type TemplateDef } from './templates.js';
import '../customers/customers.tables.js';
import './notifications.tables.js';

export const MAX_ATTEMPTS = 5;
export const BASE_BACKOFF_MS = 30_000;

/** Delay before retry number `attempts` (1-based count of failures so far): 30 s, 1 min, 2 min, 4 min. */
export const backoffMs = (attempts: number) => BASE_BACKOFF_MS * 2 ** Math.max(0, attempts - 1);

export interface PipelineDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: Logger;
  preferences: Preferences;
  adapters: Record<Exclude<ChannelName, 'inapp'>, ChannelAdapter>;
  templates?: Record<string, TemplateDef>;
}

/**
 * One pipeline for every notification: outbox event → template (per topic
 * and language) → preferences and quiet hours → one message-log row per
 * channel → channel adapter, with retries and exponential backoff.
 *
 * Fan-out runs inside the dispatcher's transaction and inserts with
 * ON CONFLICT (event_id, channel) DO NOTHING, so a replayed event (a crash
 * after the handler ran, or anything else) never makes a second message.
 * In-app messages are delivered by that insert; the others are `queued` and
 * a worker sends them (`deliverDue`).
 */
export function createPipeline(d: PipelineDeps) {
  const templates = d.templates ?? TEMPLATES;

  async function fanOut(trx: Trx, e: OutboxEvent): Promise<void> {
    const def = templates[e.topic];
    const raw = (e.payload ?? {}) as Record<string, unknown>;
    if (!def || typeof raw.customerId !== 'string') return;
    const c = await trx.selectFrom('customer').select(['id', 'locale', 'phone', 'email']).where('id', '=', raw.customerId).executeTakeFirst();
    if (!c) return;
    const p = def.enrich ? { ...raw, ...(await def.enrich(trx, raw, c.locale)) } : raw;
    const prefs = await d.preferences.load(trx, c.id);
    const push = await trx.selectFrom('push_subscription').select('id').where('customer_id', '=', c.id).limit(1).executeTakeFirst();
    const phone = typeof p.msisdn === 'string' ? p.msisdn : c.phone;
    const reach = { phone, email: c.email, push: !!push };
    // A bulk sender that already applied consent set-based names the channels; only reachability is left to check.
    const channels = Array.isArray(p.channels)
      ? channelsFor('transactional', prefs, reach).filter((ch) => (p.channels as unknown[]).includes(ch))
      : channelsFor(def.category, prefs, reach);
    const now = d.clock.now();
    const wakeAt = def.category === 'marketing' ? (quietUntil(now, prefs) ?? now) : now;
    const recipient: Record<ChannelName, string> = { inapp: c.id, sms: phone ?? '', email: c.email ?? '', push: c.id };
    for (const ch of channels) {
      const inapp = ch === 'inapp';
      const rendered = def.render(p, c.locale, ch);
      await trx
        .insertInto('message')
        .values({
          id: d.ids.uuid(), event_id: e.id, channel: ch, recipient: recipient[ch], customer_id: c.id, category: def.category,
          template: rendered.template, locale: c.locale, subject: rendered.title, body: rendered.body,
          status: inapp ? 'delivered' : 'queued', provider: inapp ? 'inapp' : d.adapters[ch].provider, attempts: inapp ? 1 : 0,
          error: null, created_at: now, sent_at: inapp ? now : null, next_attempt_at: inapp ? null : wakeAt,
        })
        .onConflict((oc) => oc.columns(['event_id', 'channel']).where('event_id', 'is not', null).doNothing())
        .execute();
    }
  }

  /** Send queued messages whose time has come; returns how many were tried. */
  async function deliverDue(limit = 50): Promise<number> {
    return inTransaction(d.db, async (trx) => {
      const now = d.clock.now();
      const due = await trx.selectFrom('message').selectAll().where('status', '=', 'queued').where('next_attempt_at', '<=', now)
        .orderBy('next_attempt_at').limit(limit).forUpdate().skipLocked().execute();
      for (const m of due) {
        if (m.channel === 'inapp') continue;
        const adapter = d.adapters[m.channel];
        const attempts = m.attempts + 1;
        try {
          await adapter.send({ id: m.id, recipient: m.recipient, customerId: m.customer_id, subject: m.subject, body: m.body, template: m.template });
          await trx.updateTable('message').set({ status: 'sent', attempts, sent_at: d.clock.now(), error: null, next_attempt_at: null, provider: adapter.provider })
            .where('id', '=', m.id).execute();
        } catch (err) {
          const permanent = err instanceof PermanentFailure;
          const giveUp = permanent || attempts >= MAX_ATTEMPTS;
          const error = (err instanceof Error ? err.message : String(err)).slice(0, 500);
          d.log.warn({ messageId: m.id, channel: m.channel, attempts, error }, giveUp ? 'notification failed' : 'notification send failed; will retry');
          await trx.updateTable('message')
            .set({ status: giveUp ? 'failed' : 'queued', attempts, error, next_attempt_at: giveUp ? null : new Date(now.getTime() + backoffMs(attempts)) })
            .where('id', '=', m.id).execute();
        }
      }
      return due.length;
    });
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;

  return {
    fanOut,
    deliverDue,
    /** Subscribe to every topic that has a template. */
    register(dispatcher: Dispatcher) {
      for (const topic of Object.keys(templates)) dispatcher.on(topic, fanOut);
    },
    start(intervalMs = 1000) {
      stopped = false;
      const tick = () => {
        running = deliverDue()
          .catch((err: unknown) => d.log.error({ err }, 'notification delivery failed'))
          .finally(() => {
            if (!stopped) timer = setTimeout(tick, intervalMs);
          });
      };
      timer = setTimeout(tick, intervalMs);
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
export type Pipeline = ReturnType<typeof createPipeline>;
