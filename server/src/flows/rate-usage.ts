import type { UsageBatchResult } from '@telehall/contracts';
import { sql } from 'kysely';
import { inTransaction, type Db, type Trx } from '../platform/db.js';
import { enqueue } from '../platform/outbox.js';
import { eventOrder, rateEvent, type Bucket, type RatingLine, type UsageEvent } from '../modules/charging/rate.js';
import type { UsageType } from '../modules/charging/tariff.js';
import { rollLine, suspendIfOverLimit, type LifecycleDeps } from './line-lifecycle.js';
import { loadLines, partitionOf, RatingCache, type LineState } from './rating-cache.js';

export const MAX_BATCH = 10_000;
/** Below this balance (fen) the subscriber is told once per cycle. */
export const LOW_BALANCE_FEN = 1000;
/** Events may arrive late, but not from the future (clock skew allowance). */
const FUTURE_SKEW_MS = 5 * 60_000;
const MSISDN = /^1[3-9]\d{9}$/;
const TYPES = new Set(['data', 'voice', 'sms']);
const OVERAGE = { data: 'overageData', voice: 'overageVoice', sms: 'overageSms' } as const;

type Rejection = UsageBatchResult['rejected'][number];
interface Parsed extends UsageEvent {
  index: number;
  msisdn: string;
}

