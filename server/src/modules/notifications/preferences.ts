import type { NotificationPreferences, NotificationPreferencesPatch } from '@telehall/contracts';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, invalid } from '../../platform/errors.js';
import type { Category } from './templates.js';
import './notifications.tables.js';

export type ChannelName = 'sms' | 'email' | 'push' | 'inapp';
export const CHANNELS: readonly ChannelName[] = ['inapp', 'sms', 'email', 'push'];

export interface Prefs {
  marketing: Record<ChannelName, boolean>;
  quietStartMin: number;
  quietEndMin: number;
  timeZone: string;
}

export const DEFAULT_PREFS: Prefs = {
  marketing: { sms: false, email: false, push: true, inapp: true },
  quietStartMin: 21 * 60,
  quietEndMin: 8 * 60,
  timeZone: 'Asia/Shanghai',
};

/** Where a customer can be reached right now. */
export interface Reach {
  phone: string | null;
  email: string | null;
  push: boolean;
}

/**
 * Which channels a message of `category` goes to. Transactional messages go
 * to every channel the customer can be reached on (they cannot be switched
 * off); marketing only to the channels the customer opted into.
 */
export function channelsFor(category: Category, prefs: Prefs, reach: Reach): ChannelName[] {
  const reachable: Record<ChannelName, boolean> = { inapp: true, sms: !!reach.phone, email: !!reach.email, push: reach.push };
  return CHANNELS.filter((c) => reachable[c] && (category === 'transactional' || prefs.marketing[c]));
}

function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

/**
 * When the customer's quiet hours end if `at` falls inside them, else null.
 * A window whose start is after its end wraps past midnight (21:00–08:00).
 */
export function quietUntil(at: Date, p: Pick<Prefs, 'quietStartMin' | 'quietEndMin' | 'timeZone'>): Date | null {
  const { quietStartMin: s, quietEndMin: e } = p;
  if (s === e) return null;
  const m = localMinutes(at, p.timeZone);
  const inside = s < e ? m >= s && m < e : m >= s || m < e;
  if (!inside) return null;
  const wait = (e - m + 1440) % 1440;
  const startOfMinute = at.getTime() - (at.getTime() % 60_000);
  return new Date(startOfMinute + wait * 60_000);
}

const hhmm = (min: number) => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;
const minutes = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** A customer's notification preferences (defaults until they save some). */
export function createPreferences({ db, clock }: { db: Db; clock: Clock }) {
  async function load(trx: Executor, customerId: string): Promise<Prefs> {
    const r = await trx.selectFrom('notification_preference').selectAll().where('customer_id', '=', customerId).executeTakeFirst();
    if (!r) return DEFAULT_PREFS;
    return {
      marketing: { sms: r.marketing_sms, email: r.marketing_email, push: r.marketing_push, inapp: r.marketing_inapp },
      quietStartMin: r.quiet_start_min,
      quietEndMin: r.quiet_end_min,
      timeZone: r.time_zone,
    };
  }

  const view = (p: Prefs): NotificationPreferences => ({
    transactional: { sms: true, email: true, push: true, inapp: true },
    marketing: { ...p.marketing },
    quietHours: { start: hhmm(p.quietStartMin), end: hhmm(p.quietEndMin), timeZone: p.timeZone },
  });

  return {
    load,
    async get(customerId: string): Promise<NotificationPreferences> {
      return view(await load(db, customerId));
    },
    /**
     * @throws unprocessable `transactional_required` when asked to switch a transactional channel off
     * @throws invalid_data `invalid_time_zone`
     */
    async update(customerId: string, patch: NotificationPreferencesPatch): Promise<NotificationPreferences> {
      if (patch.transactional && Object.values(patch.transactional).some((v) => v === false)) {
        throw new AppError('unprocessable', 'transactional_required', 'Service messages (bills, balance, security) cannot be switched off');
      }
      const tz = patch.quietHours?.timeZone;
      if (tz !== undefined && !validTimeZone(tz)) throw invalid('invalid_time_zone', `Unknown time zone ${tz}`);
      const cur = await load(db, customerId);
      const next: Prefs = {
        marketing: { ...cur.marketing, ...Object.fromEntries(Object.entries(patch.marketing ?? {}).filter(([, v]) => v !== undefined)) },
        quietStartMin: patch.quietHours ? minutes(patch.quietHours.start) : cur.quietStartMin,
        quietEndMin: patch.quietHours ? minutes(patch.quietHours.end) : cur.quietEndMin,
        timeZone: tz ?? cur.timeZone,
      };
      const row = {
        marketing_sms: next.marketing.sms, marketing_email: next.marketing.email, marketing_push: next.marketing.push, marketing_inapp: next.marketing.inapp,
        quiet_start_min: next.quietStartMin, quiet_end_min: next.quietEndMin, time_zone: next.timeZone, updated_at: clock.now(),
      };
      await db.insertInto('notification_preference').values({ customer_id: customerId, ...row })
        .onConflict((oc) => oc.column('customer_id').doUpdateSet(row)).execute();
      return view(next);
    },
  };
}
export type Preferences = ReturnType<typeof createPreferences>;
