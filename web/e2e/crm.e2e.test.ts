import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { hashPassword } from '../../server/src/modules/identity/password.js';
import { launchBrowser, serve, watchErrors, type Served, consoleLogin } from './support.js';

const FIXTURE = path.resolve(import.meta.dirname, '../../server/test/fixtures/imports/messy-customers.csv');

async function signIn(page: Page, base: string, username: string, password: string) {
  await consoleLogin(page, base, username, password, '/console/login');
}

describe('CRM console in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    await srv.s.staff.ensureInitialAdmin('admin-pass-123');
    const now = new Date();
    await srv.s.db.insertInto('staff_user')
      .values({ id: srv.s.ids.uuid(), username: 'wang.agent', display_name: '王客服', password_hash: await hashPassword('agent-pass-123'), role: 'agent', locked_until: null, created_at: now, updated_at: now })
      .execute();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('an admin imports a file with an edited mapping and sees the report', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await signIn(page, srv.base, 'admin', 'admin-pass-123');
    await page.getByTestId('nav-imports').click();
    await page.getByTestId('import-channel').fill('e2e_hall');
    await page.getByTestId('import-file').setInputFiles(FIXTURE);
    await page.getByTestId('import-upload').click();
    await page.getByTestId('import-preview').waitFor();
    assert.match(await page.getByTestId('mapping-source').innerText(), /自动建议/);
    // Edit the mapping: drop the remarks column instead of keeping it as an extra.
    await page.locator('thead').getByTestId('map-备注').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: /^忽略$/ }).click();
    await page.getByTestId('import-run').click();
    await page.getByTestId('import-status').filter({ hasText: '已完成' }).waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('import-inserted').innerText(), '9');
    assert.equal(await page.getByTestId('import-rejected').innerText(), '11');
    const rejected = page.getByTestId('import-rejected-rows');
    assert.match(await rejected.innerText(), /phone_invalid/);
    const job = await srv.s.db.selectFrom('import_job').select(['mapping']).executeTakeFirstOrThrow();
    assert.equal((job.mapping as { columns: Record<string, string> }).columns['备注'], 'ignore');
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an agent sees a customer 360 masked; an admin sees the full number after the audited unmask', async () => {
    const c = await srv.s.db.selectFrom('customer').select('id').where('phone', '=', '13800138000').executeTakeFirstOrThrow();

    const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const agent = await ctx.newPage();
    const agentErrors = watchErrors(agent);
    await signIn(agent, srv.base, 'wang.agent', 'agent-pass-123');
    await agent.getByTestId('nav-customers').click();
    await agent.getByTestId('customer-q').fill('张三');
    await agent.getByTestId('customer-search').click();
    await agent.getByTestId(`customer-row-${c.id}`).click();
    await agent.getByTestId('c360-name').filter({ hasText: '张三' }).waitFor();
    assert.equal(await agent.getByTestId('c360-phone').innerText(), '138****8000');
    assert.equal(await agent.getByTestId('c360-unmask').count(), 0, 'agents cannot unmask');
    assert.ok(!(await agent.content()).includes('13800138000'));
    assert.deepEqual(agentErrors, []);
    await ctx.close();

    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await signIn(page, srv.base, 'admin', 'admin-pass-123');
    await page.goto(`${srv.base}/console/customers/${c.id}`);
    await page.getByTestId('c360-phone').filter({ hasText: '138****8000' }).waitFor();
    await page.getByTestId('c360-unmask').click();
    await page.getByTestId('c360-phone').filter({ hasText: '13800138000' }).waitFor();
    assert.equal(await page.getByTestId('c360-id-number').innerText(), '110105199003071239');
    const audit = await srv.s.db.selectFrom('audit_log').select(['actor_name']).where('action', '=', 'customer.unmask').where('resource_id', '=', c.id).execute();
    assert.deepEqual(audit.map((a) => a.actor_name), ['admin']);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
