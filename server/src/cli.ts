import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import pino from 'pino';
import { telcoBenchmark } from './modules/analytics/telco-benchmark.js';
import { hashPassword } from './modules/identity/password.js';
import type { ImportMapping } from './modules/imports/imports.types.js';
import { buildServices, type Services } from './services.js';
import { ensureLines, simulateUsage } from './sim/populate.js';
import { systemClock } from './platform/clock.js';
import { loadConfig } from './platform/config.js';
import { openDatabase } from './platform/database.js';
import { createDb, createPool } from './platform/db.js';
import { cryptoIds } from './platform/ids.js';
import { migrate } from './platform/migrate.js';
import { persistedSecret } from './platform/secrets.js';

const cliActor = { kind: 'system' as const, id: null, name: 'cli', ip: '', userAgent: 'telehall-cli' };

/** The configured database (embedded or DATABASE_URL), migrated, with every service, for one command. */
async function withServices<T>(fn: (s: Services) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const handle = await openDatabase(config, () => undefined);
  const pool = createPool(handle.url, 8);
  try {
    await migrate(pool, (m) => console.log(m));
    const jwtSecret = config.jwtSecret ?? (await persistedSecret(config.dataDir, 'jwt-secret'));
    const sandboxPaySecret = config.sandboxPaySecret ?? (await persistedSecret(config.dataDir, 'sandbox-pay-secret'));
    const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret, sandboxPaySecret });
    return await fn(s);
  } finally {
    await pool.end();
    await handle.embedded?.stop();
  }
}

const bar = (label: string) => new SingleBar({ format: `${label} [{bar}] {percentage}% | {value}/{total} {unit} | {eta_formatted} left`, hideCursor: true }, Presets.shades_classic);

const program = new Command('telehall').description('Telehall operator platform: operations from the command line');

program.command('migrate').description('apply pending database migrations and exit').action(() => withServices(async () => console.log('migrations up to date')));

program
  .command('staff:password')
  .description('set a staff user’s password (e.g. a lost admin password); unlocks the account')
  .argument('<username>')
  .requiredOption('--password <password>', 'the new password (at least 10 characters)')
  .action((username: string, opts: { password: string }) =>
    withServices(async (s) => {
      if (opts.password.length < 10) throw new Error('the password must be at least 10 characters');
      const res = await s.db.updateTable('staff_user')
        .set({ password_hash: await hashPassword(opts.password), failed_login_count: 0, locked_until: null, updated_at: new Date() })
        .where('username', '=', username).executeTakeFirst();
      if (res.numUpdatedRows === 0n) throw new Error(`no staff user named ${username}`);
      console.log(`password set for ${username}`);
    }),
  );

program
  .command('service:token')
  .description('create a service credential for a charging feed (POST /api/usage-events); the token is shown once')
  .argument('<name>')
  .action((name: string) => withServices(async (s) => console.log(await s.charging.createServiceToken(name))));

program
  .command('simulate')
  .description('realistic usage for demos and benchmarks: opens lines as needed, then rates D days of usage ending yesterday')
  .option('--lines <n>', 'number of lines', '100')
  .option('--days <d>', 'days of usage', '30')
  .option('--seed <s>', 'random seed (same seed, same usage)', '1')
  .option('--usage-only', 'usage only: no add-on purchases, running dry, top-ups or closed lines')
  .action((o: { lines: string; days: string; seed: string; usageOnly?: boolean }) =>
    withServices(async (s) => {
      const lines = Number(o.lines), days = Number(o.days), seed = Number(o.seed);
      if (!(lines > 0 && days > 0 && Number.isInteger(lines) && Number.isInteger(days))) throw new Error('--lines and --days must be positive whole numbers');
      const openedAt = new Date(Date.now() - days * 86_400_000);
      const b1 = bar('lines');
      b1.start(lines, 0, { unit: 'lines' });
      const sims = await ensureLines(s, cliActor, lines, { openedAt, seed, months: Math.ceil(days / 30), onProgress: (n) => b1.update(n) });
      b1.update(lines);
      b1.stop();
      const b2 = bar('usage');
      b2.start(days, 0, { unit: 'days' });
      const t0 = Date.now();
      const r = await simulateUsage(s, sims, { days, seed, behaviour: !o.usageOnly, onDay: (d) => b2.update(d) });
      b2.stop();
      await s.dispatcher.drain();
      const a = r.actions ? ` · ${r.actions.addons} add-ons bought, ${r.actions.suspended} ran dry, ${r.actions.topups} top-ups, ${r.actions.closed} lines closed` : '';
      console.log(`${r.events} records (${r.accepted} new) in ${((Date.now() - t0) / 1000).toFixed(1)} s${a}`);
    }),
  );

