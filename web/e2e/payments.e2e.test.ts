import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import QRCode from 'qrcode';
import { balanceOf, call, lastCode, makeLine, makePlan } from '../../server/test/factories.js';
import { cycleLabel, cycleOf } from '../../server/src/modules/lines/cycle.js';
import { SIGNATURE_HEADER, type SandboxGateway } from '../../server/src/modules/payments/gateway.js';
import { formatMoney } from '../src/lib/money.js';
import { consoleLogin, launchBrowser, serve, watchErrors, type Served } from './support.js';

describe('payments and bills in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    await srv.s.staff.ensureInitialAdmin('admin-pass-123');
  });

  /** A registered subscriber with one line, signed in to the app in `page`. */
  async function subscriberIn(page: Page, balanceFen: number) {
    const plan = await makePlan(srv.s, { monthlyFeeFen: 1900 });
    const line = await makeLine(srv.s, plan.id, { balanceFen });
    await call(srv.app, 'POST', '/api/auth/otp', { body: { phone: line.msisdn, purpose: 'register' } });
    const reg = await call(srv.app, 'POST', '/api/auth/register', { body: { phone: line.msisdn, otp: await lastCode(srv.s, line.msisdn), password: 'secret-pass-1' } });
    assert.equal(reg.status, 201);
    await page.goto(`${srv.base}/login`);
    await page.getByTestId('login-phone').fill(line.msisdn);
    await page.getByTestId('login-password').fill('secret-pass-1');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home-link-topup').waitFor();
    return { ...line, token: reg.json.accessToken as string };
  }
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

  it('pays by QR: the payload drawn as a QR image, with the redirect next to it', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const errors = watchErrors(page);
    const line = await subscriberIn(page, 1000);
    const opening = await balanceOf(srv.s, line.lineId);
    await page.getByTestId('home-link-topup').click();
    await page.getByTestId('preset-50').click();
    await page.locator('.adm-radio', { hasText: '扫码支付' }).click();
    await page.getByTestId('topup-submit').click();
    const img = page.getByTestId('topup-qr');
    await img.waitFor();
    const payload = await img.getAttribute('data-payload');
    const payment = await srv.s.db.selectFrom('payment').select(['id', 'method', 'amount_fen']).where('line_id', '=', line.lineId).executeTakeFirstOrThrow();
    assert.equal(payment.method, 'qr');
    assert.equal(payload, `telehall-sandbox://pay/${payment.id}?amount=5000`);
    // The image rendered, and reading its pixels module by module gives exactly the QR symbol of that payload.
    const symbol = QRCode.create(payload, { errorCorrectionLevel: 'M' }).modules;
    const read = await img.evaluate((el: HTMLImageElement, n: number) => {
      const c = document.createElement('canvas');
      c.width = el.naturalWidth;
      c.height = el.naturalHeight;
      const g = c.getContext('2d')!;
      g.drawImage(el, 0, 0);
      const px = g.getImageData(0, 0, c.width, c.height).data;
      const scale = c.width / (n + 4); // margin: 2 modules each side
      const dark: boolean[] = [];
      for (let r = 0; r < n; r++) {
        for (let q = 0; q < n; q++) {
          const x = Math.floor((q + 2.5) * scale);
          const y = Math.floor((r + 2.5) * scale);
          dark.push(px[(y * c.width + x) * 4]! < 128);
        }
      }
      return { width: el.naturalWidth, dark };
    }, symbol.size);
    assert.ok(read.width >= 200);
    assert.deepEqual(read.dark, Array.from(symbol.data, (v) => v === 1));
    // Paying on this device instead: the redirect next to the code.
    await page.getByTestId('topup-qr-open').click();
    await page.waitForURL(/\/sandbox-pay\//);
    await page.locator('button[value="pay"]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid="receipt-status"]')?.textContent === '支付成功');
    assert.equal(await balanceOf(srv.s, line.lineId), opening + 5000);
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('staff refund a captured payment: the reversal in the line ledger, a clean reconciliation day', async () => {
    const plan = await makePlan(srv.s, { monthlyFeeFen: 1900 });
    const line = await makeLine(srv.s, plan.id, { balanceFen: 2000 });
    const opening = await balanceOf(srv.s, line.lineId);
    const actor = { kind: 'subscriber' as const, id: line.customerId, name: line.customerId, ip: '', userAgent: '' };
    const created = await srv.s.paymentFlows.create(actor, line.customerId, { lineId: line.lineId, amount: 8000, method: 'redirect' });
    const gw = srv.s.payments.provider as SandboxGateway;
    const body = JSON.stringify({ paymentId: created.body.payment.id, providerRef: 'sbx_e2e_refund', amount: 8000, currency: 'CNY', status: 'succeeded', sentAt: new Date().toISOString() });
    const cb = await srv.app.inject({ method: 'POST', url: '/api/payments/callback/sandbox', payload: body, headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: gw.sign(body) } });
    assert.equal(cb.statusCode, 200);
    assert.equal(await balanceOf(srv.s, line.lineId), opening + 8000);
    const id = created.body.payment.id;
    const start = await balanceOf(srv.s, line.lineId);

    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, 'admin', 'admin-pass-123');
    await page.getByTestId('nav-payments').click();
    await page.getByTestId('payments-msisdn').locator('input').fill(line.msisdn);
    await page.getByTestId('payments-msisdn').locator('input').press('Enter');
    await page.getByTestId(`refund-${id}`).click();
    await page.getByTestId('refund-amount').fill('30');
    await page.getByTestId('refund-reason').fill('duplicate top-up, customer request');
    await page.getByTestId('refund-ok').click();
    const row = page.locator('tr', { has: page.getByTestId(`payment-line-${id}`) });
    await page.waitForFunction((pid) => {
      const tr = document.querySelector(`[data-testid="payment-line-${pid}"]`)?.closest('tr');
      return !!tr && /¥30\.00/.test(tr.textContent ?? '');
    }, id);
    assert.match(await row.innerText(), /¥80\.00/);
    assert.equal(await balanceOf(srv.s, line.lineId), start - 3000);
    const audit = await srv.s.db.selectFrom('audit_log').select(['action', 'actor_name']).where('resource_id', '=', id).executeTakeFirstOrThrow();
    assert.equal(audit.action, 'payment.refund');
    assert.equal(audit.actor_name, 'admin');

    // The line's ledger: the top-up credit and its reversal by the refund.
    await page.getByTestId(`payment-line-${id}`).click();
    const ledger = page.getByTestId('line-ledger');
    await ledger.locator('tr', { hasText: '退款' }).waitFor();
    assert.match(await ledger.locator('tr', { hasText: '退款' }).innerText(), /-¥30\.00[\s\S]*duplicate top-up, customer request|duplicate top-up, customer request[\s\S]*-¥30\.00/);
    assert.match(await ledger.locator('tr', { hasText: '充值' }).first().innerText(), /¥80\.00/);

    // Reconciliation: today's captures, credits and refunds agree; no differences.
    await page.getByTestId('nav-reconciliation').click();
    await page.getByTestId('recon-ok').waitFor();
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const day = page.locator('tr', { hasText: today });
    const text = await day.innerText();
    // Every top-up in this run was captured today (China time); this one refund too.
    const captured = await srv.s.db.selectFrom('payment').select((eb) => eb.fn.sum<number>('amount_fen').as('s')).where('status', '=', 'captured').executeTakeFirstOrThrow();
    const cap = formatMoney(Number(captured.s)).replace(/[$.]/g, '\\$&');
    assert.match(text, new RegExp(`${cap}[\\s\\S]*${cap}[\\s\\S]*¥30\\.00[\\s\\S]*¥30\\.00`));
    assert.match(text, /一致/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
