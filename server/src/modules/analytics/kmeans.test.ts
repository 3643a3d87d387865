import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { kmeans, kmeansPlusPlus } from './kmeans.js';
import { KMeansPool } from './kmeans.parallel.js';
import { chooseK, elbow, silhouette } from './kmeans.quality.js';
import { createRng } from './rng.js';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

/** Plain Lloyd (no bounds) as the reference the accelerated version must match. */
function plainLloyd(x: Float64Array, n: number, d: number, init: Float64Array, iters: number): Int32Array {
  const k = init.length / d;
  const c = init.slice();
  const labels = new Int32Array(n);
  for (let it = 0; it < iters; it++) {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let j = 0; j < k; j++) {
        let s = 0;
        for (let t = 0; t < d; t++) s += (x[i * d + t]! - c[j * d + t]!) ** 2;
        if (s < bestD) [best, bestD] = [j, s];
      }
      labels[i] = best;
    }
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      counts[labels[i]!]!++;
      for (let t = 0; t < d; t++) sums[labels[i]! * d + t]! += x[i * d + t]!;
    }
    for (let j = 0; j < k; j++) if (counts[j]) for (let t = 0; t < d; t++) c[j * d + t] = sums[j * d + t]! / counts[j]!;
  }
  return labels;
}

function randomData(n: number, d: number, seed: number): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: n * d }, () => rng.normal() + (rng.next() < 0.5 ? 3 : 0));
}

describe('kmeans', () => {
  it('finds the two obvious groups: centroids (0, 0.5) and (10, 10.5), inertia 1', () => {
    const x = Float64Array.of(0, 0, 0, 1, 10, 10, 10, 11);
    const r = kmeans(x, 4, 2, { k: 2, init: Float64Array.of(0, 0, 10, 10) });
    assert.deepEqual([...r.centroids], [0, 0.5, 10, 10.5]);
    assert.deepEqual([...r.labels], [0, 0, 1, 1]);
    close(r.inertia, 1);
    assert.equal(r.iterations, 2);
    assert.ok(r.converged);
  });

  it('moves points between clusters over iterations (1-D, worked by hand)', () => {
    // [0 2 3 10] from centres 0 and 2: c = (0, 5) → (1, 6.5) → (5/3, 10), then stable.
    const r = kmeans(Float64Array.of(0, 2, 3, 10), 4, 1, { k: 2, init: Float64Array.of(0, 2) });
    assert.deepEqual([...r.labels], [0, 0, 0, 1]);
    close(r.centroids[0]!, 5 / 3);
    close(r.centroids[1]!, 10);
    close(r.inertia, 42 / 9);
    assert.equal(r.iterations, 4);
  });

  it('gives exactly the labels of plain Lloyd (Hamerly bounds skip nothing that matters)', () => {
    const n = 3000;
    const d = 3;
    const x = randomData(n, d, 1);
    const init = kmeansPlusPlus(x, n, d, 6, createRng(2));
    const r = kmeans(x, n, d, { k: 6, init, tol: 0, maxIter: 500 });
    assert.deepEqual([...r.labels], [...plainLloyd(x, n, d, init, r.iterations)]);
  });

  it('keeps the best of several restarts', () => {
    const x = randomData(500, 2, 3);
    const one = kmeans(x, 500, 2, { k: 5, seed: 9, nInit: 1 });
    const many = kmeans(x, 500, 2, { k: 5, seed: 9, nInit: 6 });
    assert.ok(many.inertia <= one.inertia);
  });

  it('seeds k-means++ with distinct data points', () => {
    const x = Float64Array.of(0, 0, 0, 0, 5, 5, 9, 0);
    const c = kmeansPlusPlus(x, 4, 2, 3, createRng(4));
    const rows = new Set(['0,0', '5,5', '9,0']);
    const picked = [0, 1, 2].map((j) => `${c[j * 2]},${c[j * 2 + 1]}`);
    assert.equal(new Set(picked).size, 3);
    for (const p of picked) assert.ok(rows.has(p), p);
  });

  it('rejects k larger than n and a wrongly sized matrix', () => {
    assert.throws(() => kmeans(Float64Array.of(1, 2), 2, 1, { k: 3 }), RangeError);
    assert.throws(() => kmeans(Float64Array.of(1, 2, 3), 2, 1, { k: 1 }), RangeError);
  });

  it('gives the same result on two threads as on one (worker started under tsx)', async () => {
    const n = 20_001;
    const x = randomData(n, 4, 5);
    const init = kmeansPlusPlus(x, n, 4, 7, createRng(6));
    const single = kmeans(x, n, 4, { k: 7, init });
    const pool = await KMeansPool.create(2);
    try {
      const par = await pool.fit(x, n, 4, { k: 7, init });
      assert.deepEqual([...par.labels], [...single.labels]);
      assert.equal(par.iterations, single.iterations);
      close(par.inertia, single.inertia, 1e-6 * single.inertia);
    } finally {
      await pool.close();
    }
  });
});

describe('silhouette and elbow', () => {
  it('scores [0 1 | 10 11] as ((10.5−1)/10.5 + (9.5−1)/9.5) / 2', () => {
    const s = silhouette(Float64Array.of(0, 1, 10, 11), 4, 1, [0, 0, 1, 1]);
    close(s, (9.5 / 10.5 + 8.5 / 9.5) / 2);
  });

  it('is NaN with a single cluster', () => {
    assert.ok(Number.isNaN(silhouette(Float64Array.of(0, 1), 2, 1, [0, 0])));
  });

  it('picks the elbow of 100, 40, 20, 15, 12 at k = 2', () => {
    assert.equal(elbow([1, 2, 3, 4, 5], [100, 40, 20, 15, 12]), 2);
  });

  it('finds k = 3 for three tight, far-apart groups', () => {
    const rng = createRng(8);
    const x = Float64Array.from({ length: 600 }, (_, i) => [0, 20, 40][i % 3]! + 0.1 * rng.normal());
    const r = chooseK(x, 600, 1, [1, 2, 3, 4, 5, 6], { seed: 1, nInit: 3 });
    assert.equal(r.best, 3);
    assert.equal(r.inertias.length, 6);
  });
});
