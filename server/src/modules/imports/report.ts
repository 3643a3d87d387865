import { createHash, type Hash } from 'node:crypto';
import { CLEAN_STEPS, type CleanBatch, type FlaggedRow, type ImportMapping, type RejectCode, type RejectedRow, type StepCounts } from './imports.types.js';

/** The import report: what cleaning saw, plus fields the DB stage fills in. */
export interface ImportReport {
  readonly fileSha256: string | null;
  readonly mappingSha256: string;
  readonly format: 'csv' | 'xlsx';
  readonly encoding: 'utf-8' | 'gbk' | 'xlsx';
  readonly channel: string;
  readonly totals: {
    /** Data rows read (blank lines excluded). */
    rows: number;
    /** Rows that came out as clean records (incl. those matching existing customers). */
    clean: number;
    /** Rows rejected for any reason, in-file duplicates included. */
    rejected: number;
    duplicatesInFile: number;
    duplicatesExisting: number;
    flaggedForReview: number;
    /** Filled by the DB stage; null until then. */
    inserted: number | null;
    updated: number | null;
    merged: number | null;
  };
  /** Rejected rows per first issue code. */
  readonly rejectedByCode: Partial<Record<RejectCode, number>>;
  readonly steps: StepCounts;
  /** The first rejected rows (up to `sampleSize`); stream all of them with {@link rejectedRowsCsv}. */
  readonly rejectedSample: RejectedRow[];
  readonly flaggedSample: FlaggedRow[];
}

/** Accumulates batches into an {@link ImportReport} with bounded memory. */
export class ReportBuilder {
  private readonly report: ImportReport;

  constructor(
    meta: Pick<ImportReport, 'format' | 'encoding' | 'channel'> & { mapping: ImportMapping },
    private readonly sampleSize = 100,
  ) {
    this.report = {
      fileSha256: null,
      mappingSha256: mappingSha256(meta.mapping),
      format: meta.format,
      encoding: meta.encoding,
      channel: meta.channel,
      totals: { rows: 0, clean: 0, rejected: 0, duplicatesInFile: 0, duplicatesExisting: 0, flaggedForReview: 0, inserted: null, updated: null, merged: null },
      rejectedByCode: {},
      steps: Object.fromEntries(CLEAN_STEPS.map((s) => [s, 0])) as StepCounts,
      rejectedSample: [],
      flaggedSample: [],
    };
  }

  add(b: CleanBatch): void {
    const r = this.report;
    r.totals.rows += b.records.length + b.rejected.length;
    r.totals.clean += b.records.length;
    r.totals.rejected += b.rejected.length;
    r.totals.duplicatesInFile += b.duplicates.length;
    r.totals.flaggedForReview += b.flagged.length;
    for (const rec of b.records) if (rec.existing !== null) r.totals.duplicatesExisting++;
    for (const x of b.rejected) {
      const code = x.issues[0]!.code;
      r.rejectedByCode[code] = (r.rejectedByCode[code] ?? 0) + 1;
      if (r.rejectedSample.length < this.sampleSize) r.rejectedSample.push(x);
    }
    for (const f of b.flagged) if (r.flaggedSample.length < this.sampleSize) r.flaggedSample.push(f);
  }

  /** The report, with the cleaner's step counters and the file hash once known. */
  finish(steps: StepCounts, fileSha256: string | null): ImportReport {
    return { ...this.report, steps: { ...steps }, fileSha256 };
  }
}

const CSV_NEEDS_QUOTES = /[",\r\n]/;
/** Cells starting like a formula are prefixed with `'` so a spreadsheet does not run them. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One CSV field, quoted when needed and defused against formula injection. */
export function csvField(v: string): string {
  const s = FORMULA_START.test(v) ? `'${v}` : v;
  return CSV_NEEDS_QUOTES.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * The rejected-rows report as CSV text, one line per issue: row, column,
 * code, message, then the row's original cells in header order. Call it per
 * batch (header only on the first) and append to a file or response stream,
 * so a million-row file's report is never held whole. A UTF-8 BOM on the
 * first chunk makes Excel read the Chinese text correctly.
 */
export function rejectedRowsCsv(rows: readonly RejectedRow[], header: readonly string[], withHeader: boolean): string {
  const lines: string[] = [];
  if (withHeader) lines.push('\ufeff' + ['row', 'column', 'code', 'message', ...header].map(csvField).join(','));
  for (const r of rows) {
    const orig = header.map((h) => csvField(r.original[h] ?? '')).join(',');
    for (const i of r.issues) lines.push(`${r.row},${csvField(i.column)},${i.code},${csvField(i.message)}${header.length > 0 ? ',' + orig : ''}`);
  }
  return lines.length === 0 ? '' : lines.join('\r\n') + '\r\n';
}

/**
 * Wraps a byte stream, hashing it (SHA-256) as it passes; `digest()` is the
 * file's hash once the stream has been read to the end.
 *
 * Idempotency design (the DB stage implements the storage side):
 * - an import is keyed by (channel, file SHA-256, mapping SHA-256); a unique
 *   index on `customer_import` makes a second upload of the same file with
 *   the same mapping return the first import's report instead of running;
 * - each clean record has a natural key (phone, else ID number, else
 *   channel + external id) and rows are upserted on it, filling blanks and
 *   overwriting only with `recordFingerprint` changed, so even a re-run under
 *   a different mapping or after a crash mid-file converges to one customer
 *   per key and changes nothing the second time.
 */
export function hashingSource(source: AsyncIterable<Uint8Array>): { source: AsyncIterable<Uint8Array>; digest(): string } {
  const hash: Hash = createHash('sha256');
  let done: string | null = null;
  async function* pass(): AsyncGenerator<Uint8Array> {
    for await (const chunk of source) {
      hash.update(chunk);
      yield chunk;
    }
    done = hash.digest('hex');
  }
  return {
    source: pass(),
    digest: () => {
      if (done === null) throw new Error('hashingSource: the stream has not been read to the end');
      return done;
    },
  };
}

/** Canonical JSON (sorted keys) so equal values hash equally. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v) ?? 'null';
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .filter((k) => o[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** SHA-256 of the mapping's canonical JSON. */
export function mappingSha256(m: ImportMapping): string {
  return createHash('sha256').update(canonicalJson(m)).digest('hex');
}

/** The key a record is upserted on: phone, else ID number, else channel + external id. */
export function naturalKey(r: { phone: string | null; idNumber: string | null; externalId: string | null; channel: string }): string {
  if (r.phone !== null) return `phone:${r.phone}`;
  if (r.idNumber !== null) return `id:${r.idNumber}`;
  return `ext:${r.channel}:${r.externalId ?? ''}`;
}

/** SHA-1 (fast, not security-relevant) of a record's data fields, to skip unchanged upserts. */
export function recordFingerprint(r: object): string {
  const { row: _row, existing: _existing, ...data } = r as Record<string, unknown>;
  return createHash('sha1').update(canonicalJson(data)).digest('base64url');
}
