import type { UsageBatchResult } from '@telehall/contracts';
import { sql } from 'kysely';
import { inTransaction, type Db, type Trx } from '../platform/db.js';
import { enqueue } from '../platform/outbox.js';
import { tariffOf, type PlanRow } from '../modules/catalog/catalog.mapper.js';
import { rateLine, type Bucket, type RatingLine, type UsageEvent } from '../modules/charging/rate.js';
import type { UsageType } from '../modules/charging/tariff.js';
import type { AllowanceBucketTable } from '../modules/charging/charging.tables.js';
import type { Selectable } from 'kysely';
import { rollLine, suspendIfOverLimit, type LifecycleDeps, type LineRow } from './line-lifecycle.js';

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

type LockedLine = LineRow & PlanRow & { line_id: string; account_id: string; balance: number };

/**
 * Rate a batch of usage records exactly once each. One transaction: lock the
 * batch's lines in id order, drop ids already charged, rate in memory, then
 * write records, allowances, ledger postings, suspensions and alerts with
 * set-based statements. Retries, re-splits and concurrent batches of the same
 * ids are safe: whoever holds the line lock first charges, the rest see
 * duplicates.
 */
export async function ingestUsage(db: Db, d: LifecycleDeps, raw: unknown[]): Promise<UsageBatchResult> {
  const now = d.clock.now();
  const { ok, rejected, duplicates: inBatchDup } = parseEvents(raw, now);
  if (!ok.length) return { accepted: 0, duplicates: inBatchDup, rejected };

  const msisdns = [...new Set(ok.map((e) => e.msisdn))];
  const known = await sql<{ id: string; msisdn: string }>`SELECT id, msisdn FROM line WHERE msisdn = ANY(${msisdns}::text[]) AND status <> 'closed'`.execute(db);
  const lineOf = new Map(known.rows.map((r) => [r.msisdn, r.id]));
  const events = ok.filter((e) => {
    if (lineOf.has(e.msisdn)) return true;
    rejected.push({ index: e.index, code: 'unknown_msisdn', message: 'no open line has this number' });
    return false;
  });
  rejected.sort((a, b) => a.index - b.index);
  if (!events.length) return { accepted: 0, duplicates: inBatchDup, rejected };

  const { accepted, duplicates } = await inTransaction(db, (trx) => rateInTx(trx, d, events, lineOf, now));
  return { accepted, duplicates: duplicates + inBatchDup, rejected };
}

