import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { staffLogin } from '../../../test/factories.js';
import { freePort } from '../../../test/net.js';
import { startServerProcess } from '../../../test/server-process.js';
import { openCsv } from './csv-stream.js';
import { runImport } from './imports.pipeline.js';
import { suggestMapping } from './mapping.js';
const ROWS = 150_000;


/** A messy file: unique phones, every 37th row repeats an earlier phone (with an e-mail to merge), every 53rd a bad phone. */
function writeFile(file: string): void {
  let out = '姓名,手机号,邮箱,标签\n';
  for (let i = 0; i < ROWS; i++) {
    const phone = i % 53 === 0 ? `12${i}` : i % 37 === 0 && i > 0 ? `139${String(i - 1).padStart(8, '0')}` : `139${String(i).padStart(8, '0')}`;
    out += `客户${i},${phone},${i % 37 === 0 ? `c${i}@example.com` : ''},${i % 5 === 0 ? 'VIP' : ''}\n`;
  }
  writeFileSync(file, out);
}

describe('crash during an import', () => {
  let t: TestContext;
  let dataDir: string;
  before(async () => {
    t = await createTestContext();
    dataDir = mkdtempSync(path.join(tmpdir(), 'telehall-import-crash-'));
  });
  after(async () => {
    await t.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('kill -9 mid-run, restart: the job resumes after its checkpoint and ends with the uninterrupted report', async () => {
    const file = path.join(dataDir, 'crash.csv');
    writeFile(file);
    const channel = `crash${process.pid}`;
    // What an uninterrupted run reports, from the pure pipeline: every clean record is a new customer.
    const header = (await openCsv(createReadStream(file))).header;
    const mapping = suggestMapping(header, channel);
    let records = 0;
    const expected = await runImport({ reader: await openCsv(createReadStream(file)), mapping, onBatch: (b) => void (records += b.records.length) });
    assert.ok(expected.totals.rejected > 0 && records > 100_000);

    const { username, password } = await staffLogin(t.app, t.s, 'admin');
    const port = await freePort();
    const first = await startServerProcess(t.dbUrl, port, dataDir);
    let jobId: string;
    try {
      const base = `http://127.0.0.1:${port}`;
      const login = await fetch(`${base}/api/auth/staff/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      const token = ((await login.json()) as { accessToken: string }).accessToken;
      const auth = { authorization: `Bearer ${token}` };
      const up = await fetch(`${base}/api/admin/imports/uploads?channel=${channel}&fileName=crash.csv`, { method: 'POST', headers: { ...auth, 'content-type': 'text/csv' }, body: readFileSync(file) });
      assert.equal(up.status, 201);
      const preview = (await up.json()) as { uploadId: string; mapping: unknown };
      const started = await fetch(`${base}/api/admin/imports`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ uploadId: preview.uploadId, channel, mapping: preview.mapping }) });
      assert.equal(started.status, 202);
      jobId = ((await started.json()) as { id: string }).id;
      // Kill the server as soon as the first chunk is committed.
      for (let i = 0; ; i++) {
        const j = await t.s.db.selectFrom('import_job').select(['status', 'checkpoint_row', 'inserted']).where('id', '=', jobId).executeTakeFirstOrThrow();
        if (j.checkpoint_row > 0 || j.status === 'done' || j.status === 'failed' || i > 2400) break;
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      first.kill('SIGKILL');
    }
    await new Promise((r) => first.once('exit', r));
    const atKill = await t.s.db.selectFrom('import_job').select(['status', 'checkpoint_row', 'inserted']).where('id', '=', jobId).executeTakeFirstOrThrow();
    assert.equal(atKill.status, 'running', 'the crash came mid-run');
    assert.ok(atKill.checkpoint_row > 0 && atKill.checkpoint_row < ROWS, `checkpoint ${atKill.checkpoint_row}`);

    const second = await startServerProcess(t.dbUrl, await freePort(), dataDir);
    try {
      for (let i = 0; i < 2400; i++) {
        const j = await t.s.db.selectFrom('import_job').select('status').where('id', '=', jobId).executeTakeFirstOrThrow();
        if (j.status !== 'running' && j.status !== 'queued') break;
        await new Promise((r) => setTimeout(r, 50));
      }
    } finally {
      second.kill('SIGTERM');
    }
    const job = await t.s.imports.get(jobId);
    assert.equal(job.status, 'done', job.error ?? '');
    const row = await t.s.db.selectFrom('import_job').select(['attempts', 'checkpoint_row']).where('id', '=', jobId).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 2, 'resumed once, not restarted from scratch by a second process');
    // Exactly the uninterrupted report: nothing lost, nothing counted twice.
    assert.equal(job.rowsProcessed, ROWS);
    // Merged: the repeats (i % 37 = 0) whose own phone and whose earlier row's phone are valid; each fills that customer's e-mail.
    let merges = 0;
    let ownEmail = 0;
    for (let i = 37; i < ROWS; i += 37) {
      if (i % 53 === 0) continue;
      if ((i - 1) % 53 === 0) ownEmail++;
      else merges++;
    }
    assert.deepEqual(job.totals, { inserted: records, updated: 0, merged: merges, unchanged: 0, rejected: expected.totals.rejected });
    assert.deepEqual(job.rejectedByCode, expected.rejectedByCode);
    const { n } = await t.s.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', channel).executeTakeFirstOrThrow();
    assert.equal(Number(n), records);
    const { r } = await t.s.db.selectFrom('import_rejection').select((eb) => eb.fn.countAll<number>().as('r')).where('job_id', '=', jobId).executeTakeFirstOrThrow();
    assert.equal(Number(r), expected.totals.rejected);
    // Before and after the crash alike, every repeat filled its customer's e-mail (or is a customer of its own).
    const { m } = await t.s.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('m')).where('channel', '=', channel).where('email', 'is not', null).executeTakeFirstOrThrow();
    assert.equal(Number(m), merges + ownEmail);
  });

  it('a chunk that meets an existing customer after direct COPYs rolls back and the job resumes through staging', async () => {
    const file = path.join(dataDir, 'late-match.csv');
    let out = '姓名,手机号\n';
    for (let i = 0; i < 60_000; i++) out += `late${i},137${String(i).padStart(8, '0')}\n`;
    writeFileSync(file, out);
    // The customer of row 50,002 exists already (another channel): chunks 1 and 2 COPY straight into customer, chunk 3 cannot.
    const now = t.s.clock.now();
    await t.s.db.insertInto('customer').values({ id: t.s.ids.uuid(), name: 'existing', phone: '13700050000', created_at: now, updated_at: now }).execute();
    const actor = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };
    const channel = `late${process.pid}`;
    const job = await t.s.imports.importFile(actor, file, channel, suggestMapping(['姓名', '手机号'], channel));
    assert.equal(job.status, 'done', job.error ?? '');
    assert.deepEqual(job.totals, { inserted: 59_999, updated: 1, merged: 0, unchanged: 0, rejected: 0 });
    const row = await t.s.db.selectFrom('import_job').select(['attempts']).where('id', '=', job.id).executeTakeFirstOrThrow();
    assert.equal(row.attempts, 2, 'the direct run, then the resume through staging');
    const c = await t.s.db.selectFrom('customer').select(['name', 'channel']).where('phone', '=', '13700050000').executeTakeFirstOrThrow();
    assert.equal(c.name, 'late50000');
    const { n } = await t.s.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('n')).where('phone', 'like', '137%').executeTakeFirstOrThrow();
    assert.equal(Number(n), 60_000);
  });
});
