import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { ImportJob, ImportMapping as MappingBody, ImportPreview } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import type { Actor, Audit } from '../audit/audit.service.js';
import { createCleaner } from './clean.js';
import { openCsv } from './csv-stream.js';
import { resolveMapping, suggestMapping } from './mapping.js';
import { collectMedians } from './median.js';
import { runImport } from './imports.pipeline.js';
import { insertRejections, writeRecords } from './imports.repository.js';
import type { ImportJobTable } from './imports.tables.js';
import type { CleanRecord, DuplicateRow, ImportMapping, RejectedRow, TableReader } from './imports.types.js';
import { mappingSha256, rejectedRowsCsv, type ImportReport } from './report.js';

/** Records buffered before one set-based write: large enough to amortise round trips. */
const WRITE_BATCH = 5000;
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

type JobRow = Selectable<ImportJobTable>;

/** Counts bytes as they are read, for the job's progress. */
function counting(file: string, onBytes: (n: number) => void): AsyncIterable<Uint8Array> {
  return (async function* () {
    for await (const chunk of createReadStream(file, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Buffer>) {
      onBytes(chunk.length);
      yield chunk;
    }
  })();
}

async function open(file: string, format: 'csv' | 'xlsx', onBytes: (n: number) => void = () => undefined): Promise<TableReader> {
  // exceljs loads lazily: it is heavy, and server start-up should not pay for it.
  if (format === 'xlsx') return (await import('./xlsx-stream.js')).openXlsx(file);
  return openCsv(counting(file, onBytes), { encoding: 'auto' });
}

/** The first rows of a file, closing it afterwards. */
async function head(file: string, format: 'csv' | 'xlsx', n: number) {
  const reader = await open(file, format);
  const rows: { row: number; cells: string[] }[] = [];
  for await (const batch of reader.batches) {
    for (const r of batch) if (rows.length < n) rows.push({ row: r.row, cells: [...r.cells] });
    if (rows.length >= n) break;
  }
  return { reader, rows };
}

function toJob(j: JobRow, replayed: boolean): ImportJob {
  const report = j.report as (ImportReport & { rejectedByCode: Record<string, number>; rejectedSample: { row: number; issues: { code: string; column: string; message: string }[] }[] }) | null;
  return {
    id: j.id,
    channel: j.channel,
    fileName: j.file_name,
    fileSha256: j.file_sha256,
    mappingSha256: j.mapping_sha256,
    status: j.status,
    progress: j.status === 'done' ? 1 : j.size_bytes > 0 ? Math.min(0.99, j.bytes_read / j.size_bytes) : 0,
    rowsProcessed: j.rows_processed,
    totals: { inserted: j.inserted, updated: j.updated, merged: j.merged, unchanged: j.unchanged, rejected: j.rejected },
    rejectedByCode: report?.rejectedByCode ?? {},
    rejectedSample: (report?.rejectedSample ?? []).slice(0, 50).map((r) => ({ row: r.row, code: r.issues[0]?.code ?? '', column: r.issues[0]?.column ?? '', message: r.issues[0]?.message ?? '' })),
    error: j.error,
    replayed,
    createdAt: j.created_at.toISOString(),
    finishedAt: j.finished_at?.toISOString() ?? null,
  };
}

/**
 * The database stage of customer imports: uploads streamed to DATA_DIR,
 * a preview with a suggested (or the channel's saved) mapping, and runs as
 * jobs with progress. Same channel + file SHA-256 + mapping SHA-256 is the
 * same job: starting it again returns the first job and its report.
 */
export function createImports({ db, clock, ids, audit, log, dataDir }: { db: Db; clock: Clock; ids: Ids; audit: Audit; log: Logger; dataDir: string }) {
  const dir = path.join(dataDir, 'imports');
  const running = new Map<string, Promise<void>>();

  async function job(id: string): Promise<JobRow> {
    const j = await db.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
    if (!j) throw notFound('import_job');
    return j;
  }

  async function savedMapping(channel: string): Promise<ImportMapping | null> {
    const r = await db.selectFrom('import_mapping').select('mapping').where('channel', '=', channel).executeTakeFirst();
    return r ? (r.mapping as ImportMapping) : null;
  }

  /** Runs a job to the end, writing set-based batches; one write in flight while the next batch is cleaned. */
  async function execute(j: JobRow, file: string, format: 'csv' | 'xlsx'): Promise<void> {
    const mapping = j.mapping as ImportMapping;
    await db.updateTable('import_job').set({ status: 'running', started_at: clock.now(), error: null, bytes_read: 0, rows_processed: 0, inserted: 0, updated: 0, merged: 0, unchanged: 0, rejected: 0 }).where('id', '=', j.id).execute();
    let bytes = 0;
    let rows = 0;
    const t = { inserted: 0, updated: 0, merged: 0, unchanged: 0, rejected: 0 };
    const dbRejected: Record<string, number> = {};
    const dbSample: RejectedRow[] = [];
    let recs: CleanRecord[] = [];
    let dups: DuplicateRow[] = [];
    let rej: RejectedRow[] = [];
    let inFlight: Promise<void> = Promise.resolve();
    const flush = async () => {
      await inFlight;
      const [r, d, x, seen, read] = [recs, dups, rej, rows, bytes];
      recs = [];
      dups = [];
      rej = [];
      inFlight = db.transaction().execute(async (trx) => {
        const w = await writeRecords(trx, r, d, clock.now());
        await insertRejections(trx, j.id, [...x, ...w.rejected]);
        t.inserted += w.inserted;
        t.updated += w.updated;
        t.merged += w.merged;
        t.unchanged += w.unchanged;
        t.rejected += x.length + w.rejected.length;
        for (const e of w.rejected) {
          dbRejected[e.issues[0]!.code] = (dbRejected[e.issues[0]!.code] ?? 0) + 1;
          if (dbSample.length < 100) dbSample.push(e);
        }
        await trx.updateTable('import_job').set({ rows_processed: seen, bytes_read: read, ...t }).where('id', '=', j.id).execute();
      });
      inFlight.catch(() => undefined);
    };
    const header = (await head(file, format, 0)).reader.header;
    const medians = Object.values(mapping.missing).some((m) => m?.rule === 'median') ? await collectMedians((await open(file, format)).batches, mapping, header) : undefined;
    const reader = await open(file, format, (n) => (bytes += n));
    const report = await runImport({
      reader,
      mapping,
      medians,
      expectedRows: Math.ceil(j.size_bytes / 100),
      onBatch: async (b) => {
        rows += b.records.length + b.rejected.length;
        for (const r of b.records) recs.push(r);
        for (const d of b.duplicates) dups.push(d);
        for (const x of b.rejected) rej.push(x);
        if (recs.length + rej.length >= WRITE_BATCH) await flush();
      },
    });
    await flush();
    await inFlight;
    const byCode: Record<string, number> = { ...report.rejectedByCode };
    for (const [k, v] of Object.entries(dbRejected)) byCode[k] = (byCode[k] ?? 0) + v;
    const full = { ...report, fileSha256: j.file_sha256, totals: { ...report.totals, ...t }, rejectedByCode: byCode, rejectedSample: [...report.rejectedSample, ...dbSample].sort((a, b) => a.row - b.row).slice(0, 100) };
    await db.updateTable('import_job').set({ status: 'done', rows_processed: rows, bytes_read: j.size_bytes, ...t, report: JSON.stringify(full), finished_at: clock.now() }).where('id', '=', j.id).execute();
  }

  function launch(j: JobRow, file: string, format: 'csv' | 'xlsx'): Promise<void> {
    const p = execute(j, file, format)
      .catch(async (err: unknown) => {
        log.error({ err, jobId: j.id }, 'import failed');
        const message = err instanceof AppError ? `${err.code}: ${err.message}` : 'The import failed; see the server log';
        await db.updateTable('import_job').set({ status: 'failed', error: message, finished_at: clock.now() }).where('id', '=', j.id).execute();
      })
      .finally(() => running.delete(j.id));
    running.set(j.id, p);
    return p;
  }

  return {
    /**
     * Streams an upload to DATA_DIR/imports while hashing it, then previews it.
     * @throws invalid_data `import_empty_file` | `import_encoding_invalid`; payload_too_large `import_too_large`
     */
    async upload(actor: Actor, body: AsyncIterable<Uint8Array>, q: { channel: string; fileName?: string }): Promise<ImportPreview> {
      await mkdir(dir, { recursive: true });
      const id = ids.uuid();
      const tmp = path.join(dir, `${id}.part`);
      const hash = createHash('sha256');
      let size = 0;
      let first: Uint8Array | undefined;
      try {
        await pipeline(
          body,
          async function* (src: AsyncIterable<Uint8Array>) {
            for await (const chunk of src) {
              size += chunk.length;
              if (size > MAX_UPLOAD_BYTES) throw new AppError('payload_too_large', 'import_too_large', 'The file is larger than 2 GiB');
              first ??= chunk;
              hash.update(chunk);
              yield chunk;
            }
          },
          createWriteStream(tmp),
        );
        if (size === 0) throw invalid('import_empty_file', 'The file is empty');
        const format = first !== undefined && first[0] === 0x50 && first[1] === 0x4b ? 'xlsx' : 'csv';
        const file = path.join(dir, `${id}.${format}`);
        await rename(tmp, file);
        const fileName = (q.fileName ?? `upload.${format}`).slice(0, 200);
        const { reader, rows } = await head(file, format, 10).catch(async (err: unknown) => {
          await rm(file, { force: true });
          throw err instanceof AppError ? err : invalid('import_unreadable', 'The file could not be read as CSV or XLSX');
        });
        const saved = await savedMapping(q.channel);
        let mapping: ImportMapping = suggestMapping(reader.header, q.channel);
        let source: 'saved' | 'suggested' = 'suggested';
        if (saved) {
          try {
            resolveMapping(saved, reader.header);
            mapping = saved;
            source = 'saved';
          } catch {
            // the saved mapping does not fit this file's columns: suggest afresh
          }
        }
        const sha256 = hash.digest('hex');
        await db.insertInto('import_upload').values({ id, file_name: fileName, file_path: file, format, size_bytes: size, sha256, created_by: actor.name, created_at: clock.now() }).execute();
        await audit.record(db, actor, { action: 'import.upload', resourceType: 'import_upload', resourceId: id, details: { channel: q.channel, fileName, size, sha256 } });
        return { uploadId: id, fileName, fileSha256: sha256, sizeBytes: size, format, encoding: reader.encoding, header: [...reader.header], rows, mapping: mapping, mappingSource: source };
      } finally {
        await rm(tmp, { force: true });
      }
    },

    /**
     * Starts (or returns) the import of an upload with a mapping.
     * @throws not_found `import_upload_not_found`; invalid_data `import_mapping_*`
     */
    async start(actor: Actor, input: { uploadId: string; channel: string; mapping: MappingBody; saveMapping?: boolean }): Promise<{ job: ImportJob; created: boolean }> {
      const up = await db.selectFrom('import_upload').selectAll().where('id', '=', input.uploadId).executeTakeFirst();
      if (!up) throw notFound('import_upload');
      await stat(up.file_path).catch(() => {
        throw new AppError('not_found', 'import_upload_not_found', 'The uploaded file is gone; upload it again');
      });
      const mapping = { ...input.mapping, channel: input.channel } as ImportMapping;
      const { reader } = await head(up.file_path, up.format, 0);
      createCleaner({ mapping, header: reader.header, medians: { monthlyChargeFen: 0 } });
      const msha = mappingSha256(mapping);
      if (input.saveMapping !== false) {
        await db.insertInto('import_mapping').values({ channel: input.channel, mapping: JSON.stringify(mapping), updated_by: actor.name, updated_at: clock.now() })
          .onConflict((oc) => oc.column('channel').doUpdateSet({ mapping: JSON.stringify(mapping), updated_by: actor.name, updated_at: clock.now() })).execute();
      }
      const existing = await db.selectFrom('import_job').selectAll().where('channel', '=', input.channel).where('file_sha256', '=', up.sha256).where('mapping_sha256', '=', msha).executeTakeFirst();
      if (existing && existing.status !== 'failed') return { job: toJob(existing, true), created: false };
      let j = existing;
      if (!j) {
        j = await db.insertInto('import_job').values({
          id: ids.uuid(), channel: input.channel, file_name: up.file_name, file_sha256: up.sha256, mapping_sha256: msha, mapping: JSON.stringify(mapping), upload_id: up.id,
          header: [...reader.header], status: 'queued', size_bytes: up.size_bytes, error: null, created_by: actor.name, created_at: clock.now(), started_at: null, finished_at: null,
        }).onConflict((oc) => oc.doNothing()).returningAll().executeTakeFirst();
        if (!j) return { job: toJob(await db.selectFrom('import_job').selectAll().where('channel', '=', input.channel).where('file_sha256', '=', up.sha256).where('mapping_sha256', '=', msha).executeTakeFirstOrThrow(), true), created: false };
      } else {
        await db.updateTable('import_job').set({ status: 'queued', upload_id: up.id }).where('id', '=', j.id).execute();
      }
      await audit.record(db, actor, { action: 'import.start', resourceType: 'import_job', resourceId: j.id, details: { channel: input.channel, fileSha256: up.sha256, mappingSha256: msha } });
      void launch(j, up.file_path, up.format);
      return { job: toJob({ ...j, status: 'queued' }, false), created: true };
    },

    /** Imports a local file directly (CLI, demo seed), awaiting the end. Idempotent like {@link start}. */
    async importFile(actor: Actor, file: string, channel: string, mapping: ImportMapping | null, onProgress?: (j: ImportJob) => void): Promise<ImportJob> {
      const preview = await this.upload(actor, createReadStream(file), { channel, fileName: path.basename(file) });
      const m = mapping ?? (preview.mapping);
      const { job: started } = await this.start(actor, { uploadId: preview.uploadId, channel, mapping: m, saveMapping: true });
      const timer = onProgress && setInterval(() => void this.get(started.id).then(onProgress, () => undefined), 250);
      try {
        await running.get(started.id);
      } finally {
        if (timer) clearInterval(timer);
      }
      return { ...(await this.get(started.id)), replayed: started.replayed };
    },

    /** @throws not_found `import_job_not_found` */
    async get(id: string): Promise<ImportJob> {
      return toJob(await job(id), false);
    },

    async list(limit = 50): Promise<ImportJob[]> {
      const rows = await db.selectFrom('import_job').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
      return rows.map((r) => toJob(r, false));
    },

    async mapping(channel: string): Promise<ImportMapping | null> {
      return savedMapping(channel);
    },

    /** Awaits a running job (tests, CLI). */
    async wait(id: string): Promise<void> {
      await running.get(id);
    },

    /** The rejected rows as CSV, streamed a page at a time. @throws not_found */
    async *rejectedCsv(actor: Actor, id: string): AsyncGenerator<string> {
      const j = await job(id);
      await audit.record(db, actor, { action: 'import.rejected.download', resourceType: 'import_job', resourceId: id });
      let after = 0;
      let first = true;
      for (;;) {
        const page = await db.selectFrom('import_rejection').select(['row_no', 'issues', 'original']).where('job_id', '=', id).where('row_no', '>', after).orderBy('row_no').limit(1000).execute();
        const text = rejectedRowsCsv(page.map((r) => ({ row: r.row_no, issues: r.issues as RejectedRow['issues'], original: r.original as Record<string, string> })), j.header, first);
        if (first && text === '') yield rejectedRowsCsv([], j.header, true);
        first = false;
        if (text) yield text;
        if (page.length < 1000) return;
        after = page.at(-1)!.row_no;
      }
    },
  };
}
export type Imports = ReturnType<typeof createImports>;
