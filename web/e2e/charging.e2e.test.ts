import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { call, registerSubscriber } from '../../server/test/factories.js';
import { launchBrowser, serve, watchErrors, type Served, consoleLogin } from './support.js';

const GB = 1024 ** 3;
const actor = { kind: 'system' as const, id: null, name: 'test', ip: '', userAgent: '' };
const tag = `${process.pid % 100000}`;

/** Wait until the element with `testId` shows exactly `text` (after reloads and refetches settle). */
async function expectText(page: Page, testId: string, text: string) {
  const el = page.getByTestId(testId).first();
  await el.waitFor();
  try {
    await page.waitForFunction(
      ([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want,
      [testId, text] as const,
      { timeout: 10_000 },
    );
  } catch {
    assert.equal((await el.innerText()).trim(), text, `${testId}`);
  }
}

/** antd-mobile's confirm dialog: the confirm action is the last button. */
async function confirmDialog(page: Page) {
  const button = page.locator('.adm-dialog-button').last();
  await button.waitFor();
  await button.click();
}

describe('charging screens in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  let phone: string;
  let password: string;
  let lineId: string;
  const basic = `e2e_basic_${tag}`;
  const plus = `e2e_plus_${tag}`;
  const pack = `e2e_pack_${tag}`;

  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    await srv.s.staff.ensureInitialAdmin('admin-pass-123');
    const rates = { dataFenPerGb: 1000, voiceFenPerMin: 20, smsFenEach: 10, contractMonths: 0 };
    const planA = await srv.s.catalog.createPlan(actor, {
      code: basic, nameZh: '畅聊基础套餐', nameEn: 'Basic', tier: 1, monthlyFeeFen: 1800, dataBytes: GB, voiceSeconds: 60 * 60, smsCount: 10, ...rates,
    });
    await srv.s.catalog.createPlan(actor, {
      code: plus, nameZh: '畅享加强套餐', nameEn: 'Plus', tier: 2, monthlyFeeFen: 2800, dataBytes: 2 * GB, voiceSeconds: 100 * 60, smsCount: 50, ...rates,
    });
    await srv.s.catalog.createAddon(actor, { code: pack, nameZh: '1GB 流量包', nameEn: '1 GB pack', kind: 'data', quantity: GB, validityDays: 30, priceFen: 500 });
    const sub = await registerSubscriber(srv.app, srv.s);
    phone = sub.phone;
    password = sub.password;
    const me = await call(srv.app, 'GET', '/api/me', { token: sub.tokens.accessToken });
    assert.equal(me.status, 200);
    // ¥50.00 opening balance, the ¥18.00 first month is charged at opening: ¥32.00.
    lineId = await srv.s.charging.openLine(actor, { customerId: me.json.id, msisdn: phone, planId: planA.id, creditLimitFen: 0, openingBalanceFen: 5000 });
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('a subscriber sees balance and allowances, the 详单, changes plan and buys a data pack', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${srv.base}/login`);
    await page.getByTestId('login-phone').fill(phone);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();

    await expectText(page, 'home-balance', '¥32.00');
    await expectText(page, 'home-plan-name', '畅聊基础套餐');
    await expectText(page, 'gauge-data-remaining', '1.0 GB');
    await expectText(page, 'gauge-voice-remaining', '60 分钟');
    await expectText(page, 'gauge-sms-remaining', '10 条');
    assert.match(await page.getByTestId('home-reset-days').innerText(), /天后重置/);
    assert.equal(await page.getByTestId('home-line-status').innerText(), '正常');

    // 1.5 GB of data against a 1 GB allowance: 0.5 GB overage at ¥10.00/GB = ¥5.00.
    const now = new Date().toISOString();
    const result = await srv.s.charging.ingest([
      { id: `d-${tag}-1`, msisdn: phone, type: 'data', quantity: GB + GB / 2, startedAt: now },
      { id: `v-${tag}-1`, msisdn: phone, type: 'voice', quantity: 120, startedAt: now },
      { id: `s-${tag}-1`, msisdn: phone, type: 'sms', quantity: 3, startedAt: now },
    ]);
    assert.equal(result.accepted, 3, JSON.stringify(result));
    await srv.s.dispatcher.drain();

    await page.reload();
    await expectText(page, 'home-balance', '¥27.00');
    await expectText(page, 'gauge-data-remaining', '0.0 MB');
    await expectText(page, 'gauge-voice-remaining', '58 分钟');
    await expectText(page, 'gauge-sms-remaining', '7 条');

    // 详单: three records, the data one charged ¥5.00 for 512 MB beyond the allowance.
    await page.getByTestId('home-link-usage').click();
    await page.locator('[data-testid="usage-record"]').nth(2).waitFor();
    assert.equal(await page.getByTestId('usage-record').count(), 3);
    const dataRow = page.locator(`[data-record-id="d-${tag}-1"]`);
    assert.equal((await dataRow.getByTestId('usage-record-quantity').innerText()).trim(), '1.5 GB');
    assert.equal((await dataRow.getByTestId('usage-record-charge').innerText()).trim(), '¥5.00');
    assert.match(await dataRow.getByTestId('usage-record-allowance').innerText(), /1\.0 GB/);
    assert.match(await dataRow.getByTestId('usage-record-charged').innerText(), /512\.0 MB/);
    await page.getByTestId('usage-filter-voice').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="usage-record"]').length === 1);
    assert.match(await page.getByTestId('usage-record-quantity').innerText(), /2 分钟/);

    // Upgrade now: the ¥10.00 fee difference is charged today; this cycle's 1 GB used carries over.
    await page.goto(`${srv.base}/plans`);
    await page.getByTestId(`plan-item-${plus}`).click();
    await expectText(page, 'plan-price-charge-now', '¥10.00');
    await expectText(page, 'plan-price-new', '¥28.00');
    await expectText(page, 'plan-price-delta', '+¥10.00');
    // The current plan is refused, with its reason.
    await page.getByTestId(`plan-item-${basic}`).click();
    await page.getByTestId('plan-reasons').waitFor();
    assert.equal(await page.locator('[data-testid="plan-reasons"] [data-reason="same_plan"]').count(), 1);
    assert.ok(await page.getByTestId('plan-change-now').isDisabled());
    await page.getByTestId(`plan-item-${plus}`).click();
    await expectText(page, 'plan-price-charge-now', '¥10.00');
    await page.getByTestId('plan-change-now').click();
    await confirmDialog(page);
    await page.getByTestId('plan-change-result').waitFor();
    assert.match(await page.getByTestId('plan-change-result').innerText(), /畅享加强套餐/);

    await page.goto(`${srv.base}/`);
    await expectText(page, 'home-plan-name', '畅享加强套餐');
    await expectText(page, 'home-balance', '¥17.00');
    await expectText(page, 'gauge-data-remaining', '1.0 GB');
    await expectText(page, 'gauge-data-total', '共 2.0 GB');

    // A 1 GB pack for ¥5.00: the dialog shows the balance afterwards, then the gauge grows.
    await page.getByTestId('home-link-addons').click();
    await page.getByTestId(`addon-buy-${pack}`).click();
    await expectText(page, 'addon-balance-after', '订购后余额 ¥12.00');
    await page.getByTestId('addon-confirm-buy').click();
    await page.getByTestId('addon-result').waitFor();
    assert.match(await page.getByTestId('addon-result').innerText(), /¥12\.00/);

    await page.goto(`${srv.base}/`);
    await expectText(page, 'home-balance', '¥12.00');
    await expectText(page, 'gauge-data-remaining', '2.0 GB');

    // Using up the data allowance sent in-app alerts: unread on the home page, then all marked read.
    await page.getByTestId('home-unread').waitFor();
    await page.getByTestId('home-link-inbox').click();
    await page.getByTestId('inbox-item').first().waitFor();
    assert.ok((await page.locator('[data-testid="inbox-item"][data-read="false"]').count()) > 0);
    await page.getByTestId('inbox-mark-all').click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="inbox-item"][data-read="false"]').length === 0);
    await expectText(page, 'inbox-unread', '0 条未读');
    // A scheduled downgrade shows on the home page.
    await page.goto(`${srv.base}/plans?plan=${(await srv.s.catalog.plans()).find((p) => p.code === basic)!.id}`);
    await page.locator('[data-testid="plan-reasons"] [data-reason="downgrade_next_cycle_only"]').waitFor();
    assert.ok(await page.getByTestId('plan-change-now').isDisabled());
    await page.getByTestId('plan-change-next').click();
    await confirmDialog(page);
    await page.getByTestId('plan-change-result').waitFor();
    await page.goto(`${srv.base}/`);
    await page.getByTestId('home-scheduled-plan').waitFor();
    assert.match(await page.getByTestId('home-scheduled-plan').innerText(), /畅聊基础套餐/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('a purchase the balance cannot cover is refused with a clear message', async () => {
    const poor = await registerSubscriber(srv.app, srv.s);
    const me = await call(srv.app, 'GET', '/api/me', { token: poor.tokens.accessToken });
    const planA = (await srv.s.catalog.plans()).find((p) => p.code === basic)!;
    // ¥20.00 opening, ¥18.00 fee: ¥2.00 left, less than the ¥5.00 pack.
    await srv.s.charging.openLine(actor, { customerId: me.json.id, msisdn: poor.phone, planId: planA.id, creditLimitFen: 0, openingBalanceFen: 2000 });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${srv.base}/login`);
    await page.getByTestId('login-phone').fill(poor.phone);
    await page.getByTestId('login-password').fill(poor.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    await page.getByTestId('home-link-addons').click();
    await page.getByTestId(`addon-buy-${pack}`).click();
    await expectText(page, 'addon-balance-after', '订购后余额 -¥3.00');
    await page.getByTestId('addon-confirm-buy').click();
    await expectText(page, 'addon-error', '余额不足，请先充值后再订购');
    await page.locator('.adm-dialog-button').last().click();

    // A suspended line says so on the home page, with the reason, and plan changes list it as a reason.
    // (Set directly: rating today never takes a line past its credit limit, so usage cannot suspend it.)
    await srv.s.db.updateTable('line').set({ status: 'suspended', status_reason: 'credit_limit' }).where('msisdn', '=', poor.phone).execute();
    await page.goto(`${srv.base}/`);
    await page.getByTestId('home-suspended').waitFor();
    assert.match(await page.getByTestId('home-suspended').innerText(), /已停机.*超出信用额度/);
    assert.match(await page.getByTestId('home-line-status').innerText(), /已停机/);
    await page.goto(`${srv.base}/plans?plan=${(await srv.s.catalog.plans()).find((p) => p.code === plus)!.id}`);
    await page.locator('[data-testid="plan-reasons"] [data-reason="line_suspended"]').waitFor();
    assert.ok(await page.getByTestId('plan-change-next').isDisabled());
    await page.close();
  });

  it('an admin finds the line, sees usage and ledger, and adjusts the balance', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, 'admin', 'admin-pass-123');

    await page.getByTestId('nav-lines').click();
    // antd puts data-* of Input.Search / affixed inputs on the wrapper; the native input carries the id.
    await page.locator('#lines-msisdn').fill(phone);
    await page.locator('#lines-msisdn').press('Enter');
    await page.getByTestId(`line-row-${lineId}`).click();
    await expectText(page, 'line-balance', '¥12.00');
    await expectText(page, 'line-plan', '畅享加强套餐');
    await page.locator('[data-testid="line-records"] tbody tr.ant-table-row').nth(2).waitFor();
    assert.equal(await page.locator('[data-testid="line-records"] tbody tr.ant-table-row').count(), 3);
    const ledger = page.getByTestId('line-ledger');
    await ledger.locator('tr', { hasText: '超出套餐' }).waitFor();
    assert.match(await ledger.innerText(), /-¥5\.00/);
    assert.match(await ledger.innerText(), /订购加油包/);

    await page.getByTestId('line-adjust').click();
    await page.locator('#adjust-amount').fill('10.50');
    await page.locator('#adjust-reason').fill('补偿网络故障');
    await page.getByTestId('adjust-submit').click();
    await expectText(page, 'adjust-result', '已调整，当前余额 ¥22.50');
    await page.getByTestId('adjust-close').click();
    await expectText(page, 'line-balance', '¥22.50');
    await ledger.locator('tr', { hasText: '+¥10.50' }).waitFor();

    const balance = await srv.s.lines.balance(null, lineId);
    assert.equal(balance.balance.amount, 2250);
    await page.getByTestId('nav-audit').click();
    const row = page.locator('tr', { hasText: 'line.balance_adjust' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /admin/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('an admin creates a plan, revises it into a new version and retires the old one', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = watchErrors(page);
    await page.goto(`${srv.base}/console/login`);
    await page.getByTestId('console-login-username').fill('admin');
    await page.getByTestId('console-login-password').fill('admin-pass-123');
    await page.getByTestId('console-login-submit').click();
    await page.getByTestId('nav-catalog').click();

    const code = `e2e_new_${tag}`;
    await page.getByTestId('plan-create').click();
    await page.locator('#plan-code').fill(code);
    await page.locator('#plan-name-zh').fill('校园套餐');
    await page.locator('#plan-name-en').fill('Campus');
    await page.locator('#plan-fee').fill('19.90');
    await page.locator('#plan-data').fill('5120');
    await page.locator('#plan-voice').fill('100');
    await page.locator('#plan-sms').fill('20');
    await page.locator('#plan-data-rate').fill('5');
    await page.locator('#plan-voice-rate').fill('0.15');
    await page.locator('#plan-sms-rate').fill('0.1');
    await page.getByTestId('plan-submit').click();
    await page.getByTestId(`plan-row-${code}-v1`).waitFor();
    const created = (await srv.s.catalog.plans()).find((p) => p.code === code)!;
    assert.deepEqual(
      [created.monthlyFee.amount, created.dataBytes, created.voiceSeconds, created.smsCount, created.overage.dataPerGb.amount, created.overage.voicePerMinute.amount, created.overage.smsEach.amount],
      [1990, 5 * GB, 6000, 20, 500, 15, 10],
    );

    await page.getByTestId(`plan-row-${code}-v1`).getByTestId('plan-revise').click();
    await page.getByTestId('plan-revise-note').waitFor();
    await page.locator('#plan-fee').fill('24.90');
    await page.getByTestId('plan-submit').click();
    await page.getByTestId(`plan-row-${code}-v2`).waitFor();
    assert.match(await page.getByTestId(`plan-row-${code}-v2`).innerText(), /¥24\.90/);

    const v1 = page.getByTestId(`plan-row-${code}-v1`);
    if (/在售/.test(await v1.innerText())) {
      await v1.getByTestId('plan-toggle-active').click();
      await page.locator('.ant-popconfirm .ant-btn-primary').click();
      await page.waitForFunction((id) => /已下架/.test(document.querySelector(`[data-testid="${id}"]`)?.textContent ?? ''), `plan-row-${code}-v1`);
    }
    const all = await srv.s.catalog.plans({ includeInactive: true });
    assert.equal(all.find((p) => p.code === code && p.version === 1)?.active, false);
    assert.equal(all.find((p) => p.code === code && p.version === 2)?.active, true);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
