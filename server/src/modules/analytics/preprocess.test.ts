import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { AppError } from '../../platform/errors.js';
import { parseCsv } from './csv.js';
import { encodeRows, fitEncoder, fitStandardiser, standardise, toRowMajor, unstandardise, unstandardiseRows, type ColumnSpec } from './preprocess.js';
import { loadTelco } from './telco.js';

const close = (a: number, b: number, eps = 1e-6): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

describe('standardisation', () => {
  const m = { x: Float32Array.of(1, 2, 3, 4, 5, 5, 5, 5), n: 4, p: 2 };

  it('uses mean 2.5 and population std √1.25; a constant column gets std 1', () => {
    const s = fitStandardiser(m);
    assert.deepEqual([...s.mean], [2.5, 5]);
    close(s.std[0]!, Math.sqrt(1.25), 1e-12);
    assert.equal(s.std[1], 1);
    const z = standardise(s, m);
    close(z[0]!, -1.5 / Math.sqrt(1.25));
    close(z[3]!, 1.5 / Math.sqrt(1.25));
    assert.deepEqual([...z.subarray(4)], [0, 0, 0, 0]);
  });

  it('inverts back to the original units, column- and row-major', () => {
    const s = fitStandardiser(m);
    const z = standardise(s, m);
    const back = unstandardise(s, z, 4, 2);
    back.forEach((v, i) => close(v, m.x[i]!, 1e-9));
    const rows = unstandardiseRows(s, toRowMajor(z, 4, 2), 4, 2);
    assert.deepEqual([...rows].map((v) => Math.round(v * 1e9) / 1e9), [1, 5, 2, 5, 3, 5, 4, 5]);
  });
});

describe('encoding rows', () => {
  const specs: ColumnSpec[] = [
    { name: 'age', kind: 'numeric', missing: { rule: 'median' } },
    { name: 'plan', kind: 'categorical', missing: { rule: 'default', value: 'basic' } },
    { name: 'fee', kind: 'numeric', missing: { rule: 'default', value: 0 } },
  ];
  const rows = [
    { age: 30, plan: 'gold', fee: '10.5' },
    { age: '', plan: 'basic', fee: ' ' },
    { age: 50, plan: null, fee: 3 },
    { age: 10, plan: 'gold', fee: 1 },
  ];

  it('one-hot encodes all categories (sorted) and fills by rule', () => {
    const enc = fitEncoder(rows, specs);
    assert.deepEqual(enc.featureNames, ['age', 'plan=basic', 'plan=gold', 'fee']);
    const m = encodeRows(enc, rows);
    assert.equal(m.p, 4);
    // Column-major: age (median of 30, 50, 10 = 30), plan=basic, plan=gold, fee.
    assert.deepEqual([...m.x], [30, 30, 50, 10, 0, 1, 1, 0, 1, 0, 0, 1, 10.5, 0, 3, 1]);
  });

  it('gives an unseen category all-zero indicators', () => {
    const enc = fitEncoder(rows, specs);
    const m = encodeRows(enc, [{ age: 1, plan: 'platinum', fee: 0 }]);
    assert.deepEqual([...m.x], [1, 0, 0, 0]);
  });

  it("rejects a blank cell under 'reject' and a non-number in a numeric column", () => {
    const strict: ColumnSpec[] = [{ name: 'age', kind: 'numeric', missing: { rule: 'reject' } }];
    assert.throws(() => fitEncoder([{ age: 1 }, { age: undefined }], strict), (e: unknown) => e instanceof AppError && e.code === 'missing_value');
    assert.throws(() => fitEncoder([{ age: 'old' }], strict), (e: unknown) => e instanceof AppError && e.code === 'not_numeric');
  });
});

describe('csv and telco', () => {
  it('parses quoted fields with commas, escaped quotes and CRLF', () => {
    assert.deepEqual(parseCsv('a,b\r\n"x, y","say ""hi"""\r\n1,2\n'), [{ a: 'x, y', b: 'say "hi"' }, { a: '1', b: '2' }]);
    assert.throws(() => parseCsv('a,b\n1\n'), RangeError);
  });

  const csv = '/work/shared/data/telco-customer-churn.csv';
  it('builds the 45 reference features from the Telco file', { skip: !existsSync(csv) && 'Telco CSV not present' }, async () => {
    const t = await loadTelco(csv);
    assert.equal(t.n, 7043);
    assert.equal(t.p, 45);
    assert.equal(t.y.reduce((a, b) => a + b, 0), 1869);
    assert.deepEqual(t.featureNames.slice(0, 6), ['SeniorCitizen', 'tenure', 'MonthlyCharges', 'TotalCharges', 'gender=Female', 'gender=Male']);
    // The 11 blank TotalCharges are customers with tenure 0; they become 0.
    const total = t.x.subarray(3 * t.n, 4 * t.n);
    const tenure = t.x.subarray(t.n, 2 * t.n);
    assert.equal(total.filter((v, i) => v === 0 && tenure[i] === 0).length, 11);
  });
});
