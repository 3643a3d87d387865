import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { openCsv } from './csv-stream.js';
import { runImport } from './imports.pipeline.js';
import { TELCO_CHURN_MAPPING } from './mapping.presets.js';
import type { CleanRecord } from './imports.types.js';

/** The IBM Telco Customer Churn sample from the project's shared data (TELCO_CSV overrides). */
const ROOT = new URL('../../../../', import.meta.url);
const candidates = [
  process.env.TELCO_CSV,
  new URL('shared/data/telco-customer-churn.csv', ROOT).pathname,
  new URL('../shared/data/telco-customer-churn.csv', ROOT).pathname,
  '/work/shared/data/telco-customer-churn.csv',
];
const file = candidates.find((f) => f !== undefined && existsSync(f)) ?? 'telco-customer-churn.csv';

describe('the telco churn file as a channel', { skip: existsSync(file) ? false : `no ${file}` }, () => {
  it('imports all 7,043 rows, none rejected, keyed by customerID', async () => {
    const reader = await openCsv(file);
    const records: CleanRecord[] = [];
    const report = await runImport({ reader, mapping: TELCO_CHURN_MAPPING, onBatch: (b) => void records.push(...b.records) });
    assert.equal(report.totals.rows, 7043);
    assert.equal(report.totals.clean, 7043);
    assert.equal(report.totals.rejected, 0);
    assert.deepEqual(report.rejectedByCode, {});
    assert.equal(report.totals.duplicatesInFile, 0);
    assert.equal(report.steps.money_parsed, 7043);
    assert.equal(report.steps.missing_default, 7043, 'category defaults to regular');
    assert.equal(new Set(records.map((r) => r.externalId)).size, 7043);
    const first = records[0]!;
    assert.deepEqual(
      { externalId: first.externalId, gender: first.gender, fen: first.monthlyChargeFen, channel: first.channel, category: first.category, phone: first.phone },
      { externalId: '7590-VHVEG', gender: 'female', fen: 2985, channel: 'telco_churn', category: 'regular', phone: null },
    );
    assert.equal(first.extras.Churn, 'No');
    assert.equal(first.extras.TotalCharges, '29.85');
    // The 11 blank TotalCharges (a single space in the file) are the tenure-0 customers, not defects.
    const blank = records.filter((r) => r.extras.TotalCharges === undefined);
    assert.equal(blank.length, 11);
    assert.ok(blank.every((r) => r.extras.tenure === '0'));
    assert.equal(report.steps.text_trimmed, 11);
    const total = records.reduce((s, r) => s + r.monthlyChargeFen!, 0);
    assert.equal(total, 45_611_660, 'sum of MonthlyCharges in cents, exact');
  });
});
