import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { binColumn, binMatrix, lowerBound, radixSortFloat32 } from './cart.bins.js';
import { explain, treeFromJson, treeToJson } from './cart.explain.js';
import { classWeights, fitTree, predict, predictProba } from './cart.js';
import { impurity } from './cart.split.js';
import { createRng } from './rng.js';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);
/** Column-major Float32 matrix from columns. */
const cols = (...c: number[][]): Float32Array => Float32Array.from(c.flat());

// f0 = [1..6], y = [0 0 1 0 1 1]. Child cost W_L·G_L + W_R·G_R per cut on f0:
// after 1: 2.4, after 2: 1.5, after 3: 2.667, after 4: 1.5, after 5: 2.4.
// f1 = [0 0 0 1 1 1] cuts into {0,0,1} | {0,1,1}: 2.667. Best: f0 ≤ 2.5 (first of the tie).
const F0 = [1, 2, 3, 4, 5, 6];
const F1 = [0, 0, 0, 1, 1, 1];
const Y6 = [0, 0, 1, 0, 1, 1];

describe('impurity', () => {
  it('gini of 6:2 is 0.375 and entropy 0.811278', () => {
    close(impurity([6, 2], 8, 'gini'), 0.375);
    close(impurity([6, 2], 8, 'entropy'), 0.8112781244591328);
    close(impurity([3, 3], 6, 'gini'), 0.5);
    close(impurity([4, 0], 4, 'entropy'), 0);
  });
});

describe('fitTree', () => {
  it('splits a separable column at the midpoint 3.5 into pure leaves', () => {
    const t = fitTree(cols([1, 2, 3, 4, 5, 6]), [0, 0, 0, 1, 1, 1], 6, 1);
    assert.equal(t.feature[0], 0);
    assert.equal(t.threshold[0], 3.5);
    assert.deepEqual([...t.proba], [0.5, 0.5, 1, 0, 0, 1]);
    assert.deepEqual([...t.impurity], [0.5, 0, 0]);
    assert.deepEqual([...t.importances], [1]);
  });

  it('picks the hand-computed best split f0 ≤ 2.5 (cost 1.5) over f1', () => {
    const t = fitTree(cols(F0, F1), Y6, 6, 2, { maxDepth: 1 });
    assert.equal(t.feature[0], 0);
    assert.equal(t.threshold[0], 2.5);
    close(t.impurity[0]!, 0.5);
    close(t.impurity[t.left[0]!]!, 0);
    close(t.impurity[t.right[0]!]!, 0.375);
    assert.equal(t.samples[t.right[0]!], 4);
  });

  it('honours minSamplesLeaf: with 3 per leaf only the cut after 3 is allowed', () => {
    const t = fitTree(cols(F0, F1), Y6, 6, 2, { maxDepth: 1, minSamplesLeaf: 3 });
    // f0 ≤ 3.5 and f1 ≤ 0.5 make the same partition; f0 comes first.
    assert.equal(t.feature[0], 0);
    assert.equal(t.threshold[0], 3.5);
  });

  it('honours minSamplesSplit and maxDepth', () => {
    const t = fitTree(cols(F0, F1), Y6, 6, 2, { minSamplesSplit: 5 });
    // Root (6 rows) splits; the 4-row right child may not.
    assert.equal(t.feature.length, 3);
    const deep = fitTree(cols(F0, F1), Y6, 6, 2, { maxDepth: 2 });
    assert.equal(deep.feature[deep.right[0]!], 0);
    assert.equal(deep.threshold[deep.right[0]!], 4.5);
  });

  // Root 6×0 / 2×1 (gini .375, W·G = 3). f0 cut: {0,0,0,0} | {1,1,0,0} cost 2 (decrease 1);
  // then f1 splits the right node perfectly (decrease 4 × 0.5 = 2). Importances 1/3, 2/3.
  const I0 = [0, 0, 0, 0, 1, 1, 1, 1];
  const I1 = [0, 0, 0, 0, 0, 0, 1, 1];
  const IY = [0, 0, 0, 0, 1, 1, 0, 0];

  it('computes normalised impurity-decrease importances (1/3, 2/3)', () => {
    const t = fitTree(cols(I0, I1), IY, 8, 2);
    close(t.importances[0]!, 1 / 3);
    close(t.importances[1]!, 2 / 3);
    assert.deepEqual([...t.feature], [0, -1, 1, -1, -1]);
  });

  it("weighs classes with 'balanced' (n / (C·n_c)) and uses the weights in probabilities", () => {
    const w = classWeights('balanced', Float64Array.of(6, 2), 8);
    close(w[0]!, 2 / 3);
    close(w[1]!, 2);
    const t = fitTree(cols(I0, I1), IY, 8, 2, { classWeight: 'balanced', maxDepth: 0 });
    close(t.proba[0]!, 0.5);
    close(t.impurity[0]!, 0.5);
    assert.throws(() => fitTree(cols(I0), IY, 8, 1, { classWeight: [1] }), RangeError);
  });

  it('uses entropy when asked', () => {
    const t = fitTree(cols(I0, I1), IY, 8, 2, { criterion: 'entropy', maxDepth: 0 });
    close(t.impurity[0]!, 0.8112781244591328);
  });

  it('predicts and gives probabilities per row', () => {
    const t = fitTree(cols(I0, I1), IY, 8, 2);
    const x = cols([0, 1, 1], [1, 0, 1]);
    assert.deepEqual([...predict(t, x, 3)], [0, 1, 0]);
    assert.deepEqual([...predictProba(t, x, 3)], [1, 0, 0, 1, 1, 0]);
  });

  it('learns a threshold on a feature with more distinct values than bins', () => {
    const rng = createRng(3);
    const n = 5000;
    const v = Float32Array.from({ length: n }, () => rng.next() * 100);
    const y = Array.from(v, (a) => (a > 37.2 ? 1 : 0));
    const t = fitTree(v, y, n, 1, { maxDepth: 3, bins: { maxBins: 255 } });
    const test = Float32Array.of(10, 36, 38.5, 90);
    assert.deepEqual([...predict(t, test, 4)], [0, 0, 1, 1]);
    // Small data defaults to one bin per distinct value: the exact midpoint, as scikit-learn.
    const exact = fitTree(v, y, n, 1, { maxDepth: 1 });
    const below = Math.max(...v.filter((a) => a <= 37.2));
    const above = Math.min(...v.filter((a) => a > 37.2));
    assert.equal(exact.threshold[0], below / 2 + above / 2);
    assert.notEqual(t.threshold[0], exact.threshold[0]);
  });

  it('rejects labels that are not class indices and NaN features', () => {
    assert.throws(() => fitTree(cols([1, 2]), [0, 1.5], 2, 1), RangeError);
    assert.throws(() => fitTree(cols([1, NaN]), [0, 1], 2, 1), RangeError);
  });
});

