import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, staffLogin } from '../../../test/factories.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../../test/fixtures/imports/messy-customers.csv');

async function upload(t: TestContext, token: string, body: Buffer | string, channel: string, type = 'text/csv') {
  const res = await t.app.inject({ method: 'POST', url: `/api/admin/imports/uploads?channel=${channel}&fileName=messy.csv`, headers: { authorization: `Bearer ${token}`, 'content-type': type }, payload: body });
  return { status: res.statusCode, json: JSON.parse(res.body) };
}

async function runToEnd(t: TestContext, token: string, start: Record<string, unknown>) {
  const res = await call(t.app, 'POST', '/api/admin/imports', { token, body: start });
  assert.ok(res.status === 202 || res.status === 200, JSON.stringify(res.json));
  await t.s.imports.wait(res.json.id);
  const job = await call(t.app, 'GET', `/api/admin/imports/${res.json.id}`, { token });
  return { start: res, job: job.json };
}

describe('customer imports through the API', () => {
  let t: TestContext;
  let token: string;
  before(async () => {
    t = await createTestContext();
    token = (await staffLogin(t.app, t.s, 'admin')).tokens.accessToken;
  });
  after(() => t.close());

  it('imports the messy fixture: exact report, rejected rows as CSV, idempotent re-run', async () => {
    const file = await readFile(FIXTURE);
    const preview = await upload(t, token, file, 'business_hall');
    assert.equal(preview.status, 201, JSON.stringify(preview.json));
    assert.equal(preview.json.mappingSource, 'suggested');
    assert.equal(preview.json.header[1], '手机号');
    assert.equal(preview.json.mapping.columns['手机号'], 'phone');
    assert.equal(preview.json.rows.length, 10);

    const { start, job } = await runToEnd(t, token, { uploadId: preview.json.uploadId, channel: 'business_hall', mapping: preview.json.mapping });
    assert.equal(start.status, 202);
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.progress, 1);
    assert.equal(job.rowsProcessed, 20);
    assert.deepEqual(job.totals, { inserted: 9, updated: 0, merged: 0, unchanged: 0, rejected: 11 });
    // Rows 5, 6, 7 (same phone as row 2), 8 (bad ID check character), 10, 11, 12 (same ID as row 3), 16, 17, 18, 20.
    assert.deepEqual(job.rejectedSample.map((r: { row: number }) => r.row), [5, 6, 7, 8, 10, 11, 12, 16, 17, 18, 20]);
    assert.deepEqual(job.rejectedByCode, {
      phone_invalid: 1, required_missing: 1, duplicate_in_file: 2, id_number_checksum: 1, date_invalid: 1, email_invalid: 1, date_unparseable: 1, gender_invalid: 1,
      category_invalid: 1, money_negative: 1,
    });

    const stored = await t.s.db.selectFrom('customer').selectAll().where('phone', '=', '13800138000').executeTakeFirstOrThrow();
    assert.equal(stored.name, '张三');
    assert.equal(stored.id_number, '110105199003071239');
    assert.equal(stored.email, 'zhangsan@example.com');
    assert.deepEqual(stored.tags, ['VIP', '宽带']);
    assert.equal(stored.monthly_charge_fen, 5800);
    assert.equal(stored.channel, 'business_hall');

    const csv = await t.app.inject({ method: 'GET', url: `/api/admin/imports/${job.id}/rejected.csv`, headers: { authorization: `Bearer ${token}` } });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    const lines = csv.body.split('\r\n').filter(Boolean);
    assert.match(lines[0]!, /^\ufeffrow,column,code,message,姓名,手机号/);
    assert.ok(lines.some((l) => l.startsWith('5,手机号,phone_invalid,')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('7,,duplicate_in_file,') || /^7,[^,]*,duplicate_in_file,/.test(l)), lines.join('\n'));

    // Same file, same mapping: the same job and report, nothing written again.
    const again = await upload(t, token, file, 'business_hall');
    assert.equal(again.json.mappingSource, 'saved');
    const rerun = await call(t.app, 'POST', '/api/admin/imports', { token, body: { uploadId: again.json.uploadId, channel: 'business_hall', mapping: again.json.mapping } });
    assert.equal(rerun.status, 200);
    assert.equal(rerun.json.id, job.id);
    assert.equal(rerun.json.replayed, true);
    assert.deepEqual(rerun.json.totals, job.totals);

    // A different mapping of the same file converges: every clean row is unchanged or updated, none inserted.
    const edited = { ...again.json.mapping, columns: { ...again.json.mapping.columns, 备注: 'ignore' } };
    const second = await runToEnd(t, token, { uploadId: again.json.uploadId, channel: 'business_hall', mapping: edited });
    assert.notEqual(second.job.id, job.id);
    assert.equal(second.job.totals.inserted, 0);
    assert.equal(second.job.totals.rejected, 11);
    assert.equal(second.job.totals.updated + second.job.totals.unchanged, 9);
    const count = await t.s.db.selectFrom('customer').select((eb) => eb.fn.countAll<number>().as('n')).where('channel', '=', 'business_hall').executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 9);
  });

  it('merges every repeat of a key into the first row\'s customer, in file order', async () => {
    const csv = '姓名,手机号,邮箱,地址\n王五,13900139000,,\n王五,13900139000,wangwu@example.com,\n王五,+86 139 0013 9000,other@example.com,北京市朝阳区\n';
    const preview = await upload(t, token, csv, 'repeats');
    assert.equal(preview.status, 201, JSON.stringify(preview.json));
    const { job } = await runToEnd(t, token, { uploadId: preview.json.uploadId, channel: 'repeats', mapping: preview.json.mapping });
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.deepEqual(job.totals, { inserted: 1, updated: 0, merged: 2, unchanged: 0, rejected: 2 });
    assert.deepEqual(job.rejectedByCode, { duplicate_in_file: 2 });
    const c = await t.s.db.selectFrom('customer').selectAll().where('phone', '=', '13900139000').executeTakeFirstOrThrow();
    assert.equal(c.email, 'wangwu@example.com', 'the first repeat fills the blank; a later one does not overwrite it');
    assert.equal(c.address, '北京市朝阳区');
  });

  it('refuses bad input with stable 4xx codes', async () => {
    const empty = await upload(t, token, '', 'x');
    assert.equal(empty.status, 400);
    const json = await call(t.app, 'POST', '/api/admin/imports/uploads?channel=x', { token, body: { a: 1 } });
    assert.equal(json.status, 400);
    assert.equal(json.json.code, 'import_content_type');
    const p = await upload(t, token, 'a,b\n1,2\n', 'nokey');
    const noKey = await call(t.app, 'POST', '/api/admin/imports', { token, body: { uploadId: p.json.uploadId, channel: 'nokey', mapping: p.json.mapping } });
    assert.equal(noKey.status, 400);
    assert.equal(noKey.json.code, 'import_mapping_no_natural_key');
    const missing = await call(t.app, 'POST', '/api/admin/imports', { token, body: { uploadId: '00000000-0000-4000-8000-000000000000', channel: 'x', mapping: p.json.mapping } });
    assert.equal(missing.status, 404);
    const agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    const denied = await upload(t, agent, 'a\n', 'x');
    assert.equal(denied.status, 403);
  });
});

