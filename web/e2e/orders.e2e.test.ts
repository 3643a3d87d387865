import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { hashPassword } from '../../server/src/modules/identity/password.js';
import { call, registerSubscriber } from '../../server/test/factories.js';
import { consoleLogin, launchBrowser, serve, watchErrors, type Served } from './support.js';

const GB = 1024 ** 3;
const actor = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };
const tag = `${process.pid % 100000}`;

describe('orders in Chromium: a business-hall sale on the 360 page', () => {
  let srv: Served;
  let browser: Browser;
  let phone: string;
  let password: string;
  let customerId: string;
  let lineId: string;

  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    const plan = await srv.s.catalog.createPlan(actor, {
      code: `e2e_ord_${tag}`, nameZh: '营业厅测试套餐', nameEn: 'Hall plan', tier: 1, monthlyFeeFen: 1800, dataBytes: GB, voiceSeconds: 3600, smsCount: 10,
      dataFenPerGb: 1000, voiceFenPerMin: 20, smsFenEach: 10, contractMonths: 0,
    });
    await srv.s.catalog.createAddon(actor, { code: `e2e_pack_${tag}`, nameZh: '营业厅3GB流量包', nameEn: '3 GB hall pack', kind: 'data', quantity: 3 * GB, validityDays: 30, priceFen: 1500 });
    const sub = await registerSubscriber(srv.app, srv.s);
    phone = sub.phone;
    password = sub.password;
    customerId = (await call(srv.app, 'GET', '/api/me', { token: sub.tokens.accessToken })).json.id;
    lineId = await srv.s.charging.openLine(actor, { customerId, msisdn: phone, planId: plan.id, creditLimitFen: 0, openingBalanceFen: 5000 });
    const now = new Date();
    await srv.s.db.insertInto('staff_user')
      .values({ id: srv.s.ids.uuid(), username: `hall.agent${tag}`, display_name: '营业厅', password_hash: await hashPassword('agent-pass-123'), role: 'agent', locked_until: null, created_at: now, updated_at: now })
      .execute();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('an agent sells an add-on from the 360 page, finds it in the orders list, and the subscriber sees it in "my orders"', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, `hall.agent${tag}`, 'agent-pass-123');
    await page.goto(`${srv.base}/console/customers/${customerId}`);
    await page.getByTestId('c360-scores').waitFor();
    await page.getByTestId('c360-place-order').click();
    await page.getByTestId('place-order-addon').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: '营业厅3GB流量包' }).click();
    await page.getByTestId('place-order-submit').click();
    const row = page.getByTestId('c360-orders').locator('tbody tr').filter({ hasText: '营业厅3GB流量包' });
    await row.waitFor();
    assert.match(await row.innerText(), /已完成/);
    assert.match(await row.innerText(), /营业厅办理/);
    assert.match(await row.innerText(), /¥15\.00/);
    // The order page lists it; its detail shows the history.
    await page.getByTestId('nav-orders').click();
    const listed = page.getByTestId('orders-table').locator('tbody tr').filter({ hasText: '营业厅3GB流量包' });
    await listed.waitFor();
    assert.match(await listed.innerText(), /\d{3}\*{4}\d{4}/, 'the number is masked for an agent');
    await listed.click();
    await page.getByTestId('order-detail').filter({ hasText: '处理记录' }).waitFor();
    assert.match(await page.getByTestId('order-detail').innerText(), /已完成/);
    const order = await srv.s.db.selectFrom('customer_order').selectAll().where('customer_id', '=', customerId).executeTakeFirstOrThrow();
    assert.deepEqual([order.kind, order.status, order.channel, Number(order.amount_fen)], ['addon_purchase', 'completed', 'staff', 1500]);
    assert.deepEqual(errors, []);
    await page.close();

    const app = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const appErrors = watchErrors(app);
    await app.goto(`${srv.base}/login`);
    await app.getByTestId('login-phone').fill(phone);
    await app.getByTestId('login-password').fill(password);
    await app.getByTestId('login-submit').click();
    await app.getByTestId('home-greeting').waitFor();
    await app.goto(`${srv.base}/me`);
    await app.getByTestId('me-orders').click();
    const mine = app.getByTestId(`my-order-${order.id}`);
    await mine.waitFor();
    assert.match(await mine.innerText(), /营业厅3GB流量包/);
    assert.match(await mine.innerText(), /营业厅办理/);
    await mine.click();
    await app.getByTestId('my-order-detail').filter({ hasText: '已完成' }).waitFor();
    assert.deepEqual(appErrors, []);
    await app.close();
  });

  it('an agent closes the line from its page; the 360 timeline shows it closed', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, `hall.agent${tag}`, 'agent-pass-123');
    await page.goto(`${srv.base}/console/lines/${lineId}`);
    await page.getByTestId('line-close').click();
    await page.getByTestId('line-close-reason').fill('客户携号转网');
    await page.getByTestId('line-close-submit').click();
    await page.waitForURL(`${srv.base}/console/lines`);
    const line = await srv.s.db.selectFrom('line').select(['status', 'status_reason', 'closed_at']).where('id', '=', lineId).executeTakeFirstOrThrow();
    assert.deepEqual([line.status, line.status_reason], ['closed', '客户携号转网']);
    assert.ok(line.closed_at);
    await page.goto(`${srv.base}/console/customers/${customerId}`);
    await page.getByTestId('c360-timeline').filter({ hasText: '销户' }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });
});
