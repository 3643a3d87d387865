import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Executor } from '../platform/db.js';
import { tariffOf } from '../modules/catalog/catalog.mapper.js';
import type { Bucket } from '../modules/charging/rate.js';
import type { Tariff } from '../modules/charging/tariff.js';
import type { AllowanceBucketTable } from '../modules/charging/charging.tables.js';
import type { LineCore } from './line-lifecycle.js';

/**
 * Rating state in memory (issue 3, docs/charging-performance.md).
 *
 * Lines fall into RATING_PARTITIONS partitions by the last four digits of
 * their number, so a feed split by number maps onto partitions. Each
 * partition has a row in `rating_partition` with an epoch. Every writer to a
 * line bumps its partition's epoch in its transaction: the rating batch
 * (which locks the rows of the partitions it touches, in order) and every
 * command through `lockLine` or `openLine`. A rating process keeps the lines
 * it rated in memory with the epoch it wrote; when the epoch it finds under
 * the lock is not the one it wrote, someone else changed the partition and
 * the cached lines of that partition are dropped and read again. The database
 * stays the truth: the cache only saves reading it.
 */
export const RATING_PARTITIONS = 64;
export const partitionOf = (msisdn: string): number => Number(msisdn.slice(-4)) % RATING_PARTITIONS;

/** Bump the epoch of the partition a number belongs to (a line opened on it). */
export async function bumpRatingPartition(trx: Executor, msisdn: string): Promise<void> {
  await sql`UPDATE rating_partition SET epoch = epoch + 1 WHERE p = ${partitionOf(msisdn)}`.execute(trx);
}

/** Lock and bump the partition of a line: the first step of any command on it. */
export async function bumpRatingPartitionOfLine(trx: Executor, lineId: string | RawBuilder<string>): Promise<void> {
  await sql`UPDATE rating_partition SET epoch = epoch + 1 WHERE p = (SELECT right(msisdn, 4)::int % ${RATING_PARTITIONS}::int FROM line WHERE id = ${lineId})`.execute(trx);
}

export type RatedLineRow = LineCore & { account_id: string };

/** What rating needs of a line, as of the last committed batch. */
export interface LineState {
  line: RatedLineRow;
  tariff: Tariff;
  balance: number;
  /** the line's buckets not used up when read, with `used` kept current */
  buckets: Bucket[];
  /** alerts already raised this cycle */
  alerts: Set<string>;
}

const PARTITION_OF_LINE = sql`right(l.msisdn, 4)::int % ${RATING_PARTITIONS}::int`;

/** Read lines' rating state by number, by id, or every open line of some partitions. */
export async function loadLines(trx: Executor, by: { msisdns: string[] } | { ids: string[] } | { parts: number[] }): Promise<Map<string, LineState>> {
  const where = 'msisdns' in by ? sql`l.msisdn = ANY(${by.msisdns}::text[])` : 'ids' in by ? sql`l.id = ANY(${by.ids}::uuid[])` : sql`${PARTITION_OF_LINE} = ANY(${by.parts}::int[])`;
  const rows = (await sql<RatedLineRow & Parameters<typeof tariffOf>[0] & { balance: number }>`SELECT l.id, l.customer_id, l.msisdn, l.plan_id, l.status, l.status_reason,
      l.credit_limit_fen, l.cycle_start, l.cycle_end, p.data_fen_per_gb, p.voice_fen_per_min, p.sms_fen_each, a.id AS account_id, a.balance
    FROM line l JOIN plan p ON p.id = l.plan_id JOIN ledger_account a ON a.line_id = l.id AND a.kind = 'line_balance'
    WHERE ${where} AND l.status <> 'closed'`.execute(trx)).rows;
  const out = new Map<string, LineState>();
  if (!rows.length) return out;
  const ids = rows.map((r) => r.id);
  // Whole partitions: one scan joined on the line, not an index probe per line.
  const whose = 'parts' in by ? sql`l.status <> 'closed' AND ${where}` : sql`l.id = ANY(${ids}::uuid[])`;
  const buckets = (await sql<Pick<Selectable<AllowanceBucketTable>, 'id' | 'line_id' | 'kind' | 'source' | 'total' | 'used'> & { starts: number; expires: number }>`SELECT
      b.id, b.line_id, b.kind, b.source, b.total, b.used, floor(extract(epoch FROM b.starts_at) * 1000)::bigint AS starts, floor(extract(epoch FROM b.expires_at) * 1000)::bigint AS expires FROM allowance_bucket b JOIN line l ON l.id = b.line_id WHERE ${whose} AND b.used < b.total`.execute(trx)).rows;
  const alerts = (await sql<{ line_id: string; alert: string }>`SELECT u.line_id, u.alert FROM usage_alert u JOIN line l ON l.id = u.line_id AND u.cycle_start = l.cycle_start
    WHERE ${whose}`.execute(trx)).rows;
  const byId = new Map<string, LineState>();
  for (const r of rows) {
    const line: RatedLineRow = { id: r.id, customer_id: r.customer_id, msisdn: r.msisdn, plan_id: r.plan_id, status: r.status, status_reason: r.status_reason,
      credit_limit_fen: r.credit_limit_fen, cycle_start: r.cycle_start, cycle_end: r.cycle_end, account_id: r.account_id };
    const s: LineState = { line, tariff: tariffOf(r), balance: r.balance, buckets: [], alerts: new Set() };
    byId.set(r.id, s);
    out.set(r.msisdn, s);
  }
  for (const b of buckets) {
    byId.get(b.line_id)?.buckets.push({ id: b.id, kind: b.kind, source: b.source, total: b.total, used: b.used, startsAt: b.starts, expiresAt: b.expires });
  }
  for (const a of alerts) byId.get(a.line_id)?.alerts.add(a.alert);
  return out;
}

