import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { makeLine, makePlan, newPhone, systemActor } from '../../server/test/factories.js';
import { cycleOf } from '../../server/src/modules/lines/cycle.js';
import { launchBrowser, serve, watchErrors, type Served, consoleLogin } from './support.js';

/** The chart container holds a drawn canvas. */
async function expectCanvas(page: Page, testId: string) {
  await page.locator(`[data-testid="${testId}"] canvas`).first().waitFor({ timeout: 15_000 });
}

describe('analytics console in Chromium', () => {
  let srv: Served;
  let browser: Browser;
  const poor: string[] = [];
  before(async () => {
    srv = await serve();
    browser = await launchBrowser();
    await srv.s.staff.ensureInitialAdmin('admin-pass-123');
    // Twenty customers opened 70 days ago; eight on the dearer plan had a second line
    // that they closed early in the last complete cycle (the churn label window).
    const opened = new Date(Date.now() - 70 * 86_400_000);
    const dear = await makePlan(srv.s, { monthlyFeeFen: 4500 });
    const cheap = await makePlan(srv.s, { monthlyFeeFen: 3900 });
    const rows: { lineId: string; customerId: string }[] = [];
    for (let i = 0; i < 8; i++) rows.push(await makeLine(srv.s, dear.id, { at: opened, balanceFen: 20_000 }));
    for (let i = 0; i < 12; i++) await makeLine(srv.s, cheap.id, { at: opened, balanceFen: 20_000 });
    const windowStart = cycleOf(new Date(cycleOf(new Date()).start.getTime() - 1)).start;
    const at = new Date(windowStart.getTime() + 2 * 86_400_000);
    for (const r of rows) {
      poor.push(r.customerId);
      const second = await srv.s.charging.openLine(systemActor, { customerId: r.customerId, msisdn: newPhone(), planId: dear.id, creditLimitFen: 0, openingBalanceFen: 20_000, at: opened });
      await srv.s.db.updateTable('line').set({ status: 'closed', status_reason: 'customer left', closed_at: at }).where('id', '=', second).execute();
    }
  });
  after(async () => {
    await browser?.close();
    await srv?.s.analytics.idle();
    await srv?.close();
  });

  it('an admin runs a segmentation and trains a churn model, and sees the charts and tables', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    const errors = watchErrors(page);
    await consoleLogin(page, srv.base, 'admin', 'admin-pass-123');

    await page.getByTestId('nav-analytics').click();
    await page.getByTestId('seg-run').click();
    await page.getByTestId('seg-progress').waitFor();
    await expectCanvas(page, 'seg-pie');
    await expectCanvas(page, 'seg-centroids');
    await page.getByTestId('seg-name-0').waitFor();
    const seg = await srv.s.db.selectFrom('segmentation').select(['id', 'k', 'customer_count']).executeTakeFirstOrThrow();
    assert.equal(seg.customer_count, 20);
    // Only two kinds of customer here: the empty clusters of k = 4 are dropped.
    assert.equal(seg.k, 2);
    assert.equal(await page.locator('[data-testid="seg-profile"] tbody tr.ant-table-row').count(), seg.k);
    await page.locator('[data-testid="seg-customers"] tbody tr.ant-table-row').first().waitFor();

    await page.getByTestId('nav-models').click();
    await page.getByTestId('model-train').click();
    await page.getByTestId('model-metrics').waitFor({ timeout: 30_000 });
    await expectCanvas(page, 'model-importance');
    await expectCanvas(page, 'model-tree');
    const confusion = await page.locator('[data-testid="model-confusion"] tbody').innerText();
    assert.match(confusion, /\d/);
    const model = await srv.s.db.selectFrom('model').select(['label_counts']).executeTakeFirstOrThrow();
    assert.deepEqual(model.label_counts, { positives: 8, negatives: 12 });

    await page.getByPlaceholder(/客户 ID|Customer ID/).fill(poor[0]!);
    await page.getByPlaceholder(/客户 ID|Customer ID/).press('Enter');
    const reason = await page.getByTestId('predict-reason').first().innerText();
    assert.match(reason, /→ churn risk \d\.\d\d/);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
