import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import pino from 'pino';
import { buildApp } from '../src/app.js';
import { buildServices, type Services } from '../src/services.js';
import { systemClock, type Clock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { createDb, createPool } from '../src/platform/db.js';
import { cryptoIds } from '../src/platform/ids.js';

export interface TestContext {
  app: FastifyInstance;
  s: Services;
  dbUrl: string;
  close(): Promise<void>;
}

let counter = 0;

/** A fresh database cloned from the migrated template, and the app on it. */
export async function createTestContext(opts: { clock?: Clock; rateLimitScale?: number; env?: Record<string, string> } = {}): Promise<TestContext> {
  const adminUrl = process.env.TEST_PG_URL;
  const template = process.env.TEST_TEMPLATE_DB;
  if (!adminUrl || !template) throw new Error('run tests with `npm test` (it prepares the database)');
  const name = `th_t_${process.env.TEST_RUN_ID}_${process.pid}_${counter++}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
      break;
    } catch (err) {
      // Another file may be cloning the template at this very moment.
      if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dbUrl = url.toString();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: dbUrl,
    TELEHALL_JWT_SECRET: randomBytes(32).toString('base64'),
    TELEHALL_SANDBOX_PAY_SECRET: randomBytes(32).toString('base64'),
    DATA_DIR: `.test-data/${process.env.TEST_RUN_ID}/data`,
    LOG_LEVEL: 'silent',
    ...opts.env,
  });
  const pool = createPool(dbUrl, 10);
  const s = buildServices({
    config,
    db: createDb(pool),
    pool,
    clock: opts.clock ?? systemClock,
    ids: cryptoIds,
    log: pino({ level: 'silent' }),
    jwtSecret: config.jwtSecret!,
  });
  const app = await buildApp(s, { rateLimitScale: opts.rateLimitScale ?? 100 });
  await app.ready();
  return {
    app,
    s,
    dbUrl,
    async close() {
      await app.close();
      await pool.end();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await a.end();
    },
  };
}
