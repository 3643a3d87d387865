import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Readable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import type { ImportJob, ImportMapping as MappingBody, ImportPreview } from '@telehall/contracts';
import { sql, type Selectable } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
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
import { copyCustomerSql, copyStageSql, createStageSql, recordBody, duplicateRoundsSql, mergeDuplicatesSql, mergeRejections, mergeStageSql, stageLine, stageTable, STAGE_KIND, uuidv7Batch } from './imports.repository.js';
import type { ImportJobTable } from './imports.tables.js';
import type { ImportMapping, RejectedRow, TableReader } from './imports.types.js';
import { mappingSha256, rejectedRowsCsv, type ImportReport } from './report.js';

/**
 * Rows (records + rejected) per staged chunk: one COPY, one set-based merge
 * and one checkpoint a transaction. Larger chunks amortise the statements;
 * smaller ones lose less work to a crash and move progress more often.
 */
const CHUNK_ROWS = 25_000;

/** Thrown inside a job when the server shuts down: the job stays 'running' and resumes at the next start. */
class ImportStopped extends Error {}

/** A direct COPY into customer failed (a record matches an existing customer): the job resumes from its checkpoint through staging. */
class DirectCopyFailed extends Error {
  constructor(readonly reason: unknown) {
    super('direct COPY into customer failed');
  }
}
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
export function createImports({ db, pool, clock, ids, audit, log, dataDir }: { db: Db; pool: pg.Pool; clock: Clock; ids: Ids; audit: Audit; log: Logger; dataDir: string }) {
  const dir = path.join(dataDir, 'imports');
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  async function job(id: string): Promise<JobRow> {
    const j = await db.selectFrom('import_job').selectAll().where('id', '=', id).executeTakeFirst();
    if (!j) throw notFound('import_job');
    return j;
  }

  async function savedMapping(channel: string): Promise<ImportMapping | null> {
    const r = await db.selectFrom('import_mapping').select('mapping').where('channel', '=', channel).executeTakeFirst();
    return r ? (r.mapping as ImportMapping) : null;
  }

  /**
   * Runs (or resumes) a job to the end on one dedicated connection holding
   * the job's advisory lock (released by PostgreSQL if this process dies).
   * Cleaned rows are COPYed into the job's UNLOGGED staging table and merged
   * set-based, {@link CHUNK_ROWS} rows a transaction that also advances the
   * checkpoint; one chunk is written while the next is cleaned. A resumed job
   * cleans the file from the top again (the in-file duplicate state) but
   * writes only rows after its checkpoint, keeping the committed totals.
   * Returns false when another process holds the job.
   */
  async function execute(id: string, file: string, format: 'csv' | 'xlsx', directFirst = true): Promise<boolean> {
    const client = await pool.connect();
    let copier: pg.PoolClient | undefined;
    const stages = [stageTable(id, 0), stageTable(id, 1)];
    let locked = false;
    let clean = false;
    try {
      locked = (await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS ok', [`import_job:${id}`])).rows[0]!.ok;
      if (!locked) return false;
      const j = await job(id);
      if (j.status === 'done') {
        clean = true;
        return true;
      }
      const from = j.checkpoint_row; // > 0: an earlier run (crashed, stopped or failed) committed up to this row
      const t = from > 0 ? { inserted: Number(j.inserted), updated: Number(j.updated), merged: Number(j.merged), unchanged: Number(j.unchanged), rejected: Number(j.rejected) } : { inserted: 0, updated: 0, merged: 0, unchanged: 0, rejected: 0 };
      if (from > 0) log.info({ jobId: id, checkpointRow: from }, 'resuming import after its checkpoint');
      await db.updateTable('import_job').set({ status: 'running', started_at: clock.now(), error: null, checkpoint_row: from, attempts: j.attempts + 1, ...t, ...(from > 0 ? {} : { bytes_read: 0, rows_processed: 0 }) }).where('id', '=', id).execute();
      for (const st of stages) {
        await client.query(`DROP TABLE IF EXISTS ${st}`);
        await client.query(createStageSql(st));
      }
      copier = await pool.connect();
      // Two lanes (connections, each with its staging table) take turns by chunk: chunk k streams on lane k % 2 while chunk k-1 finishes on the other.
      const lanes = [{ conn: client, table: stages[0]! }, { conn: copier, table: stages[1]! }];
      const mapping = j.mapping as ImportMapping;
      let bytes = 0;
      let rows = 0;
      let staged = 0;
      let chunk = 0;
      let rej: RejectedRow[] = [];
      let last = from;
      let inFlight: Promise<void> = Promise.resolve();
      // Direct mode: records COPY straight into customer. A chunk that meets an existing customer (a unique violation)
      // rolls back and the job resumes from its checkpoint through staging (see launch).
      const direct = directFirst;
      interface Open { lane: (typeof lanes)[number]; direct: boolean; stream: ReturnType<typeof copyFrom> | null; failed: unknown; dups: string[] }
      let cur: Open | undefined;

      const write = async (o: Open, text: string) => {
        if (o.stream === null || o.failed !== undefined) return;
        try {
          if (!o.stream.write(text)) await once(o.stream, 'drain');
        } catch (err) {
          o.failed = err;
        }
      };
      const copyAll = async (conn: pg.PoolClient, sqlText: string, parts: string[]) => {
        const stream = conn.query(copyFrom(sqlText));
        await pipeline(Readable.from(parts), stream);
      };
      /** Starts a chunk on its lane: a transaction with a COPY into customer (direct) or into the lane's staging table. */
      const begin = async (): Promise<Open> => {
        const lane = lanes[chunk % 2]!;
        await lane.conn.query('BEGIN');
        if (!direct) await lane.conn.query(`TRUNCATE ${lane.table}`);
        const stream = lane.conn.query(copyFrom(direct ? copyCustomerSql : copyStageSql(lane.table)));
        const o: Open = { lane, direct, stream, failed: undefined, dups: [] };
        stream.on('error', (err) => (o.failed ??= err));
        return o;
      };
      /** Ends a chunk: completes its COPY (a failed direct COPY rolls back and throws {@link DirectCopyFailed}), merges, stores rejections and the checkpoint, commits after the previous chunk. */
      const finish = async (o: Open | undefined, x: RejectedRow[], upTo: number, seen: number, read: number, previous: Promise<void>) => {
        const lane = o?.lane ?? lanes[chunk % 2]!; // a chunk of rejected rows only: this chunk's lane, free by now
        const conn = lane.conn;
        const m = { inserted: 0, updated: 0, unchanged: 0, merged: 0, rejected: [] as RejectedRow[] };
        try {
          if (!o) await conn.query('BEGIN');
          let mergeStage = false;
          if (o) {
            if (o.stream && o.failed === undefined) {
              o.stream.end();
              await finished(o.stream).catch((err: unknown) => (o.failed ??= err));
            }
            if (o.direct && o.failed === undefined) {
              m.inserted = o.stream?.rowCount ?? 0;
              if (o.dups.length) {
                await conn.query(`TRUNCATE ${lane.table}`);
                await copyAll(conn, copyStageSql(lane.table), o.dups);
              }
            } else if (o.direct) {
              // A record met an existing customer (or the chunk failed otherwise): undo the chunk, resume through staging.
              await conn.query('ROLLBACK');
              throw new DirectCopyFailed(o.failed);
            } else {
              if (o.failed !== undefined) throw o.failed;
              mergeStage = true;
            }
            // The staging table has no statistics (truncated): probe customer's unique indexes row by row, never hash all of customer.
            await conn.query('SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off');
            if (mergeStage) {
              const r = (await conn.query<{ inserted: number; updated: number; unchanged: number; rejected: [number, string][] }>(mergeStageSql(lane.table, clock.now()))).rows[0]!;
              Object.assign(m, { inserted: r.inserted, updated: r.updated, unchanged: r.unchanged, rejected: mergeRejections(r.rejected) });
            }
            if (mergeStage || o.dups.length) {
              for (const { kind, rounds } of (await conn.query<{ kind: number; rounds: number }>(duplicateRoundsSql(lane.table))).rows) {
                for (let round = 1; round <= rounds; round++) m.merged += (await conn.query(mergeDuplicatesSql(lane.table, clock.now(), kind, round))).rowCount ?? 0;
              }
            }
          }
          const all = [...x, ...m.rejected];
          if (all.length) {
            await conn.query(`INSERT INTO import_rejection (job_id, row_no, issues, original)
              SELECT $1::uuid, * FROM unnest($2::int[], $3::jsonb[], $4::jsonb[]) ON CONFLICT DO NOTHING`,
            [id, all.map((r) => r.row), all.map((r) => JSON.stringify(r.issues)), all.map((r) => JSON.stringify(r.original))]);
          }
          // Commit in chunk order: the checkpoint only ever covers a prefix of the file.
          await previous;
          const next = { inserted: t.inserted + m.inserted, updated: t.updated + m.updated, merged: t.merged + m.merged, unchanged: t.unchanged + m.unchanged, rejected: t.rejected + all.length };
          await conn.query('UPDATE import_job SET rows_processed = $2, bytes_read = $3, checkpoint_row = $4, inserted = $5, updated = $6, merged = $7, unchanged = $8, rejected = $9 WHERE id = $1',
            [id, seen, read, upTo, next.inserted, next.updated, next.merged, next.unchanged, next.rejected]);
          await conn.query('COMMIT');
          Object.assign(t, next);
        } catch (err) {
          await conn.query('ROLLBACK').catch(() => undefined);
          throw err;
        }
      };
      /** Streams one batch into the chunk's COPY (opened on the first one); in direct mode the in-file duplicates wait for the chunk's end. */
      const stageText = async (body: string, dups: string) => {
        cur ??= await begin();
        const o = cur;
        if (o.direct) {
          if (dups) o.dups.push(dups);
          if (body) await write(o, body);
        } else {
          await write(o, body + dups);
        }
      };
      /** Ends the chunk: the previous chunk must have finished (its lane is this chunk's next-but-one), then this one finishes in the background. */
      const flush = async () => {
        const o = cur;
        cur = undefined;
        const previous = inFlight;
        await previous;
        if (stopping) throw new ImportStopped();
        if (o === undefined && rej.length === 0 && last <= from) return;
        inFlight = finish(o, rej, last, rows, bytes, previous);
        inFlight.catch(() => undefined);
        rej = [];
        staged = 0;
        chunk++;
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
          // Rows up to the checkpoint are committed already (a resumed run): cleaned again, not written.
          const fresh = b.records.filter((r) => r.row > from);
          const ids = uuidv7Batch(fresh.length, clock.now().getTime());
          const at = clock.now().toISOString();
          let body = '';
          let dups = '';
          if (direct) for (let i = 0; i < fresh.length; i++) body += `${recordBody(fresh[i]!, ids[i]!, at)}\n`;
          else for (let i = 0; i < fresh.length; i++) body += stageLine(STAGE_KIND.record, fresh[i]!, recordBody(fresh[i]!, ids[i]!, at));
          for (const d of b.duplicates) if (d.row > from) dups += stageLine(STAGE_KIND[d.key], d.record, recordBody(d.record, null, at));
          for (const x of b.rejected) if (x.row > from) rej.push(x);
          if (body || dups) await stageText(body, dups);
          staged += fresh.length;
          for (const r of b.records) last = Math.max(last, r.row);
          for (const x of b.rejected) last = Math.max(last, x.row);
          if (staged + rej.length >= CHUNK_ROWS) await flush();
        },
      });
      await flush();
      await inFlight;
      // Rows the database stage refused, counted from the table (a resumed run's earlier chunks included).
      const conflicts = await db.selectFrom('import_rejection').select(['row_no', 'issues']).where('job_id', '=', id)
        .where(sql<boolean>`issues->0->>'code' = 'conflicts_with_existing'`).orderBy('row_no').execute();
      const byCode: Record<string, number> = { ...report.rejectedByCode };
      if (conflicts.length) byCode.conflicts_with_existing = (byCode.conflicts_with_existing ?? 0) + conflicts.length;
      const dbSample = conflicts.slice(0, 100).map((r) => ({ row: r.row_no, issues: r.issues as RejectedRow['issues'], original: {} }));
      const full = { ...report, fileSha256: j.file_sha256, totals: { ...report.totals, ...t }, rejectedByCode: byCode, rejectedSample: [...report.rejectedSample, ...dbSample].sort((x, y) => x.row - y.row).slice(0, 100) };
      await db.updateTable('import_job').set({ status: 'done', rows_processed: rows, bytes_read: j.size_bytes, checkpoint_row: last, ...t, report: JSON.stringify(full), finished_at: clock.now() }).where('id', '=', id).execute();
      clean = true;
      return true;
    } finally {
      // After a failure a lane may be mid-COPY or mid-transaction: discard both connections (which also drops the
      // advisory lock) before dropping the staging tables, whose locks they hold.
      copier?.release(!clean);
      if (clean) {
        for (const st of stages) await client.query(`DROP TABLE IF EXISTS ${st}`).catch(() => undefined);
        await client.query('SELECT pg_advisory_unlock(hashtext($1))', [`import_job:${id}`]).catch(() => undefined);
        client.release();
      } else {
        client.release(true);
        if (locked) for (const st of stages) await sql`DROP TABLE IF EXISTS ${sql.raw(st)}`.execute(db).catch(() => undefined);
      }
    }
  }

  function launch(id: string, file: string, format: 'csv' | 'xlsx'): Promise<void> {
    const current = running.get(id);
    if (current) return current;
    const p = execute(id, file, format)
      .catch((err: unknown) => {
        if (!(err instanceof DirectCopyFailed)) throw err;
        const reason = err.reason as { code?: string };
        if (reason.code !== '23505') log.warn({ err: reason, jobId: id }, 'direct COPY failed; resuming through staging');
        return execute(id, file, format, false);
      })
      .then(() => undefined)
      .catch(async (err: unknown) => {
        // Stopped by shutdown: the job stays 'running' and resumes at the next start.
        if (err instanceof ImportStopped) return;
        log.error({ err, jobId: id }, 'import failed');
        const message = err instanceof AppError ? `${err.code}: ${err.message}` : 'The import failed; see the server log';
        await db.updateTable('import_job').set({ status: 'failed', error: message, finished_at: clock.now() }).where('id', '=', id).execute();
      })
      .finally(() => running.delete(id));
    running.set(id, p);
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
      void launch(j.id, up.file_path, up.format);
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

    /**
     * Resumes the jobs left 'queued' or 'running' by a server that died or was
     * stopped (called at start). A job another live process holds (its
     * advisory lock) is left alone; one whose upload is gone is failed.
     * Returns the ids of the jobs resumed here.
     */
    async recover(): Promise<string[]> {
      const stale = await db.selectFrom('import_job').leftJoin('import_upload', 'import_upload.id', 'import_job.upload_id')
        .select(['import_job.id', 'import_job.checkpoint_row', 'import_upload.file_path', 'import_upload.format']).where('import_job.status', 'in', ['queued', 'running']).execute();
      const resumed: string[] = [];
      for (const j of stale) {
        if (running.has(j.id)) continue;
        const exists = j.file_path ? await stat(j.file_path).then(() => true, () => false) : false;
        if (!exists || !j.file_path || !j.format) {
          await db.updateTable('import_job').set({ status: 'failed', error: 'import_upload_not_found: the uploaded file is gone; upload it again', finished_at: clock.now() })
            .where('id', '=', j.id).where('status', 'in', ['queued', 'running']).execute();
          continue;
        }
        log.info({ jobId: j.id, checkpointRow: j.checkpoint_row }, 'resuming an interrupted import');
        void launch(j.id, j.file_path, j.format);
        resumed.push(j.id);
      }
      return resumed;
    },

    /** Stops running jobs at their next chunk (server shutdown): they stay 'running' and resume at the next start. */
    async stop(): Promise<void> {
      stopping = true;
      await Promise.all([...running.values()]);
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