/** One rating process's cache; batches on the same partitions take turns. */
export class RatingCache {
  private readonly epochs = new Map<number, number>();
  private readonly parts = new Map<number, Map<string, LineState | null>>();
  private readonly tails = new Map<number, Promise<void>>();
  /** partitions this cache has held: after an invalidation their lines are read again one by one, when touched */
  private readonly held = new Set<number>();
  /** whether all lines fit the cache, so that a partition touched the first time is read whole */
  private bulk: boolean | undefined;
  private size = 0;
  /** rate without looking up ids charged before (the last batch had none) */
  optimistic = true;

  constructor(private readonly maxLines = 1_000_000) {}

  /** Wait for earlier batches of this process on any of `parts`; returns the release. */
  async acquire(parts: number[]): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const before = parts.map((p) => {
      const prev = this.tails.get(p) ?? Promise.resolve();
      this.tails.set(p, mine);
      return prev;
    });
    await Promise.all(before);
    return () => {
      for (const p of parts) if (this.tails.get(p) === mine) this.tails.delete(p);
      release();
    };
  }

  /**
   * Lock the partitions' rows (in order) and bump their epochs. A partition
   * someone else wrote since this cache last did is forgotten. Returns the
   * epochs to remember if the transaction commits.
   */
  async lockPartitions(trx: Executor, parts: number[]): Promise<Map<number, number>> {
    const rows = (await sql<{ p: number; epoch: number }>`UPDATE rating_partition r SET epoch = r.epoch + 1
      FROM (SELECT p FROM rating_partition WHERE p = ANY(${parts}::int[]) ORDER BY p FOR UPDATE) s WHERE r.p = s.p RETURNING r.p, r.epoch`.execute(trx)).rows;
    if (rows.length !== parts.length) throw new Error('rating_partition rows are missing (migration 0010)');
    const epochs = new Map<number, number>();
    for (const { p, epoch } of rows) {
      if (this.epochs.get(p) !== epoch - 1) this.drop([p]);
      epochs.set(p, epoch);
    }
    return epochs;
  }

  /** Partitions to read whole now: never held, and all lines fit in the cache. */
  async coldPartitions(trx: Executor, parts: number[]): Promise<number[]> {
    const cold = parts.filter((p) => !this.held.has(p));
    if (!cold.length) return cold;
    if (this.bulk === undefined) {
      const r = await sql<{ n: number }>`SELECT CASE WHEN c.reltuples >= 0 THEN c.reltuples::bigint ELSE (SELECT count(*) FROM line) END AS n
        FROM pg_class c WHERE c.oid = 'line'::regclass`.execute(trx);
      this.bulk = Number(r.rows[0]?.n ?? 0) <= this.maxLines / 2;
    }
    return this.bulk ? cold : [];
  }

  /** A line as last committed by this process: undefined when not cached, null when no open line has the number. */
  get(msisdn: string): LineState | null | undefined {
    return this.parts.get(partitionOf(msisdn))?.get(msisdn);
  }

  /** After commit: remember the epochs written and the lines' new state. */
  install(epochs: Map<number, number>, states: Map<string, LineState | null>): void {
    if (this.size + states.size > this.maxLines) this.drop([...this.parts.keys()]);
    for (const [p, e] of epochs) {
      this.epochs.set(p, e);
      this.held.add(p);
    }
    for (const [msisdn, s] of states) {
      const p = partitionOf(msisdn);
      if (!epochs.has(p)) continue;
      let m = this.parts.get(p);
      if (!m) this.parts.set(p, (m = new Map<string, LineState | null>()));
      if (!m.has(msisdn)) this.size++;
      m.set(msisdn, s);
    }
  }

  drop(parts: number[]): void {
    for (const p of parts) {
      this.size -= this.parts.get(p)?.size ?? 0;
      this.parts.delete(p);
      this.epochs.delete(p);
    }
  }
}