/** Check each record on its own; a bad record is rejected, the rest go on. */
export function parseEvents(raw: unknown[], now: Date): { ok: Parsed[]; rejected: Rejection[]; duplicates: number } {
  const ok: Parsed[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  let duplicates = 0;
  raw.forEach((r, index) => {
    const reject = (code: string, message: string) => rejected.push({ index, code, message });
    if (!r || typeof r !== 'object') return reject('invalid_event', 'an event must be an object');
    const e = r as Record<string, unknown>;
    if (typeof e.id !== 'string' || e.id.length < 1 || e.id.length > 64) return reject('invalid_id', 'id must be a string of 1 to 64 characters');
    if (typeof e.msisdn !== 'string' || !MSISDN.test(e.msisdn)) return reject('invalid_msisdn', 'msisdn must be an 11-digit mainland number');
    if (typeof e.type !== 'string' || !TYPES.has(e.type)) return reject('invalid_type', 'type must be data, voice or sms');
    if (typeof e.quantity !== 'number' || !Number.isSafeInteger(e.quantity) || e.quantity < 0) return reject('invalid_quantity', 'quantity must be a whole number ≥ 0 (bytes, seconds or messages)');
    const t = typeof e.startedAt === 'string' ? Date.parse(e.startedAt) : NaN;
    if (Number.isNaN(t)) return reject('invalid_started_at', 'startedAt must be an ISO 8601 date-time');
    if (t > now.getTime() + FUTURE_SKEW_MS) return reject('started_in_future', 'startedAt is in the future');
    if (seen.has(e.id)) {
      duplicates++;
      return;
    }
    seen.add(e.id);
    ok.push({ index, id: e.id, msisdn: e.msisdn, type: e.type as UsageType, quantity: e.quantity, startedAt: t });
  });
  return { ok, rejected, duplicates };
}

/**
 * Rate a batch of usage records exactly once each. One transaction: lock the
 * rating partitions of the batch's numbers (in order), take each line's state
 * from this process's cache or read it (see rating-cache.ts), rate in
 * memory, then write records, allowances, ledger postings, suspensions and
 * alerts with set-based statements. Retries, re-splits and concurrent batches
 * of the same ids are safe: the record id is the primary key, so a batch
 * holding an id stored before (or by a concurrent batch) rolls back and is
 * rated again, this time dropping the ids already charged.
 */
export async function ingestUsage(db: Db, d: LifecycleDeps, raw: unknown[], cache = new RatingCache()): Promise<UsageBatchResult> {
  const now = d.clock.now();
  const { ok, rejected, duplicates: inBatchDup } = parseEvents(raw, now);
  if (!ok.length) return { accepted: 0, duplicates: inBatchDup, rejected };

  const parts = [...new Set(ok.map((e) => partitionOf(e.msisdn)))].sort((a, b) => a - b);
  const release = await cache.acquire(parts);
  try {
    // Optimistic: no look-up of ids charged before unless the last batch had some; the insert
    // finds them anyway, and then the transaction is rolled back and the batch rated again with the look-up.
    let r: Awaited<ReturnType<typeof rateInTx>> | undefined;
    for (let attempt = 0; !r; attempt++) {
      const lookUp = !cache.optimistic || attempt > 0;
      try {
        r = await inTransaction(db, (trx) => rateInTx(trx, d, cache, ok, parts, now, lookUp), { retries: 0 });
      } catch (err) {
        // The attempt changed cached lines in place: forget them before rating again.
        cache.drop(parts);
        const code = (err as { code?: string }).code;
        if (attempt >= 4 || !(code === '23505' || code === '40P01' || code === '40001')) throw err;
      }
    }
    cache.optimistic = r.duplicates === 0;
    cache.install(r.epochs, r.states);
    rejected.push(...r.unknown);
    rejected.sort((a, b) => a.index - b.index);
    return { accepted: r.accepted, duplicates: r.duplicates + inBatchDup, rejected };
  } catch (err) {
    cache.drop(parts);
    throw err;
  } finally {
    release();
  }
}

/**
 * Array literals built here rather than by the driver (10,000 elements per column per batch):
 * numbers, uuids, NULL and ISO times need no quoting; text is quoted and escaped.
 */
const plainArray = (v: readonly (string | number)[]): string => `{${v.join(',')}}`;
const textArray = (v: readonly string[]): string => `{${v.map((x) => `"${x.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

async function rateInTx(trx: Trx, d: LifecycleDeps, cache: RatingCache, events: Parsed[], parts: number[], now: Date, lookUp: boolean) {
  const epochs = await cache.lockPartitions(trx, parts);

  // Each number's line state: the cached one, or read now.
  const states = new Map<string, LineState | null>();
  // Partitions this process never held are read whole (their lines are installed in the cache even when not in the batch).
  const cold = await cache.coldPartitions(trx, parts);
  if (cold.length) {
    const loaded = await loadLines(trx, { parts: cold });
    for (const [m, s] of loaded) states.set(m, s);
    const coldSet = new Set(cold);
    for (const e of events) if (coldSet.has(partitionOf(e.msisdn)) && !states.has(e.msisdn)) states.set(e.msisdn, null);
  }
  const missing: string[] = [];
  for (const e of events) {
    if (states.has(e.msisdn)) continue;
    const c = cache.get(e.msisdn);
    if (c === undefined) {
      missing.push(e.msisdn);
      states.set(e.msisdn, null);
    } else states.set(e.msisdn, c); // changed in place: a failed attempt drops the partitions
  }
  if (missing.length) for (const [m, s] of await loadLines(trx, { msisdns: missing })) states.set(m, s);
  const unknown: Rejection[] = [];
  const known = events.filter((e) => {
    if (states.get(e.msisdn)) return true;
    unknown.push({ index: e.index, code: 'unknown_msisdn', message: 'no open line has this number' });
    return false;
  });
  const result = { accepted: 0, duplicates: 0, unknown, epochs, states };
  if (!known.length) return result;

  // Ids charged before (by an earlier or concurrent batch holding these partitions).
  const charged = new Set<string>();
  if (lookUp) {
    const seen = await sql<{ id: string }>`SELECT id FROM usage_event WHERE id = ANY(${known.map((e) => e.id)}::text[])`.execute(trx);
    for (const r of seen.rows) charged.add(r.id);
  }
  const fresh = charged.size ? known.filter((e) => !charged.has(e.id)) : known;
  result.duplicates = known.length - fresh.length;
  if (!fresh.length) return result;

  const byLine = new Map<string, Parsed[]>();
  for (const e of fresh) {
    const list = byLine.get(e.msisdn);
    if (list) list.push(e);
    else byLine.set(e.msisdn, [e]);
  }

  // A record from a cycle the line has not reached yet rolls the line first; then its state is read again.
  const rolled: string[] = [];
  for (const [m, evs] of byLine) {
    const s = states.get(m)!;
    const latest = evs.reduce((t, e) => Math.max(t, e.startedAt), 0);
    if (s.line.cycle_end.getTime() <= latest) {
      await rollLine(trx, d, s.line, new Date(latest));
      rolled.push(s.line.id);
    }
  }
  if (rolled.length) for (const [m, s] of await loadLines(trx, { ids: rolled })) states.set(m, s);

  const rec = { id: [] as string[], line: [] as string[], type: [] as string[], qty: [] as number[], at: [] as string[], allow: [] as number[], chq: [] as number[], fee: [] as number[], unr: [] as number[] };
  const postings: { lineId: string; byType: Record<UsageType, number> }[] = [];
  const changed = { id: [] as string[], used: [] as number[] };
  const after: AfterRating[] = [];
  for (const [m, evs] of byLine) {
    const s = states.get(m)!;
    const l = s.line;
    const usedBefore = s.buckets.map((b) => b.used);
    const state: RatingLine = { tariff: s.tariff, balance: s.balance, creditLimit: l.credit_limit_fen, buckets: s.buckets };
    const byType: Record<UsageType, number> = { data: 0, voice: 0, sms: 0 };
    let reached = false;
    for (const e of evs.length > 1 ? [...evs].sort(eventOrder) : evs) {
      const r = rateEvent(state, e);
      rec.id.push(e.id); rec.line.push(l.id); rec.type.push(e.type); rec.qty.push(e.quantity); rec.at.push(new Date(e.startedAt).toISOString());
      rec.allow.push(r.fromAllowance); rec.chq.push(r.chargedQuantity); rec.fee.push(r.chargeFen); rec.unr.push(r.unratedQuantity);
      byType[e.type] += r.chargeFen;
      if (r.unratedQuantity > 0) reached = true;
    }
    s.balance = state.balance;
    s.buckets.forEach((b, i) => {
      if (b.used !== usedBefore[i]) {
        changed.id.push(b.id);
        changed.used.push(b.used);
      }
    });
    if (byType.data + byType.voice + byType.sms > 0) postings.push({ lineId: l.id, byType });
    // Thresholds count the buckets that were not used up before this batch.
    after.push({ state: s, reached, buckets: s.buckets.filter((b, i) => usedBefore[i]! < b.total), types: new Set(evs.map((e) => e.type)) });
  }

  // Money: one ledger transaction per charged line per batch, one posting per usage type.
  let txOf = new Map<string, string>();
  if (postings.length) {
    const account = new Map([...byLine.keys()].map((m) => [states.get(m)!.line.id, states.get(m)!.line.account_id]));
    const revenue = { data: await d.ledger.systemAccount(trx, OVERAGE.data), voice: await d.ledger.systemAccount(trx, OVERAGE.voice), sms: await d.ledger.systemAccount(trx, OVERAGE.sms) };
    const txIds = await d.ledger.postMany(trx, postings.map((p) => ({
      kind: 'usage_overage',
      lineId: p.lineId,
      memo: 'overage',
      postings: (['data', 'voice', 'sms'] as const).filter((t) => p.byType[t] > 0)
        .map((t) => ({ from: account.get(p.lineId)!, to: revenue[t], amount: p.byType[t] })),
    })));
    txOf = new Map(postings.map((p, i) => [p.lineId, txIds[i]!]));
  }
  const txCol = rec.id.map((_, i) => (rec.fee[i]! > 0 ? txOf.get(rec.line[i]!)! : 'NULL'));

  // The primary key is the exactly-once guarantee: an id stored before (or by a concurrent batch) fails the
  // insert (unique_violation), the transaction rolls back, and the batch is rated again with the look-up.
  await sql`INSERT INTO usage_event (id, line_id, type, quantity, started_at, from_allowance, charged_quantity, charge_fen, unrated_quantity, ledger_tx_id, rated_at)
    SELECT *, ${now}::timestamptz FROM unnest(${textArray(rec.id)}::text[], ${plainArray(rec.line)}::uuid[], ${plainArray(rec.type)}::text[], ${plainArray(rec.qty)}::bigint[],
      ${plainArray(rec.at)}::timestamptz[], ${plainArray(rec.allow)}::bigint[], ${plainArray(rec.chq)}::bigint[], ${plainArray(rec.fee)}::bigint[], ${plainArray(rec.unr)}::bigint[],
      ${plainArray(txCol)}::uuid[])`.execute(trx);

  if (changed.id.length) {
    await sql`UPDATE allowance_bucket b SET used = v.used FROM unnest(${plainArray(changed.id)}::uuid[], ${plainArray(changed.used)}::bigint[]) AS v(id, used)
      WHERE b.id = v.id`.execute(trx);
  }

  await raiseAlerts(trx, d, after, now);
  result.accepted = fresh.length;
  return result;
}

interface AfterRating {
  /** the line's state, updated by this batch */
  state: LineState;
  /** some usage could not be rated: the credit limit was reached */
  reached: boolean;
  buckets: Bucket[];
  types: Set<UsageType>;
}

/** Suspensions past the credit limit, and 80% / 100% / low-balance alerts once per cycle. */
async function raiseAlerts(trx: Trx, d: LifecycleDeps, after: AfterRating[], now: Date) {
  const cand = { line: [] as string[], cycle: [] as Date[], alert: [] as string[] };
  const info = new Map<string, { state: LineState; detail: Record<string, unknown> }>();
  const t = now.getTime();
  for (const a of after) {
    const l = a.state.line;
    if (await suspendIfOverLimit(trx, d, l, a.state.balance, a.reached)) {
      l.status = 'suspended';
      l.status_reason = 'credit_limit';
    }
    const add = (alert: string, detail: Record<string, unknown>) => {
      if (a.state.alerts.has(alert)) return; // raised before this cycle
      cand.line.push(l.id); cand.cycle.push(l.cycle_start); cand.alert.push(alert);
      info.set(`${l.id}:${alert}`, { state: a.state, detail });
    };
    for (const kind of a.types) {
      const current = a.buckets.filter((b) => b.kind === kind && b.startsAt <= t && t < b.expiresAt);
      const total = current.reduce((s, b) => s + b.total, 0);
      const used = current.reduce((s, b) => s + b.used, 0);
      if (total === 0) continue;
      // Integer comparison: used/total ≥ 80% without floating point.
      if (used * 5 >= total * 4) add(`${kind}_80`, { kind, used, total });
      if (used >= total) add(`${kind}_100`, { kind, used, total });
    }
    if (a.state.balance < LOW_BALANCE_FEN) add('low_balance', { balanceFen: a.state.balance });
  }
  if (!cand.line.length) return;
  const fresh = await sql<{ line_id: string; alert: string }>`INSERT INTO usage_alert (line_id, cycle_start, alert, created_at)
    SELECT *, ${now}::timestamptz FROM unnest(${cand.line}::uuid[], ${cand.cycle}::timestamptz[], ${cand.alert}::text[])
    ON CONFLICT DO NOTHING RETURNING line_id, alert`.execute(trx);
  // Raised now or before (the conflict): either way not again this cycle.
  for (const [key, { state }] of info) state.alerts.add(key.slice(key.indexOf(':') + 1));
  for (const r of fresh.rows) {
    const { state, detail } = info.get(`${r.line_id}:${r.alert}`)!;
    const line = state.line;
    await enqueue(trx, d.clock, 'usage.alert', r.line_id, { lineId: r.line_id, customerId: line.customer_id, msisdn: line.msisdn, alert: r.alert, ...detail });
  }
}
