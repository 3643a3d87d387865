/**
 * bench:rating — usage events posted over HTTP in batches of 10,000, rated
 * and committed on the embedded PostgreSQL; the physical baseline is a raw
 * COPY of the same event rows into a bare table on the same database in the
 * same run. Ends with an exactly-once check (every batch re-sent: nothing is
 * charged again; books balance; records add up).
 *
 *   npm run bench:rating [-- --lines 100000 --events 2000000 --concurrency 4]
 */
import { availableParallelism, loadavg } from 'node:os';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import pino from 'pino';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { buildServices } from '../server/src/services.js';
import { systemClock } from '../server/src/platform/clock.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createDb, createPool, type Db } from '../server/src/platform/db.js';
import { cryptoIds } from '../server/src/platform/ids.js';
import { migrate } from '../server/src/platform/migrate.js';
import { cycleOf } from '../server/src/modules/lines/cycle.js';
import { DEMO_PLANS, seedCatalog } from '../server/src/seed/catalog.js';
import { rng } from '../server/src/sim/usage-sim.js';
import { arg, benchDatabase, percentile, printFigures } from './lib.js';

const LINES = arg('lines', 100_000);
const EVENTS = arg('events', 2_000_000);
const CONCURRENCY = arg('concurrency', 4);
const BATCH = 10_000;

/** 100,000 customers with lines, opening balances (balanced ledger entries) and this cycle's plan allowances, set-based. */
async function setup(db: Db, planId: string, plan: (typeof DEMO_PLANS)[number]) {
  const { start, end } = cycleOf(new Date());
  await sql`INSERT INTO customer (id, phone, name) SELECT gen_random_uuid(), (15000000000 + g)::text, 'bench ' || g FROM generate_series(1, ${LINES}::int) g`.execute(db);
  await sql`INSERT INTO line (id, customer_id, msisdn, plan_id, credit_limit_fen, cycle_start, cycle_end, activated_at)
    SELECT gen_random_uuid(), c.id, c.phone, ${planId}::uuid, 5000, ${start}, ${end}, ${start} FROM customer c WHERE c.name LIKE 'bench %'`.execute(db);
  await sql`INSERT INTO ledger_account (id, code, asset, kind, line_id, balance)
    SELECT gen_random_uuid(), 'line:' || l.id || ':CNY', 'CNY', 'line_balance', l.id, 10000 FROM line l`.execute(db);
  await sql`INSERT INTO ledger_account (id, code, asset, kind) VALUES (gen_random_uuid(), 'system:opening_balance', 'CNY', 'system') ON CONFLICT DO NOTHING`.execute(db);
  await sql`INSERT INTO ledger_tx (id, kind, line_id, reference, created_at) SELECT l.id, 'opening_balance', l.id, 'bench', now() FROM line l`.execute(db);
  await sql`INSERT INTO ledger_entry (tx_id, account_id, amount, created_at)
    SELECT l.id, a.id, 10000, now() FROM line l JOIN ledger_account a ON a.line_id = l.id
    UNION ALL SELECT l.id, (SELECT id FROM ledger_account WHERE code = 'system:opening_balance'), -10000, now() FROM line l`.execute(db);
  for (const [kind, total] of [['data', plan.dataBytes], ['voice', plan.voiceSeconds], ['sms', plan.smsCount]] as const) {
    await sql`INSERT INTO allowance_bucket (id, line_id, kind, source, source_id, total, starts_at, expires_at)
      SELECT gen_random_uuid(), l.id, ${kind}, 'plan', ${planId}::uuid, ${total}, ${start}, ${end} FROM line l`.execute(db);
  }
  await sql`ANALYZE`.execute(db);
}

/**
 * Realistic mix: 70% data sessions, 22% calls, 8% SMS, over the cycle so far.
 * Like a feed partitioned by subscriber (JetStream subjects per line), each
 * client's batches carry the lines of its own partition.
 */
