import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { inTransaction } from '../../server/src/platform/db.js';
import { balanceOf, call, lastCode, makeLine, makePlan, staffLogin, systemActor } from '../../server/test/factories.js';
import { consoleLogin, launchBrowser, serve, watchErrors, type Served } from './support.js';

describe('loyalty in Chromium', () => {
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

  it('earns points by topping up, checks in, redeems a coupon and uses it buying an add-on; staff see and grant points', async () => {
    const s = srv.s;
    await inTransaction(s.db, async (trx) => {
      await s.loyalty.rules.save(trx, { code: 'base', kind: 'base', nameZh: '消费积分', nameEn: 'Points on spend', config: { pointsPer100Yuan: { normal: 100, silver: 120, gold: 150, diamond: 200 } } }, null);
      await s.loyalty.rules.save(trx, { code: 'checkin', kind: 'checkin', nameZh: '每日签到', nameEn: 'Daily check-in', config: { points: 5, streakStep: 5, cap: 30 } }, null);
      await s.loyalty.rewards.create(trx, { code: 'e2e_off_3', kind: 'discount', nameZh: '3元抵扣券', nameEn: '¥3 off', valueFen: 300, minSpendFen: 500, pointsPrice: 60, stock: 10, validDays: 30 });
    });
    const addon = await s.catalog.createAddon(systemActor, { code: `e2e_gb_${process.pid}`, nameZh: 'E2E流量包', nameEn: 'E2E pack', kind: 'data', quantity: 1024 ** 3, validityDays: 30, priceFen: 1000 });
    const plan = await makePlan(s, { monthlyFeeFen: 1900 });
    const line = await makeLine(s, plan.id, { balanceFen: 5000 });
    await call(srv.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(srv.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);

    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    await page.goto(`${srv.base}/login`);
    await page.getByTestId('login-phone').fill(line.msisdn);
    await page.getByTestId('login-password').fill('secret-pass-1');
    await page.getByTestId('login-submit').click();

    // Top up ¥100 through the sandbox gateway; the outbox hands the capture to loyalty.
    await page.getByTestId('home-link-topup').click();
    await page.getByTestId('preset-100').click();
    await page.getByTestId('topup-submit').click();
    await page.waitForURL(/\/sandbox-pay\//);
    await page.locator('button[value="pay"]').click();
    await page.waitForURL(/\/topup\/result\//);
    await s.dispatcher.drain();

    await page.goto(`${srv.base}/`);
    await page.getByTestId('home-link-points').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="points-balance"]')?.textContent === '100');
    assert.match(await page.getByTestId('points-history').innerText(), /消费积分 v1[\s\S]*\+100/);
    assert.match(await page.getByTestId('points-expiring').innerText(), /100/);

    await page.getByTestId('checkin').click();
    await page.getByTestId('checkin-toast').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="points-balance"]')?.textContent === '105');

    await page.getByTestId('link-rewards').click();
    await page.getByTestId('redeem-e2e_off_3').click();
    await page.getByTestId('redeem-confirm-ok').click();
    await page.getByTestId('redeem-done').waitFor();
    assert.match(await page.getByTestId('redeem-done').innerText(), /45/);
    await page.getByRole('button', { name: '确定' }).click();
    await page.waitForURL(/\/coupons$/);
    await page.getByTestId('coupon-available').click();
    await page.waitForURL(/\/addons$/);

    const before_ = await balanceOf(s, line.lineId);
    await page.getByTestId(`addon-buy-${addon.code}`).click();
    await page.getByTestId('pick-coupon-discount').click();
    await page.getByTestId('addon-discount').waitFor();
    await page.getByTestId('addon-confirm-buy').click();
    await page.getByTestId('addon-result').waitFor();
    assert.match(await page.getByTestId('addon-result').innerText(), /¥7\.00/);
    assert.equal(await balanceOf(s, line.lineId), before_ - 700);
    await page.goto(`${srv.base}/coupons`);
    await page.getByTestId('coupon-used').waitFor();
    assert.deepEqual(errors, []);
    await page.close();

    // Staff: the line's points on its console page, and a grant with a reason.
    const admin = await staffLogin(srv.app, s, 'admin');
    const cpage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const cerrors = watchErrors(cpage);
    await consoleLogin(cpage, srv.base, admin.username, admin.password, `/console/lines/${line.lineId}`);
    await cpage.getByTestId('line-points').waitFor();
    await cpage.waitForFunction(() => document.querySelector('[data-testid="line-points-balance"]')?.textContent === '45');
    await cpage.getByTestId('points-grant').click();
    await cpage.getByTestId('points-change-amount').fill('200');
    await cpage.getByTestId('points-change-reason').fill('network outage goodwill');
    await cpage.getByTestId('points-change-ok').click();
    await cpage.waitForFunction(() => document.querySelector('[data-testid="line-points-balance"]')?.textContent === '245');
    await cpage.goto(`${srv.base}/console/loyalty`);
    await cpage.getByTestId('dash-issued').waitFor();
    assert.equal(await cpage.getByTestId('dash-issued').innerText(), '305');
    assert.deepEqual(cerrors, []);
    await cpage.close();
    assert.deepEqual(await s.ledger.verify(), []);
  });
});
