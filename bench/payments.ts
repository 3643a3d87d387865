/**
 * bench:payments — top-ups completed end to end over HTTP: POST
 * /api/me/payments (Idempotency-Key) → the gateway's signed callback →
 * ledger credit → outbox event, by 16 concurrent clients over many lines, on
 * a fresh embedded PostgreSQL. The baseline is pgbench's built-in
 * simple-update script (`-N`) on the same database in the same run.
 *
 *   npm run bench:payments [-- --lines 20000 --clients 16 --seconds 15]
 */
import { fork, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tokens } from '@telehall/contracts';
import pino from 'pino';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { buildServices } from '../server/src/services.js';
import { systemClock } from '../server/src/platform/clock.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createDb, createPool, type Db } from '../server/src/platform/db.js';
import { cryptoIds } from '../server/src/platform/ids.js';
import { migrate } from '../server/src/platform/migrate.js';
import { hashPassword } from '../server/src/modules/identity/password.js';
import { cycleOf } from '../server/src/modules/lines/cycle.js';
import { seedCatalog } from '../server/src/seed/catalog.js';
import { arg, benchDatabase, percentile, postgresCpuMs, printFigures, procCpuMs } from './lib.js';
import { runLoad, type LoadJob, type LoadResult } from './payments-load.js';

const LINES = arg('lines', 20_000);
const CLIENTS = arg('clients', 16);
const SECONDS = arg('seconds', 15);
const PASSWORD = 'bench-password-1';
const IN_PROCESS = process.argv.includes('--in-process');

/** One subscriber per client, each owning LINES / CLIENTS lines, with empty balances. */
async function setup(db: Db, planId: string) {
  const { start, end } = cycleOf(new Date());
  const hash = await hashPassword(PASSWORD);
  await sql`INSERT INTO customer (id, phone, name) SELECT gen_random_uuid(), (15100000000 + g)::text, 'bench ' || g FROM generate_series(1, ${CLIENTS}::int) g`.execute(db);
  await sql`INSERT INTO subscriber_account (customer_id, phone, password_hash) SELECT id, phone, ${hash} FROM customer WHERE name LIKE 'bench %'`.execute(db);
  await sql`INSERT INTO line (id, customer_id, msisdn, plan_id, credit_limit_fen, cycle_start, cycle_end, activated_at)
    SELECT gen_random_uuid(), c.id, (15200000000 + g)::text, ${planId}::uuid, 0, ${start}, ${end}, ${start}
    FROM generate_series(1, ${LINES}::int) g JOIN customer c ON c.phone = (15100000001 + g % ${CLIENTS}::int)::text`.execute(db);
  await sql`INSERT INTO ledger_account (id, code, asset, kind, line_id) SELECT gen_random_uuid(), 'line:' || l.id || ':CNY', 'CNY', 'line_balance', l.id FROM line l`.execute(db);
  await sql`ANALYZE`.execute(db);
}

