import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { balanceOf, call, lastCode, makeLine, makePlan } from '../../server/test/factories.js';
import { cycleLabel, cycleOf } from '../../server/src/modules/lines/cycle.js';
import { launchBrowser, serve, watchErrors, type Served } from './support.js';

describe('payments and bills in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  it('tops up through the sandbox page, sees the balance change, opens a bill and downloads its PDF', async () => {
    const plan = await makePlan(srv.s, { monthlyFeeFen: 1900 });
    // Opened in the previous cycle, so that cycle can be billed now.
    const prevCycle = cycleOf(new Date(cycleOf(new Date()).start.getTime() - 1));
    const line = await makeLine(srv.s, plan.id, { balanceFen: 5000, at: new Date(prevCycle.start.getTime() + 3600_000) });
    await call(srv.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(srv.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(srv.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);
    const start = await balanceOf(srv.s, line.lineId);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, acceptDownloads: true });
    const errors = watchErrors(page);
    await page.goto(`${srv.base}/login`);
    await page.getByTestId('login-phone').fill(line.msisdn);
    await page.getByTestId('login-password').fill('secret-pass-1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-link-topup').click();
    await page.getByTestId('topup-balance').waitFor();
    assert.equal(await page.getByTestId('topup-balance').innerText(), `¥${start / 100}.00`);
    await page.getByTestId('preset-100').click();
    await page.getByTestId('topup-submit').click();

    // The gateway's own page (server-rendered, no script), then back to the receipt.
    await page.waitForURL(/\/sandbox-pay\//);
    assert.equal(await page.getByTestId('sandbox-amount').innerText(), '¥100.00');
    await page.locator('button[value="pay"]').click();
    await page.waitForURL(/\/topup\/result\//);
    await page.waitForFunction(() => document.querySelector('[data-testid="receipt-status"]')?.textContent === '支付成功');
    await page.getByTestId('receipt-balance').waitFor();
    assert.equal(await page.getByTestId('receipt-balance').innerText(), `¥${(start + 10_000) / 100}.00`);
    assert.equal(await balanceOf(srv.s, line.lineId), start + 10_000);

    await page.goto(`${srv.base}/payments`);
    await page.getByTestId('payment-list').waitFor();
    assert.match(await page.getByTestId('payment-list').innerText(), /¥100\.00/);

    const cycle = cycleLabel(prevCycle.start);
    await srv.s.billing.run(cycle);
    await page.goto(`${srv.base}/bills`);
    await page.getByTestId(`bill-${cycle}`).click();
    await page.getByTestId('bill-closing').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('bill-pdf').click()]);
    assert.match(download.suggestedFilename(), new RegExp(`^bill-${cycle}-${line.msisdn}\\.pdf$`));
    const pdf = await readFile(await download.path());
    assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