async function rateInTx(trx: Trx, d: LifecycleDeps, events: Parsed[], lineOf: Map<string, string>, now: Date) {
  const lineIds = [...new Set(events.map((e) => lineOf.get(e.msisdn)!))].sort();
  // One statement locks the lines (in id order: no deadlocks) and reads plan and balance.
  const locked = await sql<LockedLine>`SELECT l.*, l.id AS line_id, p.*, a.id AS account_id, a.balance
    FROM line l JOIN plan p ON p.id = l.plan_id JOIN ledger_account a ON a.line_id = l.id AND a.kind = 'line_balance'
    WHERE l.id = ANY(${lineIds}::uuid[]) ORDER BY l.id FOR UPDATE OF l`.execute(trx);
  const lines = new Map(locked.rows.map((r) => [r.line_id, { ...r, id: r.line_id }]));

  // Ids charged before (by an earlier or concurrent batch holding these locks).
  const ids = events.map((e) => e.id);
  const seen = await sql<{ id: string }>`SELECT id FROM usage_event WHERE id = ANY(${ids}::text[])`.execute(trx);
  const charged = new Set(seen.rows.map((r) => r.id));
  const fresh = events.filter((e) => !charged.has(e.id));
  if (!fresh.length) return { accepted: 0, duplicates: events.length };

  // A record from a cycle the line has not reached yet rolls the line first.
  const latest = new Map<string, number>();
  for (const e of fresh) {
    const id = lineOf.get(e.msisdn)!;
    latest.set(id, Math.max(latest.get(id) ?? 0, e.startedAt));
  }
  for (const [id, t] of latest) {
    const l = lines.get(id)!;
    if (l.cycle_end.getTime() <= t) {
      const rolled = await rollLine(trx, d, l, new Date(t));
      const plan = await trx.selectFrom('plan').selectAll().where('id', '=', rolled.plan_id).executeTakeFirstOrThrow();
      const { balance } = await d.ledger.lineAccount(trx, id);
      lines.set(id, { ...l, ...plan, ...rolled, line_id: id, balance });
    }
  }

  const earliest = Math.min(...fresh.map((e) => e.startedAt));
  const bucketRows = (await sql<Selectable<AllowanceBucketTable>>`SELECT * FROM allowance_bucket
    WHERE line_id = ANY(${lineIds}::uuid[]) AND expires_at > ${new Date(earliest)} AND used < total`.execute(trx)).rows;

  const byLine = new Map<string, Parsed[]>();
  for (const e of fresh) {
    const id = lineOf.get(e.msisdn)!;
    const list = byLine.get(id);
    if (list) list.push(e);
    else byLine.set(id, [e]);
  }
  const bucketsOf = new Map<string, Bucket[]>();
  for (const b of bucketRows) {
    const list = bucketsOf.get(b.line_id) ?? [];
    list.push({ id: b.id, kind: b.kind, source: b.source, total: b.total, used: b.used, startsAt: b.starts_at.getTime(), expiresAt: b.expires_at.getTime() });
    bucketsOf.set(b.line_id, list);
  }

  const rec = { id: [] as string[], line: [] as string[], type: [] as string[], qty: [] as number[], at: [] as Date[], allow: [] as number[], chq: [] as number[], fee: [] as number[], unr: [] as number[] };
  const postings: { lineId: string; byType: Record<UsageType, number> }[] = [];
  const after = new Map<string, AfterRating>();
  for (const [lineId, evs] of byLine) {
    const l = lines.get(lineId)!;
    const state: RatingLine = { tariff: tariffOf(l), balance: l.balance, creditLimit: l.credit_limit_fen, buckets: bucketsOf.get(lineId) ?? [] };
    const byType: Record<UsageType, number> = { data: 0, voice: 0, sms: 0 };
    let reached = false;
    const evOf = new Map(evs.map((e) => [e.id, e]));
    for (const r of rateLine(state, evs)) {
      const e = evOf.get(r.id)!;
      rec.id.push(e.id); rec.line.push(lineId); rec.type.push(e.type); rec.qty.push(e.quantity); rec.at.push(new Date(e.startedAt));
      rec.allow.push(r.fromAllowance); rec.chq.push(r.chargedQuantity); rec.fee.push(r.chargeFen); rec.unr.push(r.unratedQuantity);
      byType[e.type] += r.chargeFen;
      if (r.unratedQuantity > 0) reached = true;
    }
    if (byType.data + byType.voice + byType.sms > 0) postings.push({ lineId, byType });
    after.set(lineId, { balance: state.balance, reached, line: l, buckets: state.buckets, types: new Set(evs.map((e) => e.type)) });
  }

  // Money: one ledger transaction per line per batch, one posting per usage type.
  const revenue = { data: await d.ledger.systemAccount(trx, OVERAGE.data), voice: await d.ledger.systemAccount(trx, OVERAGE.voice), sms: await d.ledger.systemAccount(trx, OVERAGE.sms) };
  const txIds = await d.ledger.postMany(trx, postings.map((p) => ({
    kind: 'usage_overage',
    lineId: p.lineId,
    memo: 'overage',
    postings: (['data', 'voice', 'sms'] as const).filter((t) => p.byType[t] > 0)
      .map((t) => ({ from: lines.get(p.lineId)!.account_id, to: revenue[t], amount: p.byType[t] })),
  })));
  const txOf = new Map(postings.map((p, i) => [p.lineId, txIds[i]!]));
  const txCol = rec.id.map((_, i) => (rec.fee[i]! > 0 ? txOf.get(rec.line[i]!)! : null));

  await sql`INSERT INTO usage_event (id, line_id, type, quantity, started_at, from_allowance, charged_quantity, charge_fen, unrated_quantity, ledger_tx_id, rated_at)
    SELECT *, ${now}::timestamptz FROM unnest(${rec.id}::text[], ${rec.line}::uuid[], ${rec.type}::text[], ${rec.qty}::bigint[], ${rec.at}::timestamptz[],
      ${rec.allow}::bigint[], ${rec.chq}::bigint[], ${rec.fee}::bigint[], ${rec.unr}::bigint[], ${txCol}::uuid[])`.execute(trx);

  const usedNow = new Map([...bucketsOf.values()].flat().map((b) => [b.id, b.used]));
  const changed = bucketRows.map((b) => ({ id: b.id, before: b.used, now: usedNow.get(b.id)! })).filter((b) => b.now !== b.before);
  if (changed.length) {
    await sql`UPDATE allowance_bucket b SET used = v.used FROM unnest(${changed.map((c) => c.id)}::uuid[], ${changed.map((c) => c.now)}::bigint[]) AS v(id, used)
      WHERE b.id = v.id`.execute(trx);
  }

  await raiseAlerts(trx, d, after, now);
  return { accepted: fresh.length, duplicates: events.length - fresh.length };
}

/** Suspensions past the credit limit, and 80% / 100% / low-balance alerts once per cycle. */
interface AfterRating {
  balance: number;
  /** some usage could not be rated: the credit limit was reached */
  reached: boolean;
  line: LockedLine;
  buckets: Bucket[];
  types: Set<UsageType>;
}

async function raiseAlerts(trx: Trx, d: LifecycleDeps, after: Map<string, AfterRating>, now: Date) {
  const cand = { line: [] as string[], cycle: [] as Date[], alert: [] as string[] };
  const info = new Map<string, { line: LockedLine; detail: Record<string, unknown> }>();
  const t = now.getTime();
  for (const [lineId, a] of after) {
    await suspendIfOverLimit(trx, d, a.line, a.balance, a.reached);
    const add = (alert: string, detail: Record<string, unknown>) => {
      cand.line.push(lineId); cand.cycle.push(a.line.cycle_start); cand.alert.push(alert);
      info.set(`${lineId}:${alert}`, { line: a.line, detail });
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
    if (a.balance < LOW_BALANCE_FEN) add('low_balance', { balanceFen: a.balance });
  }
  if (!cand.line.length) return;
  const fresh = await sql<{ line_id: string; alert: string }>`INSERT INTO usage_alert (line_id, cycle_start, alert, created_at)
    SELECT *, ${now}::timestamptz FROM unnest(${cand.line}::uuid[], ${cand.cycle}::timestamptz[], ${cand.alert}::text[])
    ON CONFLICT DO NOTHING RETURNING line_id, alert`.execute(trx);
  for (const r of fresh.rows) {
    const { line, detail } = info.get(`${r.line_id}:${r.alert}`)!;
    await enqueue(trx, d.clock, 'usage.alert', r.line_id, { lineId: r.line_id, customerId: line.customer_id, msisdn: line.msisdn, alert: r.alert, ...detail });
  }
}
