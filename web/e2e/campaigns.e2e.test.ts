import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../server/src/modules/identity/password.js';
import { balanceOf, call, lastCode, makeLine, makePlan, systemActor } from '../../server/test/factories.js';
import { consoleLogin, launchBrowser, serve, watchErrors, type Served } from './support.js';

describe('campaigns in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    const now = new Date();
    for (const [username, role] of [['li.marketer', 'marketer'], ['zhao.analyst', 'analyst']] as const) {
      await srv.s.db.insertInto('staff_user')
        .values({ id: srv.s.ids.uuid(), username, display_name: username, password_hash: await hashPassword('staff-pass-123'), role, locked_until: null, created_at: now, updated_at: now })
        .execute();
    }
    // Background work as in production: the outbox dispatcher (message fan-out) and the campaign scheduler.
    srv.s.dispatcher.start(100);
    srv.s.campaignScheduler.start(500);
  });
  after(async () => {
    await srv?.s.campaignScheduler.stop();
    await srv?.s.dispatcher.stop();
    await browser?.close();
    await srv?.close();
  });

  it('a marketer builds, a second staff user approves and launches; the subscriber takes the offer; the report counts it', async () => {
    const plan = await makePlan(srv.s, { monthlyFeeFen: 1900 });
    await srv.s.catalog.createAddon(systemActor, { code: 'e2e_5gb', nameZh: 'E2E流量包', nameEn: 'E2E data pack', kind: 'data', quantity: 5 * 1024 ** 3, validityDays: 30, priceFen: 2000 });
    const line = await makeLine(srv.s, plan.id, { balanceFen: 10_000 });
    await call(srv.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(srv.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(srv.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);

    // The marketer builds the campaign: plan rule, add-on offer at 50% off, no hold-out (one subscriber).
    const ctx = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const m = await ctx.newPage();
    const errors = watchErrors(m);
    await consoleLogin(m, srv.base, 'li.marketer', 'staff-pass-123', '/console/login');
    await m.getByTestId('nav-campaigns').click();
    await m.getByTestId('campaign-new').click();
    await m.getByTestId('campaign-name').fill('E2E 流量包五折');
    await m.getByTestId('rule-plan').click();
    await m.getByTestId('rule-plan-codes').click();
    await m.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: plan.code }).click();
    await m.keyboard.press('Escape');
    await m.getByTestId('audience-size').filter({ hasText: /^1$/ }).waitFor({ timeout: 15_000 });
    await m.getByTestId('offer-addon').click();
    await m.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'E2E流量包' }).click();
    await m.getByTestId('offer-discount').fill('50');
    await m.getByTestId('holdout').fill('0');
    await m.getByTestId('campaign-save').click();
    await m.getByTestId('campaign-status').filter({ hasText: '草稿' }).waitFor();
    await m.getByTestId('campaign-submit').click();
    await m.getByTestId('campaign-status').filter({ hasText: '待审批' }).waitFor();
    assert.equal(await m.getByTestId('campaign-approve').count(), 0, 'a marketer has no approve button');
    const url = m.url();

    // A second staff user (analyst) approves.
    const ctx2 = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const a = await ctx2.newPage();
    await consoleLogin(a, srv.base, 'zhao.analyst', 'staff-pass-123', '/console/login');
    await a.goto(url);
    await a.getByTestId('campaign-approve').click();
    await a.getByTestId('campaign-status').filter({ hasText: '已审批' }).waitFor();
    assert.equal(await a.getByTestId('campaign-approved-by').innerText(), 'zhao.analyst');

    // The marketer launches; the scheduler sends it.
    await m.reload();
    await m.getByTestId('campaign-launch').click();
    await m.getByTestId('report-sent').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });

    // The subscriber sees the offer on the home page and takes it in one tap.
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const p = await phone.newPage();
    const perrors = watchErrors(p);
    await p.goto(`${srv.base}/login`);
    await p.getByTestId('login-phone').fill(line.msisdn);
    await p.getByTestId('login-password').fill('secret-pass-1');
    await p.getByTestId('login-submit').click();
    await p.getByTestId('offer-card').waitFor({ timeout: 15_000 });
    assert.match(await p.getByTestId('offer-price').innerText(), /¥10\.00/);
    const before = await balanceOf(srv.s, line.lineId);
    await p.getByTestId('offer-take').click();
    await p.getByTestId('offer-taken').waitFor();
    assert.equal(await balanceOf(srv.s, line.lineId), before - 1000);
    // It is in the inbox too.
    await p.goto(`${srv.base}/inbox`);
    await p.getByText('E2E流量包').first().waitFor();

    // The report counts the conversion (it refreshes itself while the campaign is live).
    await m.getByTestId('report-converted').filter({ hasText: /^1$/ }).waitFor({ timeout: 20_000 });
    assert.equal(await m.getByTestId('report-taken').innerText(), '1');
    await m.getByTestId('chart-arms').locator('canvas').waitFor();
    assert.deepEqual(errors, []);
    assert.deepEqual(perrors, []);
    await ctx.close();
    await ctx2.close();
    await phone.close();
  });
});
