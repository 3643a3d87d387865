import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseDate, parseMoneyFen } from './dates-money.js';
import { newStepCounts } from './imports.types.js';
import { Fail, isoDate } from './normalise.js';

const code = (v: unknown) => (v instanceof Fail ? v.code : v);

describe('parseDate', () => {
  const cases: [string, string][] = [
    ['2024-03-05', '2024-03-05'],
    ['2024/3/5', '2024-03-05'],
    ['2024.03.05', '2024-03-05'],
    ['20240305', '2024-03-05'],
    ['2024年3月5日', '2024-03-05'],
    ['2024-03-05 14:30:00', '2024-03-05'],
    ['2024-03-05T14:30:00Z', '2024-03-05'],
    ['05/03/2024', '2024-03-05'],
    ['25/12/2023', '2023-12-25'],
    ['12/25/2023', '2023-12-25'],
    ['45356', '2024-03-05'],
    ['61', '1900-03-01'],
  ];
  for (const [input, want] of cases) it(`reads ${input}`, () => assert.equal(parseDate(input, 'DMY', newStepCounts()), want));
  it('reads an ambiguous date month-first when the channel says MDY, and counts it', () => {
    const c = newStepCounts();
    assert.equal(parseDate('05/03/2024', 'MDY', c), '2024-05-03');
    assert.equal(c.date_ambiguous_resolved, 1);
    parseDate('25/12/2023', 'MDY', c);
    assert.equal(c.date_ambiguous_resolved, 1);
  });
  it('tells unparseable from invalid', () => {
    for (const s of ['yesterday', '2024-3', '3/5/24', '2024--03-05']) assert.equal(code(parseDate(s, 'DMY', newStepCounts())), 'date_unparseable');
    for (const s of ['2023-02-29', '2024-13-01', '1899-12-31', '31/04/2024', '0', '60']) assert.equal(code(parseDate(s, 'DMY', newStepCounts())), 'date_invalid');
  });
});

describe('parseDate fast path agrees with the general rule (property)', () => {
  it('for every separator, padding and validity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1890, max: 2210 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.constantFrom('-', '/', '.', '', '年'),
        fc.boolean(),
        (y, m, d, sep, padded) => {
          const p = (n: number) => (padded || sep === '' ? String(n).padStart(2, '0') : String(n));
          const s = sep === '年' ? `${y}年${m}月${d}日` : `${y}${sep}${p(m)}${sep}${p(d)}`;
          const want = isoDate(y, m, d) ?? 'date_invalid';
          assert.equal(code(parseDate(s, 'DMY', newStepCounts())), want, s);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('parseMoneyFen', () => {
  const cases: [string, number][] = [
    ['1,234.50', 123450],
    ['¥12.5', 1250],
    ['12.5元', 1250],
    ['RMB 12', 1200],
    ['0.01', 1],
    ['.5', 50],
    ['7', 700],
    ['29.85', 2985],
    ['12.345', 1235],
    ['12.344', 1234],
    ['0.105', 11],
    ['12.300000000000001', 1230],
    ['1,000,000', 100000000],
  ];
  for (const [input, want] of cases) it(`reads ${input}`, () => assert.equal(parseMoneyFen(input, newStepCounts()), want));
  it('rejects with a reason', () => {
    const c = newStepCounts();
    for (const s of ['abc', '12,5', '1,23.00', '12.5.1', '', '.', '1 234']) assert.equal(code(parseMoneyFen(s, c)), 'money_invalid', s);
    assert.equal(code(parseMoneyFen('-5', c)), 'money_negative');
    assert.equal(code(parseMoneyFen('123456789012345', c)), 'money_out_of_range');
    assert.equal(c.money_rejected, 9);
  });
  it('is exact where floating point is not (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (fen) => {
        const s = `${fen / 100n}.${String(fen % 100n).padStart(2, '0')}`;
        assert.equal(parseMoneyFen(s, newStepCounts()), Number(fen));
      }),
    );
  });
});
