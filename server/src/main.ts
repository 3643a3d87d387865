import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildApp } from './app.js';
import { seedDemo } from './seed/demo.js';
import { buildServices } from './services.js';
import { systemClock } from './platform/clock.js';
import { ConfigError, loadConfig, type Config } from './platform/config.js';
import { openDatabase } from './platform/database.js';
import { createDb, createPool } from './platform/db.js';
import { cryptoIds } from './platform/ids.js';
import { createLogger } from './platform/logging.js';
import { migrate } from './platform/migrate.js';
import { connectJetStream, createPublisher } from './platform/nats.js';
import { persistedSecret } from './platform/secrets.js';

let config: Config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

const log = createLogger(config.logLevel);
const started = Date.now();
const database = await openDatabase(config, (m) => log.info(m));
const pool = createPool(database.url, 20);
await migrate(pool, (m) => log.info(m));
const db = createDb(pool);
const jwtSecret = config.jwtSecret ?? (await persistedSecret(config.dataDir, 'jwt-secret'));
const sandboxPaySecret = config.sandboxPaySecret ?? (await persistedSecret(config.dataDir, 'sandbox-pay-secret'));
const services = buildServices({ config, db, pool, clock: systemClock, ids: cryptoIds, log, jwtSecret, sandboxPaySecret });

const adminPassword = config.adminPassword ?? cryptoIds.token(12);
if (await services.staff.ensureInitialAdmin(adminPassword)) {
  if (!config.adminPassword) {
    const file = path.join(config.dataDir, 'initial-admin-password');
    await writeFile(file, adminPassword + '\n', { mode: 0o600 });
    console.log(`\n  First admin created. Username: admin  Password: ${adminPassword}\n  (also written to ${file}; change it after signing in)\n`);
  } else {
    log.info('first admin created with TELEHALL_ADMIN_PASSWORD');
  }
}
if (config.seed === 'demo') await seedDemo(services);

// Background work: outbox delivery (and to NATS JetStream when configured), cycle rollover (catching up at start).
services.dispatcher.start();
services.notify.start();
services.campaignScheduler.start();
const broker = config.natsUrl ? await connectJetStream(config.natsUrl) : undefined;
const publisher = broker ? createPublisher({ db, clock: systemClock, log, broker }) : undefined;
publisher?.start();
if (broker) log.info('publishing events to NATS JetStream (stream TELEHALL, subjects telehall.>)');
const rolled = await services.charging.rolloverDue();
if (rolled) log.info({ lines: rolled }, 'caught up missed cycle rollovers');
let rolling: Promise<unknown> = Promise.resolve();
const rollover = setInterval(() => {
  rolling = services.charging.rolloverDue().catch((err: unknown) => log.error({ err }, 'cycle rollover failed'));
}, 60_000);
// Payments: expire unpaid top-ups, run auto top-ups for lines below their threshold.
let paying: Promise<unknown> = Promise.resolve();
const paymentJobs = setInterval(() => {
  paying = Promise.all([services.payments.expireDue(), services.paymentFlows.runAutoTopups()]).catch((err: unknown) => log.error({ err }, 'payment jobs failed'));
}, 60_000);
// Loyalty: retire expired points, warn 30 days ahead, wipe closed lines' points, monthly tiers.
let loyaltyRun: Promise<unknown> = Promise.resolve();
const loyaltyJobs = setInterval(() => {
  loyaltyRun = services.loyaltyFlows.runJobs().catch((err: unknown) => log.error({ err }, 'loyalty jobs failed'));
}, 60_000);

const stopNightly = services.analytics.startNightly();

const app = await buildApp(services);
await app.listen({ port: config.port, host: config.host });
// Imports that were running (or queued) when the last server stopped or died resume after their checkpoint.
const resumedImports = await services.imports.recover();
if (resumedImports.length) log.info({ jobs: resumedImports }, 'resuming interrupted imports');
log.info({ ms: Date.now() - started }, `Telehall ready on http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'shutting down');
  clearInterval(rollover);
  clearInterval(paymentJobs);
  clearInterval(loyaltyJobs);
  stopNightly();
  await app.close().catch(() => undefined);
  await rolling;
  await paying;
  await loyaltyRun;
  await services.analytics.idle();
  await services.imports.stop();
  await services.dispatcher.stop();
  await services.notify.stop();
  await services.campaignScheduler.stop();
  await publisher?.stop();
  await broker?.close().catch(() => undefined);
  await pool.end().catch(() => undefined);
  await database.embedded?.stop().catch(() => undefined);
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
