import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addMonths, cycleLabel, cycleOf, nextCycle } from './cycle.js';

describe('billing cycles (calendar months, UTC+8)', () => {
  it('puts the first hours of a month in Beijing time into that month', () => {
    const c = cycleOf(new Date('2026-10-31T16:30:00Z')); // 2026-11-01 00:30 in Beijing
    assert.equal(c.start.toISOString(), '2026-10-31T16:00:00.000Z');
    assert.equal(c.end.toISOString(), '2026-11-30T16:00:00.000Z');
    assert.equal(cycleLabel(new Date('2026-10-31T16:30:00Z')), '2026-11');
  });
  it('rolls over the year and February', () => {
    // nextCycle takes a cycle's start: November's start → December; January's → February.
    const dec = nextCycle(new Date('2026-10-31T16:00:00Z'));
    assert.deepEqual([dec.start.toISOString(), dec.end.toISOString()], ['2026-11-30T16:00:00.000Z', '2026-12-31T16:00:00.000Z']);
    assert.equal(nextCycle(new Date('2026-12-31T16:00:00Z')).end.toISOString(), '2027-02-28T16:00:00.000Z');
  });
  it('adds contract months', () => {
    assert.equal(addMonths(new Date('2026-01-14T16:00:00Z'), 12).toISOString(), '2027-01-14T16:00:00.000Z');
  });
});
