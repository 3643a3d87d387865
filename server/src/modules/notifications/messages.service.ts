import type { Message } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import type { Logger } from 'pino';
import { maskPhone } from '../../platform/access.js';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import type { Ids } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { logSmsProvider, type SmsProvider } from './channels.js';
import type { MessageTable } from './notifications.tables.js';
import './notifications.tables.js';

export interface OutgoingSms {
  phone: string;
  customerId: string | null;
  category: string;
  template: string;
  locale: string;
  body: string;
}

function toMessage(r: Selectable<MessageTable>, unmask: boolean): Message {
  return {
    id: r.id,
    channel: r.channel,
    recipient: unmask || r.channel !== 'sms' ? r.recipient : maskPhone(r.recipient),
    customerId: r.customer_id,
    category: r.category,
    template: r.template,
    locale: r.locale,
    subject: r.subject,
    body: r.body,
    status: r.status,
    provider: r.provider,
    createdAt: r.created_at.toISOString(),
    sentAt: r.sent_at?.toISOString() ?? null,
  };
}

/**
 * The message log every channel writes to. The default SMS provider is the
 * log itself: a message is "sent" when it is recorded here (and, outside
 * production, printed to the server log so a developer can read the code).
 */
export function createMessages(deps: { db: Db; clock: Clock; ids: Ids; log: Logger; echoToLog: boolean; sms?: SmsProvider }) {
  const { db, clock, ids, log, echoToLog } = deps;
  const provider = deps.sms ?? logSmsProvider;
  return {
    /** Synchronous send (OTP codes cannot wait for a queue): the provider first, then the log row. */
    async sendSms(trx: Executor, sms: OutgoingSms): Promise<string> {
      await provider.send(sms.phone, sms.body);
      const now = clock.now();
      const id = ids.uuid();
      await trx
        .insertInto('message')
        .values({
          id,
          channel: 'sms',
          recipient: sms.phone,
          customer_id: sms.customerId,
          category: sms.category,
          template: sms.template,
          locale: sms.locale,
          subject: null,
          body: sms.body,
          status: 'sent',
          provider: provider.name,
          attempts: 1,
          error: null,
          created_at: now,
          sent_at: now,
        })
        .execute();
      if (echoToLog) log.info({ channel: 'sms', to: sms.phone, template: sms.template }, `SMS: ${sms.body}`);
      return id;
    },

    async list(q: { limit?: number; cursor?: string; channel?: Message['channel']; recipient?: string }, unmask: boolean) {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('message').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
      if (q.channel) query = query.where('channel', '=', q.channel);
      if (q.recipient) query = query.where('recipient', '=', q.recipient);
      const c = decodeCursor(q.cursor);
      if (c) query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        items: page.map((r) => toMessage(r, unmask)),
        nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },
  };
}
export type Messages = ReturnType<typeof createMessages>;