/** pgbench's simple-update script on the same database: tps, and the CPU it cost (pgbench itself and PostgreSQL). */
function pgbench(url: string, pgDir: string): { tps: number; transactions: number; cpuMs: number } {
  const bin = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'].find((p) => existsSync(p)) ?? 'pgbench';
  const init = spawnSync(bin, ['-i', '-q', url], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const pg0 = postgresCpuMs(pgDir);
  const me0 = procCpuMs('self').children;
  const run = spawnSync(bin, ['-N', '-c', '16', '-j', '2', '-T', String(SECONDS), url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  const cpuMs = postgresCpuMs(pgDir) - pg0 + procCpuMs('self').children - me0;
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
  const n = /number of transactions actually processed: (\d+)/.exec(run.stdout);
  if (!m || !n) throw new Error(`no tps in pgbench output:\n${run.stdout}`);
  return { tps: Number(m[1]), transactions: Number(n[1]), cpuMs };
}

async function main() {
  console.log(`bench:payments — ${LINES.toLocaleString()} lines, ${CLIENTS} concurrent clients, ${SECONDS} s`);
  const bench = await benchDatabase();
  const url = bench.pg.url('postgres');
  const pool = createPool(url, 20);
  await migrate(pool);
  const secret = cryptoIds.token(32);
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TELEHALL_JWT_SECRET: cryptoIds.token(32), TELEHALL_SANDBOX_PAY_SECRET: secret, LOG_LEVEL: 'warn', DATA_DIR: bench.dir });
  const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret: config.jwtSecret! });
  const plans = await seedCatalog(s, { kind: 'system', id: null, name: 'bench', ip: '', userAgent: '' });
  const t = performance.now();
  await setup(s.db, plans.get('basic19')!);
  console.log(`setup: ${LINES.toLocaleString()} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const app = await buildApp(s, { rateLimitScale: 1000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const json = async <T>(res: Response): Promise<T> => {
    if (res.status >= 300) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return res.json() as Promise<T>;
  };

  const clients = await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    const phone = String(15100000001 + c);
    const login = await json<Tokens>(await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, password: PASSWORD }) }));
    const lines = await s.db.selectFrom('line as l').innerJoin('customer as cu', 'cu.id', 'l.customer_id').select('l.id').where('cu.phone', '=', phone).execute();
    return { token: login.accessToken, lines: lines.map((l) => l.id) };
  }));

  // What the database sessions wait on, sampled during the run (printed with --waits).
  const waits = new Map<string, number>();
  let running = true;
  const sampling = process.argv.includes('--waits') ? (async () => {
    while (running) {
      const r = await sql<{ w: string; n: number }>`SELECT coalesce(wait_event_type || ':' || wait_event, state) w, count(*)::int n FROM pg_stat_activity
        WHERE application_name = 'telehall' AND pid <> pg_backend_pid() GROUP BY 1`.execute(s.db);
      for (const x of r.rows) waits.set(x.w, (waits.get(x.w) ?? 0) + x.n);
      await new Promise((res) => setTimeout(res, 20));
    }
  })() : Promise.resolve();
  // The clients run in their own process (real HTTP, own event loop) unless --in-process.
  const job: LoadJob = { base, secret, seconds: SECONDS, clients };
  const pgDir = path.join(bench.dir, 'pg');
  const pgCpu0 = postgresCpuMs(pgDir);
  const serverCpu0 = process.cpuUsage();
  const result = IN_PROCESS ? await runLoad(job) : await new Promise<LoadResult>((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./payments-load.ts', import.meta.url)), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (m) => resolve(m as LoadResult));
    child.once('error', reject);
    child.once('exit', (code) => code ? reject(new Error(`load process exited with ${code}`)) : undefined);
    child.send(job);
  });
  running = false;
  const serverCpu = process.cpuUsage(serverCpu0);
  // CPU per top-up: this process (the server), the clients' process and PostgreSQL.
  const cpuParts = { server: (serverCpu.user + serverCpu.system) / 1000, clients: IN_PROCESS ? 0 : result.cpuMs, postgres: postgresCpuMs(pgDir) - pgCpu0 };
  const topupCpuMs = cpuParts.server + cpuParts.clients + cpuParts.postgres;
  if (result.error) throw new Error(`load failed: ${result.error}`);
  const { done, fen, seconds, latencies } = result;
  const perS = done / seconds;
  await sampling;
  if (waits.size) console.log(`database waits (samples): ${JSON.stringify(Object.fromEntries([...waits].sort((a, b) => b[1] - a[1])))}`);
  latencies.sort((a, b) => a - b);
  await app.close();

  // The books: balanced, every capture credited once, one outbox event each.
  const problems = await s.ledger.verify();
  const captured = await sql<{ n: string; s: string }>`SELECT count(*)::text n, coalesce(sum(amount_fen), 0)::text s FROM payment WHERE status = 'captured'`.execute(s.db);
  const credited = await sql<{ s: string }>`SELECT coalesce(-sum(e.amount), 0)::text s FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id WHERE a.code = 'clearing:gateway:sandbox'`.execute(s.db);
  const events = await sql<{ n: string }>`SELECT count(*)::text n FROM outbox WHERE topic = 'payment.captured'`.execute(s.db);
  const balances = await sql<{ s: string }>`SELECT coalesce(sum(balance), 0)::text s FROM ledger_account WHERE kind = 'line_balance'`.execute(s.db);
  const ok = problems.length === 0 && Number(captured.rows[0]!.n) === done && captured.rows[0]!.s === String(fen) && credited.rows[0]!.s === String(fen)
    && Number(events.rows[0]!.n) === done && balances.rows[0]!.s === String(fen);
  if (!ok) console.log('books detail', { problems, captured: captured.rows[0], credited: credited.rows[0], events: events.rows[0], balances: balances.rows[0], done, fen });
  await pool.end();

  console.log(`pgbench baseline: pgbench -i, then pgbench -N -c 16 -j 2 -T ${SECONDS} on the same database…`);
  const { tps, transactions, cpuMs: pgbenchCpuMs } = pgbench(url, pgDir);
  const cpuPerTopup = topupCpuMs / Math.max(1, done);
  const cpuPerTx = pgbenchCpuMs / Math.max(1, transactions);
  await bench.dispose();

  console.log(`top-ups completed: ${done.toLocaleString()} in ${seconds.toFixed(1)} s = ${perS.toFixed(1)} /s (create → signed callback → ledger → outbox)`);
  console.log(`top-up latency (two HTTP calls) p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`);
  console.log(`baseline pgbench simple-update: ${tps.toFixed(1)} tps; ratio ${(perS / tps).toFixed(3)}`);
  const per = (ms: number) => (ms / Math.max(1, done)).toFixed(2);
  console.log(`CPU per top-up: ${cpuPerTopup.toFixed(2)} ms (server ${per(cpuParts.server)}${IN_PROCESS ? ' incl. clients' : `, clients ${per(cpuParts.clients)}`}, PostgreSQL ${per(cpuParts.postgres)}); per pgbench transaction ${cpuPerTx.toFixed(3)} ms (pgbench + PostgreSQL); ratio ${(cpuPerTx / cpuPerTopup).toFixed(3)}`);
  console.log(`machine load (1/5/15 min): ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  console.log(`ledger: ${ok ? 'balanced; captures = clearing credits = line balances; one payment.captured event each' : 'FAILED'}`);
  printFigures({
    topups_per_s: Number(perS.toFixed(1)),
    p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    p99_ms: Number(percentile(latencies, 99).toFixed(1)),
    baseline_pgbench_tps: Number(tps.toFixed(1)),
    ratio_vs_baseline: Number((perS / tps).toFixed(3)),
    ledger_balanced: ok,
    cpu_ms_per_topup: Number(cpuPerTopup.toFixed(2)),
    cpu_ms_per_pgbench_tx: Number(cpuPerTx.toFixed(3)),
    cpu_ratio_vs_baseline: Number((cpuPerTx / cpuPerTopup).toFixed(3)),
    load_avg_1m: Number(loadavg()[0]!.toFixed(1)),
    topups: done,
    lines: LINES,
    clients: CLIENTS,
  });
  if (!ok) process.exitCode = 1;
}

await main();
