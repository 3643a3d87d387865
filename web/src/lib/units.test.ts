import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysUntil, fenToYuanInput, formatBytes, GB, MB, newIdempotencyKey, parseYuanToFen, quantityParts, secondsToMinutes } from './units';

describe('units', () => {
  it('formats bytes in GB/MB with one decimal, 1024 base', () => {
    assert.equal(formatBytes(GB), '1.0 GB');
    assert.equal(formatBytes(GB + GB / 2), '1.5 GB');
    assert.equal(formatBytes(500 * MB), '500.0 MB');
    assert.equal(formatBytes(0), '0.0 MB');
    assert.equal(formatBytes(2048), '2 KB');
    assert.equal(formatBytes(20 * GB), '20.0 GB');
  });
  it('rounds voice minutes down for what remains and up for what was used', () => {
    assert.equal(secondsToMinutes(125, 'down'), 2);
    assert.equal(secondsToMinutes(125, 'up'), 3);
    assert.deepEqual(quantityParts('voice', 3600), { value: '60', unit: 'minutes' });
    assert.deepEqual(quantityParts('sms', 7), { value: '7', unit: 'sms' });
  });
  it('parses yuan strings into integer fen without floating point', () => {
    assert.equal(parseYuanToFen('10.50'), 1050);
    assert.equal(parseYuanToFen('10.5'), 1050);
    assert.equal(parseYuanToFen('0.07'), 7);
    assert.equal(parseYuanToFen('-3'), -300);
    assert.equal(parseYuanToFen(' +19.99 '), 1999);
    assert.equal(parseYuanToFen('1.005'), null);
    assert.equal(parseYuanToFen('abc'), null);
    assert.equal(parseYuanToFen(''), null);
    assert.equal(fenToYuanInput(1050), '10.50');
    assert.equal(fenToYuanInput(-7), '-0.07');
  });
  it('counts days to a reset', () => {
    const now = new Date('2026-01-10T00:00:00Z');
    assert.equal(daysUntil('2026-02-01T00:00:00Z', now), 22);
    assert.equal(daysUntil('2026-01-01T00:00:00Z', now), 0);
  });
  it('makes v4 uuids', () => {
    assert.match(newIdempotencyKey(), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
