/**
 * `npm test`: one PostgreSQL for the whole run (the embedded one, or
 * DATABASE_URL when set), a migrated template database, then node's test
 * runner over every test file; each file clones the template for itself.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPg, type EmbeddedPg } from '../server/src/platform/embedded-pg.js';
import { migrate } from '../server/src/platform/migrate.js';
import { freePort } from '../server/test/net.js';
import { buildWebIfStale } from './web-build.mjs';

const root = path.resolve(import.meta.dirname, '..');
const filters = process.argv.slice(2);

function findTests(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}


let files = [...findTests(path.join(root, 'server')), ...findTests(path.join(root, 'web', 'src')), ...findTests(path.join(root, 'web', 'e2e'))].sort();
if (filters.length) files = files.filter((f) => filters.some((x) => f.includes(x)));
if (!files.length) {
  console.error('no test files matched');
  process.exit(1);
}

if (files.some((f) => f.includes(`${path.sep}e2e${path.sep}`))) buildWebIfStale(root);

let embedded: EmbeddedPg | undefined;
let adminUrl: string;
const runId = `${process.pid}`;
const tmpDir = path.join(root, '.test-data', runId);
if (process.env.DATABASE_URL) {
  adminUrl = process.env.DATABASE_URL;
  console.log(`tests on DATABASE_URL (${new URL(adminUrl).host})`);
} else {
  embedded = await startEmbeddedPg({ dir: path.join(tmpDir, 'pg'), port: await freePort(), persistent: false, fast: true });
  adminUrl = embedded.url('postgres');
  console.log('tests on embedded PostgreSQL');
}

const template = `th_tpl_${runId}`;
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${template}`);
await admin.query(`CREATE DATABASE ${template}`);
const tplUrl = new URL(adminUrl);
tplUrl.pathname = `/${template}`;
const tplPool = new pg.Pool({ connectionString: tplUrl.toString(), max: 1 });
await migrate(tplPool);
await tplPool.end();

const started = Date.now();
const code = await new Promise<number>((resolve) => {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, '--test-reporter=spec', ...files],
    {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'test', TEST_PG_URL: adminUrl, TEST_TEMPLATE_DB: template, TEST_RUN_ID: runId },
    },
  );
  child.on('exit', (c, sig) => resolve(c ?? (sig ? 1 : 0)));
});
console.log(`test files: ${files.length}, wall time ${((Date.now() - started) / 1000).toFixed(1)} s`);

// Leave nothing behind on a shared server.
const { rows } = await admin.query<{ datname: string }>(
  `SELECT datname FROM pg_database WHERE datname LIKE $1 OR datname = $2`,
  [`th_t_${runId}_%`, template],
);
for (const r of rows) await admin.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => undefined);
await admin.end();
await embedded?.stop();
rmSync(tmpDir, { recursive: true, force: true });
process.exit(code);
