import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chiSquare, uplift } from './stats.js';

describe('campaign statistics', () => {
  it('uplift: difference of proportions with a 95% Wald interval', () => {
    // 12% of 1000 treated vs 8% of 1000 control: 4 pp, se = sqrt(.12*.88/1000 + .08*.92/1000) = 0.013375
    const u = uplift({ n: 1000, converted: 120 }, { n: 1000, converted: 80 });
    assert.equal(u.pp, 4);
    assert.ok(Math.abs(u.low - (4 - 1.96 * 1.3375)) < 0.01, String(u.low));
    assert.ok(Math.abs(u.high - (4 + 1.96 * 1.3375)) < 0.01, String(u.high));
    assert.equal(u.significant, true);
    const flat = uplift({ n: 100, converted: 10 }, { n: 100, converted: 9 });
    assert.equal(flat.significant, false);
    assert.equal(uplift({ n: 0, converted: 0 }, { n: 10, converted: 1 }).significant, false);
  });
  it('chi-square of counts against expected shares', () => {
    assert.equal(chiSquare([50, 50], [0.5, 0.5]), 0);
    assert.equal(chiSquare([60, 40], [0.5, 0.5]), 4);
  });
});