describe('binning', () => {
  it('gives one bin per distinct value when there are few', () => {
    const b = binMatrix(cols([3, 1, 2, 3, 1]), 5, 1);
    assert.deepEqual([...b.bins], [2, 0, 1, 2, 0]);
    assert.deepEqual([...b.edges[0]!], [1.5, 2.5]);
  });

  it('makes quantile bins of about equal size for many distinct values', () => {
    const x = Float32Array.from({ length: 1000 }, (_, i) => i);
    const b = binMatrix(x, 1000, 1, { maxBins: 4 });
    const counts = [0, 0, 0, 0];
    for (const v of b.bins) counts[v]!++;
    assert.deepEqual(counts, [250, 250, 250, 250]);
  });

  it('radix-sorts floats of both signs, zeros and infinities like a comparison sort', () => {
    const rng = createRng(4);
    const a = Float32Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? Math.round(rng.normal()) : rng.normal() * 10 ** (i % 5)));
    a.set([-0, 0, Infinity, -Infinity, 1e-40, -1e-40], 10);
    const expected = Array.from(a).sort((x, y) => x - y);
    radixSortFloat32(a);
    assert.deepEqual(Array.from(a, (v) => v + 0), expected.map((v) => v + 0));
  });

  it('bins through the lookup table exactly as a binary search would', () => {
    const rng = createRng(12);
    const e = Float64Array.from({ length: 200 }, () => rng.normal()).sort();
    const col = Float32Array.from({ length: 40000 }, () => 1.2 * rng.normal());
    col[0] = e[10]!;
    const out = new Uint8Array(col.length);
    binColumn(col, e, out);
    for (let i = 0; i < col.length; i++) assert.equal(out[i], lowerBound(e, col[i]!));
  });
});

describe('explain and JSON', () => {
  const t = fitTree(cols([0, 0, 0, 0, 1, 1, 1, 1], [2, 3, 4, 5, 2, 3, 9, 12]), [0, 0, 0, 0, 1, 1, 0, 0], 8, 2);
  const names = ['Contract=Month-to-month', 'tenure'];

  it('reads indicator and integer conditions with the leaf probability', () => {
    const e = explain(t, [1, 3], names, {});
    assert.deepEqual(e.conditions, ['Contract = Month-to-month', 'tenure ≤ 6']);
    const ei = explain(t, [1, 3], names, { tenure: { integer: true } });
    assert.deepEqual(ei.conditions, ['Contract = Month-to-month', 'tenure < 7']);
    assert.equal(ei.classIndex, 1);
    assert.equal(ei.probability, 1);
    assert.equal(ei.samples, 2);
    assert.deepEqual(explain(t, [0, 3], names).conditions, ['Contract ≠ Month-to-month']);
  });

  it('merges repeated conditions on one feature into a range', () => {
    const rng = createRng(2);
    const x = Float32Array.from({ length: 400 }, () => Math.floor(rng.next() * 40));
    const y = Array.from(x, (v) => (v >= 10 && v < 20 ? 1 : 0));
    const tr = fitTree(x, y, 400, 1);
    assert.deepEqual(explain(tr, [15], ['tenure'], { tenure: { integer: true } }).conditions, ['10 ≤ tenure < 20']);
  });

  it('round-trips through JSON', () => {
    const back = treeFromJson(JSON.parse(JSON.stringify(treeToJson(t, names))) as ReturnType<typeof treeToJson>);
    assert.deepEqual(back, t);
    assert.throws(() => treeFromJson({ ...treeToJson(t), version: 2 as 1 }), RangeError);
  });
});
