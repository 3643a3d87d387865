import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulateDay, type SimLine } from './usage-sim.js';

describe('usage simulator', () => {
  const lines: SimLine[] = [
    { msisdn: '13800000001', profile: 'light' },
    { msisdn: '13800000002', profile: 'heavy' },
  ];
  const monday = new Date('2026-11-15T16:00:00Z'); // Monday 00:00 in Beijing

  it('is deterministic for a seed and unique in its ids', () => {
    const a = simulateDay(lines, monday, 7);
    assert.deepEqual(a, simulateDay(lines, monday, 7));
    assert.notDeepEqual(a, simulateDay(lines, monday, 8));
    assert.equal(new Set(a.map((e) => e.id)).size, a.length);
    assert.ok(a.every((e, i) => i === 0 || a[i - 1]!.startedAt <= e.startedAt), 'time order');
    assert.ok(a.every((e) => Date.parse(e.startedAt) >= monday.getTime() && Date.parse(e.startedAt) < monday.getTime() + 86_400_000));
  });

  it('gives heavy users far more data than light users, and quiet nights', () => {
    let light = 0, heavy = 0, night = 0, evening = 0;
    for (let d = 0; d < 28; d++) {
      for (const e of simulateDay(lines, new Date(monday.getTime() + d * 86_400_000), d)) {
        if (e.type !== 'data') continue;
        if (e.msisdn.endsWith('1')) light += e.quantity;
        else heavy += e.quantity;
        const h = (new Date(e.startedAt).getUTCHours() + 8) % 24;
        if (h >= 2 && h < 5) night++;
        if (h >= 19 && h < 22) evening++;
      }
    }
    assert.ok(heavy > light * 10, `heavy ${heavy} vs light ${light}`);
    assert.ok(evening > night * 5, `evening ${evening} vs night ${night}`);
  });
});
