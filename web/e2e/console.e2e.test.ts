import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser, serve, watchErrors, type Served, consoleLogin } from './support.js';

describe('staff console in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    await srv.s.staff.ensureInitialAdmin('admin-pass-123');
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('an admin signs in, creates an agent and sees the audit record', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, 'admin', 'admin-pass-123');

    await page.getByTestId('nav-users').click();
    await page.getByTestId('staff-create').click();
    await page.getByTestId('staff-username').fill('li.agent');
    await page.getByTestId('staff-displayname').fill('李客服');
    await page.getByTestId('staff-password').fill('agent-pass-123');
    // antd Select: open it and pick the agent role by its label.
    await page.locator('#staff-role').click();
    await page.locator('.ant-select-item-option[title="客服"], .ant-select-item-option').filter({ hasText: /客服|agent/i }).first().click();
    await page.getByTestId('staff-submit').click();
    await page.getByTestId('staff-row-li.agent').waitFor();

    const created = await srv.s.db.selectFrom('staff_user').select(['id', 'role']).where('username', '=', 'li.agent').executeTakeFirstOrThrow();
    assert.equal(created.role, 'agent');

    await page.getByTestId('nav-audit').click();
    const row = page.locator('tr', { hasText: 'staff_user.create' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /admin/);

    // The new agent can sign in to the console.
    const ctx = await browser.newContext();
    const agentPage = await ctx.newPage();
    await agentPage.goto(`${srv.base}/console/login`);
    await agentPage.getByTestId('console-login-username').fill('li.agent');
    await agentPage.getByTestId('console-login-password').fill('agent-pass-123');
    await agentPage.getByTestId('console-login-submit').click();
    await agentPage.getByTestId('header-role').waitFor();
    assert.equal(await agentPage.getByTestId('nav-users').count(), 0, 'agents do not see staff administration');
    await ctx.close();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
