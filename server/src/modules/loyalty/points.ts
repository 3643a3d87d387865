import { sql } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Db, Executor } from '../../platform/db.js';
import { AppError, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import type { Ledger } from '../ledger/ledger.service.js';
import type { PointEventKind, Tier } from './loyalty.tables.js';
import './loyalty.tables.js';

export interface LoyaltyDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  ledger: Ledger;
}

/** Where points come from and go to (asset POINTS, summed from entries). */
export const POINT_ACCOUNTS = {
  issued: { code: 'loyalty:issued', kind: 'system' },
  redeemed: { code: 'loyalty:redeemed', kind: 'system' },
  expired: { code: 'loyalty:expired', kind: 'system' },
  cleared: { code: 'loyalty:cleared', kind: 'system' },
} as const;
export type PointSink = Exclude<keyof typeof POINT_ACCOUNTS, 'issued'>;

const OFFSET_MS = 8 * 3600_000;

/**
 * 和积分: points expire at the end of the 36th month counting the month they
 * were earned (China Standard Time) — earned any day in Nov 2026, they last
 * until the end of Oct 2029.
 */
export function expiryOf(earnedAt: Date): Date {
  const local = new Date(earnedAt.getTime() + OFFSET_MS);
  return new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 36, 1) - OFFSET_MS);
}

