import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseYuan } from './money';

describe('parseYuan', () => {
  it('turns typed yuan into integer fen without floating point', () => {
    assert.equal(parseYuan('30'), 3000);
    assert.equal(parseYuan('0.1'), 10);
    assert.equal(parseYuan('0.29'), 29);
    assert.equal(parseYuan(' ¥1,000.05 '), 100005);
    assert.equal(parseYuan('19.99'), 1999);
  });
  it('refuses anything that is not a plain amount', () => {
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '1,00', '.5', '5.', 'Infinity', '99999999999999999999']) assert.equal(parseYuan(bad), null, bad);
  });
});
