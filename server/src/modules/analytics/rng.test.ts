import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRng, shuffleInPlace } from './rng.js';

describe('createRng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = Array.from({ length: 5 }, () => a.next());
    assert.deepEqual(Array.from({ length: 5 }, () => b.next()), sa);
    assert.notDeepEqual(Array.from({ length: 5 }, () => c.next()), sa);
  });

  it('draws uniforms in [0, 1) with mean ½ and normals with mean 0, variance 1', () => {
    const r = createRng(1);
    const n = 100_000;
    let s = 0;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const v = r.next();
      s += v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    assert.ok(lo >= 0 && hi < 1);
    assert.ok(Math.abs(s / n - 0.5) < 0.005);
    let m = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = r.normal();
      m += v;
      sq += v * v;
    }
    assert.ok(Math.abs(m / n) < 0.02);
    assert.ok(Math.abs(sq / n - 1) < 0.02);
  });

  it('draws every integer of [0, n) and shuffles into a permutation', () => {
    const r = createRng(5);
    const seen = new Set(Array.from({ length: 1000 }, () => r.int(7)));
    assert.deepEqual([...seen].sort(), [0, 1, 2, 3, 4, 5, 6]);
    const p = shuffleInPlace(Uint32Array.from({ length: 50 }, (_, i) => i), r);
    assert.deepEqual([...p].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
    assert.notDeepEqual([...p], Array.from({ length: 50 }, (_, i) => i));
  });
});