function makeBatches(): string[][] {
  const r = rng(42);
  const now = Date.now();
  const from = cycleOf(new Date()).start.getTime();
  const span = now - 60_000 - from;
  const batches: string[][] = [];
  for (let b = 0; b * BATCH < EVENTS; b++) {
    const rows: string[] = [];
    const partition = b % CONCURRENCY;
    const perPartition = Math.floor(LINES / CONCURRENCY);
    for (let i = 0; i < BATCH && b * BATCH + i < EVENTS; i++) {
      const n = b * BATCH + i;
      const msisdn = String(15000000000 + 1 + partition + CONCURRENCY * Math.floor(r() * perPartition));
      const x = r();
      const type = x < 0.7 ? 'data' : x < 0.92 ? 'voice' : 'sms';
      const quantity = type === 'data' ? Math.floor(r() * 400 * 1024 * 1024) : type === 'voice' ? 5 + Math.floor(r() * 600) : 1;
      rows.push(JSON.stringify({ id: `b${n}`, msisdn, type, quantity, startedAt: new Date(from + Math.floor(r() * span)).toISOString() }));
    }
    batches.push(rows);
  }
  return batches;
}

async function copyBaseline(url: string, batches: string[][]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('CREATE TABLE bench_copy (id text, msisdn text, type text, quantity bigint, started_at timestamptz)');
  const lines = function* () {
    for (const b of batches) {
      let chunk = '';
      for (const j of b) {
        const e = JSON.parse(j) as { id: string; msisdn: string; type: string; quantity: number; startedAt: string };
        chunk += `${e.id}\t${e.msisdn}\t${e.type}\t${e.quantity}\t${e.startedAt}\n`;
      }
      yield chunk;
    }
  };
  const payload = [...lines()];
  const t0 = performance.now();
  await pipeline(Readable.from(payload), client.query(copyFrom('COPY bench_copy FROM STDIN')));
  const s = (performance.now() - t0) / 1000;
  await client.query('DROP TABLE bench_copy');
  await client.end();
  return EVENTS / s;
}

