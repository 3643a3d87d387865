import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { createTestContext, type TestContext } from '../../../test/harness.js';
import { call, makeLine, makePlan, newPhone, staffLogin } from '../../../test/factories.js';

describe('customers in the console: masking, unmasking, export, 360', () => {
  let t: TestContext;
  let admin: string;
  let agent: string;
  let analyst: string;
  let a: { lineId: string; msisdn: string; customerId: string };
  let b: { lineId: string; msisdn: string; customerId: string };
  const auditOf = (action: string, id?: string) =>
    t.s.db.selectFrom('audit_log').selectAll().where('action', '=', action).$if(id !== undefined, (q) => q.where('resource_id', '=', id!)).execute();

  before(async () => {
    t = await createTestContext();
    admin = (await staffLogin(t.app, t.s, 'admin')).tokens.accessToken;
    agent = (await staffLogin(t.app, t.s, 'agent')).tokens.accessToken;
    analyst = (await staffLogin(t.app, t.s, 'analyst')).tokens.accessToken;
    const plan = await makePlan(t.s);
    a = await makeLine(t.s, plan.id);
    b = await makeLine(t.s, plan.id);
    await t.s.charging.ingest([{ id: `u-a-${a.lineId}`, msisdn: a.msisdn, type: 'sms', quantity: 3, startedAt: new Date().toISOString() }]);
    await t.s.charging.ingest([{ id: `u-b-${b.lineId}`, msisdn: b.msisdn, type: 'voice', quantity: 60, startedAt: new Date().toISOString() }]);
  });
  after(() => t.close());

  it('creates and edits a profile; phone and ID are masked for every read, searches are audited', async () => {
    const phone = newPhone();
    const created = await call(t.app, 'POST', '/api/admin/customers', {
      token: agent,
      body: { name: '王小明', phone, idNumber: '110105199003071239', category: 'student', tags: ['校园'], consent: { sms: true, email: false, push: false } },
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    assert.equal(created.json.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
    assert.equal(created.json.idNumber, '110***********1239');
    assert.equal(created.json.masked, true);
    const dup = await call(t.app, 'POST', '/api/admin/customers', { token: agent, body: { name: 'x', phone } });
    assert.equal(dup.status, 409);
    assert.equal(dup.json.code, 'customer_phone_taken');
    const badCat = await call(t.app, 'PATCH', `/api/admin/customers/${created.json.id}`, { token: agent, body: { category: 'nosuch' } });
    assert.equal(badCat.status, 400);
    assert.equal(badCat.json.code, 'category_unknown');

    for (const q of [`q=${phone}`, 'q=110105199003071239', `q=${encodeURIComponent('王小')}`, `tag=${encodeURIComponent('校园')}`]) {
      const found = await call(t.app, 'GET', `/api/admin/customers?${q}`, { token: analyst });
      assert.equal(found.status, 200);
      assert.deepEqual(found.json.items.map((c: { id: string }) => c.id), [created.json.id], q);
      assert.ok(!JSON.stringify(found.json).includes(phone));
    }
    const searches = await auditOf('customer.search');
    assert.equal(searches.length, 4);
    assert.ok(!JSON.stringify(searches).includes('110105199003071239'), 'the ID number searched for is masked in the audit log');
  });

  it('unmasking needs personal_data.view and is audited', async () => {
    const denied = await call(t.app, 'POST', `/api/admin/customers/${a.customerId}/unmask`, { token: agent });
    assert.equal(denied.status, 403);
    const viewed = await call(t.app, 'GET', `/api/admin/customers/${a.customerId}`, { token: admin });
    assert.equal(viewed.json.phone, `${a.msisdn.slice(0, 3)}****${a.msisdn.slice(-4)}`);
    const un = await call(t.app, 'POST', `/api/admin/customers/${a.customerId}/unmask`, { token: admin });
    assert.equal(un.status, 200);
    assert.equal(un.json.phone, a.msisdn);
    assert.deepEqual(un.json.lines, [{ id: a.lineId, msisdn: a.msisdn }]);
    const records = await auditOf('customer.unmask', a.customerId);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.actor_kind, 'staff');
    assert.equal((await auditOf('customer.view', a.customerId)).length, 1);
    const missing = await call(t.app, 'POST', '/api/admin/customers/00000000-0000-4000-8000-000000000000/unmask', { token: admin });
    assert.equal(missing.status, 404);
  });

  it('export needs customers.export (admin only), is audited, and gives CSV or XLSX', async () => {
    for (const token of [agent, analyst]) assert.equal((await call(t.app, 'GET', '/api/admin/customers/export', { token })).status, 403);
    const csv = await t.app.inject({ method: 'GET', url: '/api/admin/customers/export?format=csv', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(csv.statusCode, 200);
    assert.match(csv.headers['content-type'] as string, /text\/csv/);
    assert.ok(csv.body.includes(a.msisdn) && csv.body.includes(b.msisdn));
    const xlsx = await t.app.inject({ method: 'GET', url: '/api/admin/customers/export?format=xlsx', headers: { authorization: `Bearer ${admin}` } });
    assert.equal(xlsx.statusCode, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
    const ws = wb.worksheets[0]!;
    assert.equal(ws.getRow(1).getCell(4).value, 'phone');
    assert.ok(ws.rowCount >= 3);
    const audits = await auditOf('customers.export');
    assert.deepEqual(audits.map((r) => (r.details as { format: string }).format).sort(), ['csv', 'xlsx']);
  });

  it('the 360 view shows only this customer’s lines, usage, interactions and timeline, masked', async () => {
    const note = await call(t.app, 'POST', `/api/admin/customers/${a.customerId}/interactions`, { token: agent, body: { channel: 'call_centre', summary: '咨询流量包' } });
    assert.equal(note.status, 201);
    await call(t.app, 'POST', `/api/admin/customers/${b.customerId}/interactions`, { token: agent, body: { channel: 'business_hall', summary: 'B 的备注' } });
    const v = await call(t.app, 'GET', `/api/admin/customers/${a.customerId}/360`, { token: agent });
    assert.equal(v.status, 200, JSON.stringify(v.json));
    assert.equal(v.json.customer.id, a.customerId);
    assert.deepEqual(v.json.lines.map((l: { id: string }) => l.id), [a.lineId]);
    assert.equal(v.json.lines[0].msisdn, `${a.msisdn.slice(0, 3)}****${a.msisdn.slice(-4)}`);
    assert.deepEqual(v.json.usage.map((u: { lineId: string }) => u.lineId), [a.lineId]);
    assert.ok(v.json.recentUsage.length >= 1);
    assert.ok(v.json.recentUsage.every((r: { lineId: string; type: string }) => r.lineId === a.lineId && r.type === 'sms'));
    assert.deepEqual(v.json.interactions.map((i: { summary: string }) => i.summary), ['咨询流量包']);
    const kinds = v.json.timeline.map((e: { kind: string }) => e.kind);
    assert.ok(kinds.includes('interaction') && kinds.includes('line_opened') && kinds.includes('customer_created'));
    assert.ok(!JSON.stringify(v.json).includes(a.msisdn) && !JSON.stringify(v.json).includes(b.msisdn) && !JSON.stringify(v.json).includes(b.lineId));
    assert.equal((await auditOf('customer.view.360', a.customerId)).length, 1);
    const nf = await call(t.app, 'GET', '/api/admin/customers/00000000-0000-4000-8000-000000000000/360', { token: agent });
    assert.equal(nf.status, 404);
    assert.equal(nf.json.code, 'customer_not_found');
  });

  it('dashboard figures', async () => {
    const d = await call(t.app, 'GET', '/api/admin/dashboard', { token: analyst });
    assert.equal(d.status, 200, JSON.stringify(d.json));
    assert.ok(d.json.activeLines >= 2);
    assert.ok(d.json.customersByCategory.some((c: { key: string }) => c.key === 'regular'));
    assert.ok(d.json.arpuByMonth.length >= 1);
    const m = d.json.arpuByMonth.at(-1);
    assert.ok(Number.isInteger(m.arpu.amount) && m.arpu.amount >= 3900, JSON.stringify(m));
  });
});
