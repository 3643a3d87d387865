import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DigitIndex, KeyIndex, PairIndex } from './key-index.js';
import { MedianHistogram } from './median.js';

describe('KeyIndex', () => {
  it('remembers the first row per key through growth', () => {
    const k = new KeyIndex(16);
    for (let i = 0; i < 10_000; i++) assert.equal(k.getOrAdd(i % 7, i * 31, i), -1);
    for (let i = 0; i < 10_000; i++) assert.equal(k.get(i % 7, i * 31), i);
    assert.equal(k.getOrAdd(3, 3 * 31, 5), 3);
    assert.equal(k.get(1, 2), -1);
    assert.equal(k.size, 10_000);
  });
  it('keys digit strings exactly', () => {
    const d = new DigitIndex();
    assert.equal(d.firstOrAdd('13800138000', 11, 2), -1);
    assert.equal(d.find('13800138000', 11), 2);
    assert.equal(d.find('13800138001', 11), -1);
    assert.equal(d.firstOrAdd('110105199003071239', 17, 3), -1);
    assert.equal(d.find('11010519900307123X', 17), 3, 'the check character is implied by the 17 digits');
    assert.equal(d.firstOrAdd('110105199003071239', 17, 7), 3);
    d.setLastRow(1);
    assert.equal(d.find('110105199003071239', 17), 1);
  });
  it('keys pairs of strings', () => {
    const p = new PairIndex();
    assert.equal(p.firstOrAdd('张三', '1990-03-07', 2), -1);
    assert.equal(p.firstOrAdd('张三', '1990-03-08', 3), -1);
    assert.equal(p.firstOrAdd('张三', '1990-03-07', 9), 2);
  });
});

describe('MedianHistogram', () => {
  it('is exact while distinct values fit', () => {
    const h = new MedianHistogram();
    for (const v of [5, 1, 9, 3, 7, 3]) h.add(v);
    assert.equal(h.median(), 3);
    assert.equal(new MedianHistogram().median(), null);
  });
  it('stays within one bucket when it has to coarsen', () => {
    const h = new MedianHistogram(200);
    for (let i = 0; i < 10_001; i++) h.add((i * 7919) % 10_001);
    assert.equal(h.resolution, 100);
    assert.ok(Math.abs(h.median()! - 5000) <= 100, String(h.median()));
  });
});
