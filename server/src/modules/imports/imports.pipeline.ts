import { createCleaner, type Cleaner, type CleanerOptions } from './clean.js';
import { ReportBuilder, type ImportReport } from './report.js';
import type { CleanBatch, TableReader } from './imports.types.js';

/** What {@link runImport} needs: an opened reader plus the cleaner's options. */
export interface RunImportOptions extends Omit<CleanerOptions, 'header'> {
  readonly reader: TableReader;
  /**
   * Called once per cleaned batch, in file order, before the next batch is
   * read: the DB stage writes here, and awaiting gives backpressure.
   */
  readonly onBatch?: (batch: CleanBatch, cleaner: Cleaner) => Promise<void> | void;
  /** The file's SHA-256 once read (see `hashingSource`), for the report. */
  readonly fileSha256?: () => string | null;
  /** Rejected/flagged rows kept in the report's samples (default 100). */
  readonly sampleSize?: number;
}

/**
 * Streams a whole file through cleaning: one batch in memory at a time.
 * Returns the report; `totals.inserted/updated/merged` stay null for the DB
 * stage to fill. Throws the errors of `createCleaner`, the reader's, and
 * whatever `onBatch` or the existing-customer lookup throws.
 */
export async function runImport(opts: RunImportOptions): Promise<ImportReport> {
  const { reader } = opts;
  const cleaner = createCleaner({ ...opts, header: reader.header });
  const report = new ReportBuilder({ format: reader.format, encoding: reader.encoding, channel: opts.mapping.channel, mapping: opts.mapping }, opts.sampleSize);
  for await (const rows of reader.batches) {
    const batch = await cleaner.cleanBatch(rows);
    report.add(batch);
    if (opts.onBatch !== undefined) await opts.onBatch(batch, cleaner);
  }
  return report.finish(cleaner.steps, opts.fileSha256?.() ?? null);
}