/** "2026-11-22": the calendar day in China Standard Time. */
export function localDay(at: Date): string {
  return new Date(at.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

export interface Member {
  lineId: string;
  customerId: string;
  lineStatus: 'active' | 'suspended' | 'closed';
  tier: Tier;
  shortfall: number;
  accountId: string;
  balance: number;
}

/**
 * Lock a line's points (its member row), creating the member and its POINTS
 * ledger account on first use. Every change to a line's points goes through
 * this lock, so concurrent redemptions of one line queue here.
 * @throws not_found `line_not_found`
 */
export async function lockMember(trx: Executor, d: LoyaltyDeps, lineId: string, opts: { customerId?: string | null; allowClosed?: boolean } = {}): Promise<Member> {
  // The member row locked, with its line. The balance is read by a separate statement after
  // the lock is held: a joined row read while waiting for the lock would be the stale version.
  const lock = () => sql<{ customer_id: string; status: Member['lineStatus']; tier: Tier; shortfall: number }>`
    SELECT l.customer_id, l.status, m.tier, m.shortfall FROM loyalty_member m JOIN line l ON l.id = m.line_id
    WHERE m.line_id = ${lineId} FOR UPDATE OF m`.execute(trx);
  let row = (await lock()).rows[0];
  if (!row) {
    const l = await trx.selectFrom('line').select(['id', 'customer_id']).where('id', '=', lineId).executeTakeFirst();
    if (!l) throw notFound('line');
    const created = await trx.insertInto('loyalty_member').values({ line_id: l.id, customer_id: l.customer_id, created_at: d.clock.now() })
      .onConflict((oc) => oc.column('line_id').doNothing()).returning('line_id').executeTakeFirst();
    if (created) {
      await trx.insertInto('ledger_account').values({ id: d.ids.uuid(), code: `line:${l.id}:POINTS`, asset: 'POINTS', kind: 'points', line_id: l.id })
        .onConflict((oc) => oc.column('code').doNothing()).execute();
    }
    row = (await lock()).rows[0]!;
  }
  if ((opts.customerId && row.customer_id !== opts.customerId) || (row.status === 'closed' && !opts.allowClosed)) throw notFound('line');
  const acc = await d.ledger.lineAccount(trx, lineId, 'POINTS');
  return { lineId, customerId: row.customer_id, lineStatus: row.status, tier: row.tier, shortfall: Number(row.shortfall), accountId: acc.id, balance: acc.balance };
}

export interface Source {
  kind: string;
  id: string;
}

interface EventInput {
  kind: PointEventKind;
  ruleId?: string | null;
  reason?: string;
  source: Source;
  dedupeKey?: string | null;
  staffId?: string | null;
}

export interface Credited {
  eventId: string;
  points: number;
  settled: number;
  replayed: boolean;
}

async function insertEvent(trx: Executor, d: LoyaltyDeps, m: Member, e: EventInput, points: number, settled: number, txId: string | null): Promise<string> {
  const id = d.ids.uuid();
  await trx.insertInto('point_event').values({
    id, line_id: m.lineId, kind: e.kind, points, settled, rule_id: e.ruleId ?? null, reason: e.reason ?? '', source_kind: e.source.kind, source_id: e.source.id,
    dedupe_key: e.dedupeKey ?? null, ledger_tx_id: txId, staff_id: e.staffId ?? null, created_at: d.clock.now(),
  }).execute();
  return id;
}

async function replayOf(trx: Executor, dedupeKey: string | null | undefined): Promise<Credited | null> {
  if (!dedupeKey) return null;
  const prior = await trx.selectFrom('point_event').select(['id', 'points', 'settled']).where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  return prior ? { eventId: prior.id, points: prior.points, settled: prior.settled, replayed: true } : null;
}

/**
 * Credit points to a locked member as a new lot (expiring per `expiryOf`).
 * An outstanding claw-back shortfall is settled first. With a `dedupeKey`
 * a second credit for the same source changes nothing.
 */
export async function creditPoints(trx: Executor, d: LoyaltyDeps, m: Member, points: number, e: EventInput): Promise<Credited> {
  if (!Number.isSafeInteger(points) || points <= 0) throw new AppError('invalid_data', 'invalid_points', 'Points must be a positive integer');
  const prior = await replayOf(trx, e.dedupeKey);
  if (prior) return prior;
  const settled = Math.min(m.shortfall, points);
  const net = points - settled;
  let txId: string | null = null;
  if (net > 0) {
    txId = await d.ledger.post(trx, {
      kind: `points.${e.kind}`, lineId: m.lineId, reference: `${e.source.kind}:${e.source.id}`, memo: e.reason ?? '',
      postings: [{ from: await d.ledger.systemAccount(trx, POINT_ACCOUNTS.issued, 'POINTS'), to: m.accountId, amount: net }],
    });
  }
  const eventId = await insertEvent(trx, d, m, e, net, settled, txId);
  if (net > 0) {
    const now = d.clock.now();
    await trx.insertInto('point_lot').values({ id: d.ids.uuid(), line_id: m.lineId, points: net, remaining: net, earned_at: now, expires_at: expiryOf(now), notified_at: null, event_id: eventId }).execute();
  }
  if (settled > 0) await trx.updateTable('loyalty_member').set({ shortfall: m.shortfall - settled }).where('line_id', '=', m.lineId).execute();
  m.shortfall -= settled;
  m.balance += net;
  return { eventId, points: net, settled, replayed: false };
}

/** Take points from the earliest-expiring lots first; returns how many lots were touched. */
async function consumeFifo(trx: Executor, lineId: string, points: number, expiredOnly?: Date): Promise<number> {
  let q = trx.selectFrom('point_lot').select(['id', 'remaining']).where('line_id', '=', lineId).where('remaining', '>', 0);
  if (expiredOnly) q = q.where('expires_at', '<=', expiredOnly);
  const lots = await q.orderBy('expires_at').orderBy('earned_at').orderBy('id').forUpdate().execute();
  let left = points;
  const ids: string[] = [];
  const take: number[] = [];
  for (const lot of lots) {
    if (left <= 0) break;
    const n = Math.min(lot.remaining, left);
    ids.push(lot.id);
    take.push(n);
    left -= n;
  }
  if (left > 0) throw new Error(`point lots of ${lineId} hold less than its balance`);
  if (ids.length) {
    await sql`UPDATE point_lot l SET remaining = l.remaining - t.n FROM unnest(${ids}::uuid[], ${take}::bigint[]) AS t(id, n) WHERE l.id = t.id`.execute(trx);
  }
  return ids.length;
}

/**
 * Debit a locked member's points (earliest expiry first) to a sink account.
 * @throws insufficient_funds `insufficient_points`
 */
export async function debitPoints(trx: Executor, d: LoyaltyDeps, m: Member, points: number, sink: PointSink | 'issued', e: EventInput, settledShortfall = 0): Promise<{ eventId: string; txId: string | null }> {
  if (points > m.balance) {
    throw new AppError('insufficient_funds', 'insufficient_points', 'Not enough points', { details: { balance: m.balance, needed: points } });
  }
  let txId: string | null = null;
  if (points > 0) {
    await consumeFifo(trx, m.lineId, points);
    txId = await d.ledger.post(trx, {
      kind: `points.${e.kind}`, lineId: m.lineId, reference: `${e.source.kind}:${e.source.id}`, memo: e.reason ?? '',
      postings: [{ from: m.accountId, to: await d.ledger.systemAccount(trx, POINT_ACCOUNTS[sink], 'POINTS'), amount: points }],
    });
  }
  const eventId = await insertEvent(trx, d, m, e, -points, settledShortfall, txId);
  m.balance -= points;
  return { eventId, txId };
}

/**
 * Claw back points (a refund): as much as the balance holds; the rest is
 * recorded as a shortfall that later earnings settle first. Once per dedupe key.
 */
export async function clawBack(trx: Executor, d: LoyaltyDeps, m: Member, points: number, e: EventInput): Promise<{ taken: number; shortfall: number }> {
  if (points <= 0) return { taken: 0, shortfall: 0 };
  if (await replayOf(trx, e.dedupeKey)) return { taken: 0, shortfall: 0 };
  const taken = Math.min(points, m.balance);
  const owed = points - taken;
  await debitPoints(trx, d, m, taken, 'issued', e, owed);
  if (owed > 0) {
    await trx.updateTable('loyalty_member').set({ shortfall: m.shortfall + owed }).where('line_id', '=', m.lineId).execute();
    m.shortfall += owed;
  }
  return { taken, shortfall: owed };
}

/** Retire a locked member's lots that expired by `now`. Returns the points expired. */
export async function expireLots(trx: Executor, d: LoyaltyDeps, m: Member, now: Date): Promise<number> {
  const due = await trx.selectFrom('point_lot').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('remaining'), eb.val(0)).as('n'))
    .where('line_id', '=', m.lineId).where('remaining', '>', 0).where('expires_at', '<=', now).executeTakeFirstOrThrow();
  const n = Number(due.n);
  if (n <= 0) return 0;
  await consumeFifo(trx, m.lineId, n, now);
  const txId = await d.ledger.post(trx, {
    kind: 'points.expire', lineId: m.lineId, reference: `expiry:${localDay(now)}`, memo: 'points expired',
    postings: [{ from: m.accountId, to: await d.ledger.systemAccount(trx, POINT_ACCOUNTS.expired, 'POINTS'), amount: n }],
  });
  await insertEvent(trx, d, m, { kind: 'expire', reason: 'expired', source: { kind: 'expiry', id: localDay(now) } }, -n, 0, txId);
  m.balance -= n;
  return n;
}