async function main() {
  console.log(`bench:rating — ${LINES.toLocaleString()} lines, ${EVENTS.toLocaleString()} events, batches of ${BATCH}, ${CONCURRENCY} concurrent clients`);
  // The machine may be shared: the load average says how much of it the run had.
  const loadStart = loadavg()[0]!;
  console.log(`machine: ${availableParallelism()} cores, load average ${loadStart.toFixed(2)}`);
  const bench = await benchDatabase();
  const url = bench.pg.url('postgres');
  const pool = createPool(url, 20);
  await migrate(pool);
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TELEHALL_JWT_SECRET: cryptoIds.token(32), TELEHALL_SANDBOX_PAY_SECRET: cryptoIds.token(32), LOG_LEVEL: 'warn', DATA_DIR: bench.dir });
  const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret: config.jwtSecret! });
  const actor = { kind: 'system' as const, id: null, name: 'bench', ip: '', userAgent: '' };
  const plans = await seedCatalog(s, actor);
  const plan = DEMO_PLANS.find((p) => p.code === 'basic19')!;
  let t = performance.now();
  await setup(s.db, plans.get('basic19')!, plan);
  console.log(`setup: ${LINES} lines in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const batches = makeBatches();
  const bodies = batches.map((b) => `[${b.join(',')}]`);
  const token = await s.charging.createServiceToken('bench');
  const app = await buildApp(s);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  const postBatch = async (body: string) => {
    const res = await fetch(`${base}/api/usage-events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body });
    if (res.status !== 200) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
    return (await res.json()) as { accepted: number; duplicates: number; rejected: unknown[] };
  };

  // The run: every batch once, CONCURRENCY at a time.
  const latencies: number[] = [];
  let accepted = 0;
  t = performance.now();
  let lastReport = t;
  // Client c sends batches c, c + CONCURRENCY, …: its own partition, in order.
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, c) => {
    for (let i = c; i < bodies.length; i += CONCURRENCY) {
      const body = bodies[i]!;
      const t1 = performance.now();
      const r = await postBatch(body);
      accepted += r.accepted;
      latencies.push(performance.now() - t1);
      if (performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        console.log(`  ${latencies.length}/${bodies.length} batches, ${Math.round((latencies.length * BATCH) / ((lastReport - t) / 1000)).toLocaleString()} events/s so far`);
      }
    }
  }));
  const seconds = (performance.now() - t) / 1000;
  const loadRun = loadavg()[0]!;
  const eventsPerS = EVENTS / seconds;
  latencies.sort((a, b) => a - b);

  // Exactly once: every batch re-sent (another split of the same ids) charges nothing.
  const before = await s.db.selectFrom('ledger_entry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let replayAccepted = 0;
  for (const b of batches) {
    const half = Math.floor(b.length / 2);
    const r1 = await postBatch(`[${b.slice(half).join(',')}]`);
    const r2 = await postBatch(`[${b.slice(0, half).join(',')}]`);
    replayAccepted += r1.accepted + r2.accepted;
  }
  const after = await s.db.selectFrom('ledger_entry').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const sums = await sql<{ n: string; q: string; parts: string; fees: string }>`SELECT count(*)::text n, sum(quantity)::text q,
    sum(from_allowance + charged_quantity + unrated_quantity)::text parts, sum(charge_fen)::text fees FROM usage_event`.execute(s.db);
  const revenue = await sql<{ s: string }>`SELECT coalesce(sum(e.amount), 0)::text s FROM ledger_entry e JOIN ledger_account a ON a.id = e.account_id WHERE a.code LIKE 'revenue:overage:%'`.execute(s.db);
  const problems = await s.ledger.verify();
  const row = sums.rows[0]!;
  const exactlyOnce = accepted === EVENTS && replayAccepted === 0 && before.n === after.n && Number(row.n) === EVENTS && row.q === row.parts && row.fees === revenue.rows[0]!.s && problems.length === 0;
  if (!exactlyOnce) console.log('exactly-once detail', { accepted, EVENTS, replayAccepted, before: before.n, after: after.n, rows: row, revenue: revenue.rows[0], problems });
  await app.close();

  const copyRate = await copyBaseline(url, batches);
  await pool.end();
  await bench.dispose();

  console.log(`rated ${EVENTS.toLocaleString()} events in ${seconds.toFixed(1)} s: ${Math.round(eventsPerS).toLocaleString()} events/s (load average ${loadStart.toFixed(2)} before, ${loadRun.toFixed(2)} at the end of the run, ${availableParallelism()} cores)`);
  console.log(`batch latency p50 ${percentile(latencies, 50).toFixed(0)} ms, p99 ${percentile(latencies, 99).toFixed(0)} ms`);
  console.log(`baseline: raw COPY of the same rows into a bare table: ${Math.round(copyRate).toLocaleString()} rows/s; ratio ${(eventsPerS / copyRate).toFixed(3)}`);
  console.log(`exactly once: ${exactlyOnce ? 'ok' : 'FAILED'} (replayed ${batches.length * 2} re-split batches: ${replayAccepted} accepted; ledger ${problems.length ? problems.join('; ') : 'balanced'}; overage revenue = sum of record charges: ${row.fees === revenue.rows[0]!.s})`);
  printFigures({
    events_per_s: Math.round(eventsPerS),
    batch_p50_ms: Math.round(percentile(latencies, 50)),
    batch_p99_ms: Math.round(percentile(latencies, 99)),
    baseline_copy_rows_per_s: Math.round(copyRate),
    ratio_vs_baseline: Number((eventsPerS / copyRate).toFixed(3)),
    exactly_once_ok: exactlyOnce,
    lines: LINES,
    events: EVENTS,
    load_avg_before: Number(loadStart.toFixed(2)),
    load_avg_end_of_run: Number(loadRun.toFixed(2)),
  });
  if (!exactlyOnce) process.exitCode = 1;
}

await main();
