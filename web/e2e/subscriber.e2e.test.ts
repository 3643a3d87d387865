import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { lastCode, newPhone } from '../../server/test/factories.js';
import { launchBrowser, serve, watchErrors, type Served } from './support.js';

describe('subscriber app in Chromium', () => {
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

  it('registers with an SMS code, edits the profile, signs out and back in', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    const phone = newPhone();

    await page.goto(`${srv.base}/register`);
    // zh-CN is the default language.
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
    await page.getByTestId('register-phone').fill(phone);
    await page.getByTestId('otp-send').click();
    // The code arrives in the message log, as staff and tests read it.
    let code = '';
    for (let i = 0; i < 50 && !code; i++) {
      code = await lastCode(srv.s, phone).catch(() => '');
      if (!code) await page.waitForTimeout(100);
    }
    await page.getByTestId('register-otp').fill(code);
    await page.getByTestId('register-password').fill('my-secret-pw1');
    await page.getByTestId('register-name').fill('赵六');
    await page.getByTestId('register-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    assert.match(await page.getByTestId('home-greeting').innerText(), /赵六/);

    await page.goto(`${srv.base}/me/profile`);
    await page.getByTestId('profile-name').fill('赵小六');
    await page.getByTestId('profile-email').fill('zhao@example.com');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('me-name').waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="me-name"]')?.textContent?.includes('赵小六'));
    const row = await srv.s.db.selectFrom('customer').select(['name', 'email']).where('phone', '=', phone).executeTakeFirstOrThrow();
    assert.deepEqual(row, { name: '赵小六', email: 'zhao@example.com' });

    await page.getByTestId('logout').click();
    // antd-mobile confirms in a dialog. Wait for it: isVisible() does not wait, and under load the
    // dialog can appear after the check, leaving the test waiting for a login page that never comes.
    await page.locator('.adm-dialog-button').last().click();
    await page.getByTestId('login-phone').waitFor();
    await page.getByTestId('login-phone').fill(phone);
    await page.getByTestId('login-password').fill('my-secret-pw1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-greeting').waitFor();
    assert.match(await page.getByTestId('home-greeting').innerText(), /赵小六/);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('switches to English and keeps the choice', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(`${srv.base}/login`);
    const zh = await page.getByTestId('login-submit').innerText();
    await page.getByTestId('lang-switch').click();
    const en = page.getByTestId('lang-en');
    if (await en.isVisible().catch(() => false)) await en.click();
    await page.waitForFunction((before) => document.querySelector('[data-testid="login-submit"]')?.textContent !== before, zh);
    assert.match(await page.getByTestId('login-submit').innerText(), /[A-Za-z]/);
    await page.reload();
    assert.match(await page.getByTestId('login-submit').innerText(), /[A-Za-z]/);
    await page.close();
  });
});