const usage = program.command('usage').description('usage records');
usage
  .command('ingest')
  .description('rate a file of usage records: CSV with header id,msisdn,type,quantity,startedAt, or JSON lines')
  .argument('<file>')
  .option('--batch <n>', 'records per batch', '10000')
  .action((file: string, o: { batch: string }) =>
    withServices(async (s) => {
      const size = statSync(file).size;
      const b = bar('ingest');
      b.start(size, 0, { unit: 'bytes' });
      const batchSize = Math.min(10_000, Math.max(1, Number(o.batch) || 10_000));
      const totals = { accepted: 0, duplicates: 0, rejected: 0 };
      const reasons = new Map<string, number>();
      let header: string[] | undefined;
      let batch: unknown[] = [];
      let read = 0;
      const flush = async () => {
        if (!batch.length) return;
        const r = await s.charging.ingest(batch);
        totals.accepted += r.accepted;
        totals.duplicates += r.duplicates;
        totals.rejected += r.rejected.length;
        for (const x of r.rejected) reasons.set(x.code, (reasons.get(x.code) ?? 0) + 1);
        batch = [];
        b.update(read);
      };
      const rl = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
      for await (const raw of rl) {
        read += Buffer.byteLength(raw) + 1;
        const line = raw.trim();
        if (!line) continue;
        if (line.startsWith('{')) {
          try {
            batch.push(JSON.parse(line));
          } catch {
            batch.push(null);
          }
        } else if (!header) {
          header = line.split(',').map((h) => h.trim());
          continue;
        } else {
          const cells = line.split(',');
          const rec: Record<string, unknown> = Object.fromEntries(header.map((h, i) => [h, cells[i]?.trim()]));
          if (typeof rec.quantity === 'string' && /^\d+$/.test(rec.quantity)) rec.quantity = Number(rec.quantity);
          batch.push(rec);
        }
        if (batch.length >= batchSize) await flush();
      }
      await flush();
      b.update(size);
      b.stop();
      await s.dispatcher.drain();
      console.log(`accepted ${totals.accepted}, duplicates ${totals.duplicates}, rejected ${totals.rejected}`);
      for (const [code, n] of reasons) console.log(`  ${code}: ${n}`);
    }),
  );


const bills = program.command('bills').description('monthly bills');
bills
  .command('run')
  .description('bill every line for a closed cycle; re-running creates only the bills still missing')
  .requiredOption('--cycle <yyyy-mm>', 'the cycle, e.g. 2026-11')
  .action((o: { cycle: string }) =>
    withServices(async (s) => {
      const b = bar('bills');
      let started = false;
      const r = await s.billing.run(o.cycle, (done, total) => {
        if (!started) {
          b.start(total, 0, { unit: 'lines' });
          started = true;
        }
        b.update(done);
      });
      b.stop();
      await s.dispatcher.drain();
      console.log(`cycle ${r.cycle}: ${r.lines} lines, ${r.created} bills created, ${r.existing} already existed`);
    }),
  );

program
  .command('import')
  .description('import customers from a CSV or XLSX file for a channel (the channel\'s saved mapping, or a suggested one); idempotent per file + mapping')
  .argument('<file>')
  .requiredOption('--channel <name>', 'channel the customers come from (e.g. business_hall, call_centre, online)')
  .option('--mapping <json>', 'a mapping JSON file (saved for the channel)')
  .action((file: string, o: { channel: string; mapping?: string }) =>
    withServices(async (s) => {
      const mapping = o.mapping ? ({ ...(JSON.parse(readFileSync(o.mapping, 'utf8')) as ImportMapping), channel: o.channel }) : await s.imports.mapping(o.channel);
      const b = bar('import');
      b.start(1000, 0, { unit: '‰' });
      const job = await s.imports.importFile(cliActor, file, o.channel, mapping, (j) => b.update(Math.round(j.progress * 1000)));
      b.update(1000);
      b.stop();
      if (job.replayed) console.log('this file was already imported with this mapping: its report follows');
      console.log(`${job.status}: ${job.rowsProcessed} rows; inserted ${job.totals.inserted}, updated ${job.totals.updated}, merged ${job.totals.merged}, unchanged ${job.totals.unchanged}, rejected ${job.totals.rejected}`);
      for (const [code, n] of Object.entries(job.rejectedByCode)) console.log(`  ${code}: ${n}`);
      if (job.totals.rejected > 0) console.log(`rejected rows: GET /api/admin/imports/${job.id}/rejected.csv`);
      if (job.status === 'failed') throw new Error(job.error ?? 'import failed');
    }),
  );

const analytics = program.command('analytics').description('segmentation and prediction');
analytics
  .command('telco')
  .description('CART on the IBM Telco churn CSV next to scikit-learn’s reference numbers (no database needed)')
  .argument('[csv]', 'path to telco-customer-churn.csv (default: server/seed-data/, then ../shared/data/)')
  .action(async (csv?: string) => {
    const r = await telcoBenchmark(csv ? [csv] : undefined);
    console.log(`${r.file}: ${r.rows} rows, ${r.features} features; ${r.split}; ${r.params}; fit ${r.fitSeconds.toFixed(3)} s`);
    for (const k of ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const) console.log(`  ${k.padEnd(10)} telehall ${r.ours[k].toFixed(4)}   scikit-learn 1.2 ${r.sklearn[k].toFixed(4)}`);
    console.log(`  top features: ${r.topFeatures.slice(0, 5).map((f) => `${f.feature} ${f.importance.toFixed(3)}`).join(', ')}`);
  });
analytics
  .command('features')
  .description('recompute every customer’s features now (a new snapshot)')
  .action(() => withServices(async (s) => console.log(JSON.stringify(await s.analytics.refreshFeatures()))));

program.parseAsync().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
