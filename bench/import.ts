/**
 * Customer import end to end into PostgreSQL: generates the seeded messy CSV
 * of bench/import-pipeline.ts (1,000,000 rows by default), then runs it as an
 * import job exactly as the API does — upload streamed to DATA_DIR with its
 * SHA-256, parse + clean, each batch streamed by COPY into the job's UNLOGGED
 * staging table, a set-based merge per 25,000-row chunk (match by phone / ID
 * number / external id, INSERT … SELECT, UPDATE … FROM, in-file duplicates
 * fill blanks), rejected rows and the checkpoint stored — on a fresh embedded
 * PostgreSQL. First it times parse + clean alone on the same file (the in-run
 * baseline: the ceiling on this machine right now) and prints the recorded
 * baseline of the previous per-batch upsert path. Prints rows/s and peak
 * RSS; the last line is one JSON object.
 *
 *   npm run bench:import            (ROWS=200000 to shorten)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { createReadStream } from 'node:fs';
import { loadavg } from 'node:os';
import { openCsv } from '../server/src/modules/imports/csv-stream.js';
import { runImport } from '../server/src/modules/imports/imports.pipeline.js';
import { suggestMapping } from '../server/src/modules/imports/mapping.js';
import { buildServices } from '../server/src/services.js';
import { systemClock } from '../server/src/platform/clock.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createDb, createPool } from '../server/src/platform/db.js';
import { cryptoIds } from '../server/src/platform/ids.js';
import { migrate } from '../server/src/platform/migrate.js';
import { benchDatabase, printFigures } from './lib.js';

const ROWS = Number(process.env.ROWS ?? 1_000_000);
/**
 * The previous path (cleaned records upserted 5,000 at a time through INSERT/UPDATE … FROM unnest),
 * measured on this VM: session 1 (1M rows), and again side by side with this one (see the module README).
 */
const RECORDED_BASELINE = { rows_per_s: 10_670, peak_rss_mb: 424, rows: 1_000_000, note: 'session 1, per-batch unnest upserts' };
const bench = await benchDatabase();

/** CPU seconds PostgreSQL has used so far: the postmaster, its live children and the children it has reaped (Linux /proc). */
function pgCpuSeconds(): number {
  const tick = 100; // USER_HZ
  const stat = (pid: string) => readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ');
  const master = readFileSync(path.join(bench.dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]!.trim();
  const m = stat(master);
  // fields after the command: [0] state, [1] ppid, … [11] utime, [12] stime, [13] cutime, [14] cstime
  let ticks = Number(m[11]) + Number(m[12]) + Number(m[13]) + Number(m[14]);
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const f = stat(pid);
      if (f[1] === master) ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // gone
    }
  }
  return ticks / tick;
}
const file = path.join(bench.dir, 'messy.csv');
try {
  let t = performance.now();
  // The generator runs in a child process so its garbage does not count in this process's peak RSS.
  const gen = spawnSync(process.execPath, [...process.execArgv, path.join(import.meta.dirname, 'import-pipeline.ts'), '--generate', file], { stdio: 'inherit', env: { ...process.env, ROWS: String(ROWS) } });
  if (gen.status !== 0) throw new Error(`generator failed with status ${String(gen.status)}`);
  const mb = statSync(file).size / 1e6;
  console.log(`generated ${ROWS} rows (${mb.toFixed(1)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const url = bench.pg.url('postgres');
  const pool = createPool(url, 4);
  await migrate(pool);
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TELEHALL_JWT_SECRET: cryptoIds.token(32), TELEHALL_SANDBOX_PAY_SECRET: cryptoIds.token(32), LOG_LEVEL: 'warn', DATA_DIR: bench.dir });
  const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret: config.jwtSecret! });
  const header = (await openCsv(file)).header;
  const base = suggestMapping(header, 'bench');
  const mapping = { ...base, missing: { ...base.missing, monthlyChargeFen: { rule: 'default' as const, value: '0' } } };
  const actor = { kind: 'system' as const, id: null, name: 'bench', ip: '', userAgent: '' };

  const rssBefore = process.memoryUsage().rss;
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const cpu0 = process.cpuUsage();
  const pg0 = pgCpuSeconds();
  t = performance.now();
  let lastShown = -1;
  const job = await s.imports.importFile(actor, file, 'bench', mapping, (j) => {
    const pct = Math.floor(j.progress * 10);
    if (pct !== lastShown) console.log(`  ${(pct * 10).toString().padStart(3)}% ${j.rowsProcessed} rows, RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`);
    lastShown = pct;
  });
  const sec = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const nodeCpu = (cpu.user + cpu.system) / 1e6;
  const pgCpu = pgCpuSeconds() - pg0;
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  if (job.status !== 'done') throw new Error(`import ${job.status}: ${job.error ?? ''}`);
  // In-run baseline: parse + clean alone (no database) on the same file, in this process,
  // right after the import (so it does not count in the import's peak RSS).
  const t0 = performance.now();
  await runImport({ reader: await openCsv(createReadStream(file, { highWaterMark: 1024 * 1024 })), mapping, expectedRows: ROWS });
  const cleanOnly = Math.round(ROWS / ((performance.now() - t0) / 1000));
  console.log(`in-run baseline, parse + clean alone (no database): ${cleanOnly} rows/s; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const count = await s.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rowsPerS = Math.round(job.rowsProcessed / sec);
  console.log(`import (upload + hash + parse + clean + upsert): ${job.rowsProcessed} rows in ${sec.toFixed(1)} s = ${rowsPerS} rows/s (${(mb / sec).toFixed(1)} MB/s)`);
  console.log(`inserted ${job.totals.inserted}, updated ${job.totals.updated}, merged ${job.totals.merged}, rejected ${job.totals.rejected}; customers in the table ${Number(count.n)}`);
  console.log('rejected by code', JSON.stringify(job.rejectedByCode));
  const us = (cpuS: number) => ((cpuS / job.rowsProcessed) * 1e6).toFixed(1);
  console.log(`CPU: Node ${nodeCpu.toFixed(1)} s (${us(nodeCpu)} µs/row), PostgreSQL ${pgCpu.toFixed(1)} s (${us(pgCpu)} µs/row); ` +
    `${Math.round(job.rowsProcessed / (nodeCpu + pgCpu))} rows per CPU-second; on 2 idle cores at most ~${Math.round(job.rowsProcessed / Math.max(pgCpu, (nodeCpu + pgCpu) / 2))} rows/s`);
  console.log(`peak RSS ${(peak / 2 ** 20).toFixed(0)} MiB (${(rssBefore / 2 ** 20).toFixed(0)} MiB before the import)`);
  console.log(`recorded baseline (${RECORDED_BASELINE.note}): ${RECORDED_BASELINE.rows_per_s} rows/s, peak RSS ${RECORDED_BASELINE.peak_rss_mb} MiB → ${(rowsPerS / RECORDED_BASELINE.rows_per_s).toFixed(2)}× the rows/s`);
  console.log(`end to end is ${((rowsPerS / cleanOnly) * 100).toFixed(0)} % of parse + clean alone; target 100000 rows/s: ${rowsPerS >= 100_000 ? 'met' : 'not met'}; load average now ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await pool.end();
  printFigures({ rows_per_s: rowsPerS, peak_rss_mb: Math.round(peak / 2 ** 20), rows: job.rowsProcessed, rejected: job.totals.rejected });
} finally {
  rmSync(file, { force: true });
  await bench.dispose();
}
