import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney } from './money';

void test('formatMoney renders fen as yuan with two decimals and grouping', () => {
  assert.equal(formatMoney(0), '¥0.00');
  assert.equal(formatMoney(5), '¥0.05');
  assert.equal(formatMoney(1250), '¥12.50');
  assert.equal(formatMoney(-1250), '-¥12.50');
  assert.equal(formatMoney(123456789), '¥1,234,567.89');
  assert.equal(formatMoney(900719925474099312n), '¥9,007,199,254,740,993.12');
});

void test('formatMoney refuses fractional fen', () => {
  assert.throws(() => formatMoney(12.5), RangeError);
});
