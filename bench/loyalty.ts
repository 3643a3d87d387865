/**
 * bench:loyalty — point redemptions over HTTP (POST /api/me/redemptions with
 * an Idempotency-Key: line lock → FIFO lots → stock/limit UPDATE → ledger →
 * coupon → outbox), 16 concurrent clients, on a fresh embedded PostgreSQL:
 *   hot:    every client redeems the same reward (contention on one stock row);
 *   spread: each redemption picks one of many rewards;
 *   oversell check: a reward with little stock, hammered by all clients.
 * The baseline is pgbench's simple-update script (`-N`) on the same database.
 *
 *   npm run bench:loyalty [-- --lines 1600 --clients 16 --seconds 10 --rewards 200]
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import type { Tokens } from '@telehall/contracts';
import pino from 'pino';
import { sql } from 'kysely';
import { buildApp } from '../server/src/app.js';
import { buildServices } from '../server/src/services.js';
import { systemClock } from '../server/src/platform/clock.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createDb, createPool, inTransaction, type Db } from '../server/src/platform/db.js';
import { cryptoIds } from '../server/src/platform/ids.js';
import { migrate } from '../server/src/platform/migrate.js';
import { hashPassword } from '../server/src/modules/identity/password.js';
import { cycleOf } from '../server/src/modules/lines/cycle.js';
import { expiryOf, POINT_ACCOUNTS } from '../server/src/modules/loyalty/points.js';
import { seedCatalog } from '../server/src/seed/catalog.js';
import { arg, benchDatabase, percentile, printFigures } from './lib.js';

const LINES = arg('lines', 1600);
const CLIENTS = arg('clients', 16);
const SECONDS = arg('seconds', 10);
const REWARDS = arg('rewards', 200);
const POINTS = 10_000_000;
const PASSWORD = 'bench-password-1';

/** One subscriber per client owning LINES / CLIENTS lines, each line holding POINTS points in one lot. */
async function setup(db: Db, planId: string, issuedAccount: string) {
  const { start, end } = cycleOf(new Date());
  const now = new Date();
  const hash = await hashPassword(PASSWORD);
  await sql`INSERT INTO customer (id, phone, name) SELECT gen_random_uuid(), (15100000000 + g)::text, 'bench ' || g FROM generate_series(1, ${CLIENTS}::int) g`.execute(db);
  await sql`INSERT INTO subscriber_account (customer_id, phone, password_hash) SELECT id, phone, ${hash} FROM customer WHERE name LIKE 'bench %'`.execute(db);
  await sql`INSERT INTO line (id, customer_id, msisdn, plan_id, credit_limit_fen, cycle_start, cycle_end, activated_at)
    SELECT gen_random_uuid(), c.id, (15200000000 + g)::text, ${planId}::uuid, 0, ${start}, ${end}, ${start}
    FROM generate_series(1, ${LINES}::int) g JOIN customer c ON c.phone = (15100000001 + g % ${CLIENTS}::int)::text`.execute(db);
  await sql`INSERT INTO ledger_account (id, code, asset, kind, line_id) SELECT gen_random_uuid(), 'line:' || l.id || ':CNY', 'CNY', 'line_balance', l.id FROM line l`.execute(db);
  await inTransaction(db, async (trx) => {
    await sql`INSERT INTO loyalty_member (line_id, customer_id, created_at) SELECT id, customer_id, ${now} FROM line`.execute(trx);
    await sql`INSERT INTO ledger_account (id, code, asset, kind, line_id) SELECT gen_random_uuid(), 'line:' || l.id || ':POINTS', 'POINTS', 'points', l.id FROM line l`.execute(trx);
    await sql`CREATE TEMP TABLE g ON COMMIT DROP AS SELECT l.id AS line_id, gen_random_uuid() AS tx, gen_random_uuid() AS ev, a.id AS acct
      FROM line l JOIN ledger_account a ON a.code = 'line:' || l.id || ':POINTS'`.execute(trx);
    await sql`INSERT INTO ledger_tx (id, kind, line_id, reference, memo, created_at) SELECT tx, 'points.grant', line_id, 'bench:' || line_id, 'bench', ${now} FROM g`.execute(trx);
    await sql`INSERT INTO ledger_entry (tx_id, account_id, amount, created_at) SELECT tx, acct, ${POINTS}::bigint, ${now}::timestamptz FROM g
      UNION ALL SELECT tx, ${issuedAccount}::uuid, -${POINTS}::bigint, ${now} FROM g`.execute(trx);
    await sql`UPDATE ledger_account a SET balance = ${POINTS} FROM g WHERE a.id = g.acct`.execute(trx);
    await sql`INSERT INTO point_event (id, line_id, kind, points, reason, source_kind, source_id, ledger_tx_id, created_at)
      SELECT ev, line_id, 'grant', ${POINTS}, 'bench', 'bench', line_id::text, tx, ${now} FROM g`.execute(trx);
    await sql`INSERT INTO point_lot (id, line_id, points, remaining, earned_at, expires_at, event_id)
      SELECT gen_random_uuid(), line_id, ${POINTS}, ${POINTS}, ${now}, ${expiryOf(now)}, ev FROM g`.execute(trx);
  });
  await sql`ANALYZE`.execute(db);
}