describe('the demo seed’s telco sample', () => {
  let t: TestContext;
  before(async () => {
    t = await createTestContext();
  });
  after(() => t.close());

  it('imports all 7,043 rows as channel ibm-telco, and a second import changes nothing', async () => {
    const { TELCO_SAMPLE } = await import('../../seed/demo.js');
    const { TELCO_CHURN_MAPPING } = await import('./mapping.presets.js');
    const actor = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };
    const started = Date.now();
    const job = await t.s.imports.importFile(actor, TELCO_SAMPLE, 'ibm-telco', { ...TELCO_CHURN_MAPPING, channel: 'ibm-telco' });
    assert.equal(job.status, 'done', job.error ?? '');
    assert.deepEqual(job.totals, { inserted: 7043, updated: 0, merged: 0, unchanged: 0, rejected: 0 });
    assert.ok(Date.now() - started < 20_000);
    const c = await t.s.db.selectFrom('customer').selectAll().where('channel', '=', 'ibm-telco').where('external_id', '=', '7590-VHVEG').executeTakeFirstOrThrow();
    assert.equal(c.gender, 'female');
    assert.equal(c.monthly_charge_fen, 2985);
    assert.equal(c.extras.Contract, 'Month-to-month');
    const again = await t.s.imports.importFile(actor, TELCO_SAMPLE, 'ibm-telco', { ...TELCO_CHURN_MAPPING, channel: 'ibm-telco' });
    assert.equal(again.id, job.id);
    assert.equal(again.replayed, true);
  });
});