function pgbench(url: string): number {
  const bin = ['/usr/lib/postgresql/15/bin/pgbench', '/usr/bin/pgbench'].find((p) => existsSync(p)) ?? 'pgbench';
  const init = spawnSync(bin, ['-i', '-q', url], { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`pgbench -i failed: ${init.stderr}`);
  const run = spawnSync(bin, ['-N', '-c', '16', '-j', '2', '-T', String(SECONDS), url], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`pgbench failed: ${run.stderr}`);
  const m = /tps = ([\d.]+) \(without initial connection time\)/.exec(run.stdout) ?? /tps = ([\d.]+)/.exec(run.stdout);
  if (!m) throw new Error(`no tps in pgbench output:\n${run.stdout}`);
  return Number(m[1]);
}

async function main() {
  console.log(`bench:loyalty — ${LINES.toLocaleString()} lines, ${CLIENTS} concurrent clients, ${SECONDS} s per phase, ${REWARDS} rewards in the spread phase; load ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const bench = await benchDatabase();
  const url = bench.pg.url('postgres');
  const pool = createPool(url, 20);
  await migrate(pool);
  const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TELEHALL_JWT_SECRET: cryptoIds.token(32), TELEHALL_SANDBOX_PAY_SECRET: cryptoIds.token(32), LOG_LEVEL: 'warn', DATA_DIR: bench.dir });
  const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret: config.jwtSecret! });
  const plans = await seedCatalog(s, { kind: 'system', id: null, name: 'bench', ip: '', userAgent: '' });
  const t = performance.now();
  await setup(s.db, plans.get('basic19')!, await s.ledger.systemAccount(s.db, POINT_ACCOUNTS.issued, 'POINTS'));
  const mk = (code: string, stock: number | null) => inTransaction(s.db, (trx) => s.loyalty.rewards.create(trx, {
    code, kind: 'discount', nameZh: code, nameEn: code, valueFen: 500, pointsPrice: 50, stock, validDays: 30,
  }));
  const hot = await mk('hot', 100_000_000);
  const spread = await Promise.all(Array.from({ length: REWARDS }, (_, i) => mk(`spread_${i}`, 100_000_000)));
  const OVERSELL_STOCK = 300;
  const scarce = await mk('scarce', OVERSELL_STOCK);
  console.log(`setup: ${LINES.toLocaleString()} lines with ${POINTS.toLocaleString()} points each, ${REWARDS + 2} rewards in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const app = await buildApp(s, { rateLimitScale: 1000 });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;

  const clients = await Promise.all(Array.from({ length: CLIENTS }, async (_, c) => {
    const phone = String(15100000001 + c);
    const res = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ phone, password: PASSWORD }) });
    const login = (await res.json()) as Tokens;
    const lines = await s.db.selectFrom('line as l').innerJoin('customer as cu', 'cu.id', 'l.customer_id').select('l.id').where('cu.phone', '=', phone).execute();
    return { token: login.accessToken, lines: lines.map((l) => l.id) };
  }));

  /** Run all clients for SECONDS (or, for `untilSoldOut`, until the reward is sold out), each redemption on the next line of the client. */
  async function phase(name: string, pick: (i: number) => string, untilSoldOut = false) {
    const latencies: number[] = [];
    const refused = new Map<string, number>();
    let ok = 0;
    const deadline = performance.now() + (untilSoldOut ? 600 : SECONDS) * 1000;
    let stop = false;
    const t0 = performance.now();
    await Promise.all(clients.map(async (c, ci) => {
      for (let i = 0; performance.now() < deadline && !stop; i++) {
        const t1 = performance.now();
        const res = await fetch(`${base}/api/me/redemptions`, {
          method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${c.token}`, 'idempotency-key': `bench-${name}-${ci}-${i}` },
          body: JSON.stringify({ lineId: c.lines[i % c.lines.length], rewardId: pick(i * CLIENTS + ci) }),
        });
        const body = (await res.json()) as { code?: string };
        if (res.status === 201) {
          ok++;
          latencies.push(performance.now() - t1);
        } else {
          refused.set(body.code ?? String(res.status), (refused.get(body.code ?? String(res.status)) ?? 0) + 1);
          if (untilSoldOut && body.code === 'out_of_stock') stop = true;
        }
      }
    }));
    const seconds = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const perS = ok / seconds;
    console.log(`${name}: ${ok.toLocaleString()} redemptions in ${seconds.toFixed(1)} s = ${perS.toFixed(1)} /s; p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms; refused ${JSON.stringify(Object.fromEntries(refused))}`);
    return { perS, ok, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
  }

  const hotRun = await phase('hot', () => hot.id);
  const spreadRun = await phase('spread', (i) => spread[(i * 7919) % spread.length]!.id);
  const scarceRun = await phase('scarce', () => scarce.id, true);
  await app.close();

  // Nothing oversold: per reward, stock + issued = initial stock, issued = redemptions = coupons; points match the ledger.
  const rows = await sql<{ code: string; stock: number | null; issued: number; red: string; cou: string }>`
    SELECT r.code, r.stock, r.issued, (SELECT count(*) FROM redemption d WHERE d.reward_id = r.id)::text AS red, (SELECT count(*) FROM coupon c WHERE c.reward_id = r.id)::text AS cou FROM reward r`.execute(s.db);
  let oversold = 0;
  for (const r of rows.rows) {
    const initial = r.code === 'scarce' ? OVERSELL_STOCK : 100_000_000;
    oversold += Math.max(0, r.issued - initial) + Math.abs((r.stock ?? 0) + r.issued - initial) + Math.abs(Number(r.red) - r.issued) + Math.abs(Number(r.cou) - r.issued);
  }
  // Accepted redemptions beyond the stock are oversold; the scarce reward must also sell out exactly.
  oversold += Math.max(0, scarceRun.ok - OVERSELL_STOCK);
  if (scarceRun.ok < OVERSELL_STOCK) console.log(`scarce reward not sold out: ${scarceRun.ok} of ${OVERSELL_STOCK}`);
  const redeemed = await sql<{ n: string }>`SELECT coalesce(sum(points), 0)::text AS n FROM redemption`.execute(s.db);
  const left = await sql<{ n: string; lots: string }>`SELECT (SELECT sum(balance) FROM ledger_account WHERE kind = 'points')::text AS n, (SELECT sum(remaining) FROM point_lot)::text AS lots`.execute(s.db);
  const expected = LINES * POINTS - Number(redeemed.rows[0]!.n);
  const problems = await s.ledger.verify();
  const booksOk = problems.length === 0 && Number(left.rows[0]!.n) === expected && Number(left.rows[0]!.lots) === expected;
  if (!booksOk) oversold += 1;
  await pool.end();

  console.log(`pgbench baseline: pgbench -i, then pgbench -N -c 16 -j 2 -T ${SECONDS} on the same database…`);
  const tps = pgbench(url);
  await bench.dispose();
  console.log(`baseline pgbench simple-update: ${tps.toFixed(1)} tps; hot ratio ${(hotRun.perS / tps).toFixed(3)}, spread ratio ${(spreadRun.perS / tps).toFixed(3)}`);
  console.log(`oversell check: ${scarceRun.ok} of ${OVERSELL_STOCK} scarce units redeemed; books ${booksOk ? 'balanced (ledger = lots = grants − redemptions)' : `FAILED ${JSON.stringify({ problems, left: left.rows[0], expected })}`}`);
  console.log(`load after: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  printFigures({
    hot_redemptions_per_s: Number(hotRun.perS.toFixed(1)),
    spread_redemptions_per_s: Number(spreadRun.perS.toFixed(1)),
    baseline_pgbench_tps: Number(tps.toFixed(1)),
    oversold,
  });
  if (oversold) process.exitCode = 1;
}

await main();
