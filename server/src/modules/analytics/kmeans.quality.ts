/** Cluster-quality helpers: sampled silhouette and an elbow chooser for k. */
import { kmeans, type KMeansOptions } from './kmeans.js';
import { sqDist } from './kmeans.kernel.js';
import { createRng, shuffleInPlace } from './rng.js';

/**
 * Mean silhouette coefficient over a random sample of at most `sampleSize`
 * rows (row-major x), with distances computed within the sample, as
 * scikit-learn's silhouette_score(sample_size=…) does. Points alone in their
 * cluster score 0. NaN when the sample holds fewer than two clusters.
 */
export function silhouette(x: Float64Array, n: number, d: number, labels: ArrayLike<number>, sampleSize = 2000, seed = 0): number {
  const rows = Uint32Array.from({ length: n }, (_, i) => i);
  const m = Math.min(n, sampleSize);
  const sample = m < n ? shuffleInPlace(rows, createRng(seed)).subarray(0, m) : rows;
  let k = 0;
  for (const i of sample) k = Math.max(k, labels[i]! + 1);
  const size = new Float64Array(k);
  for (const i of sample) size[labels[i]!]!++;
  if (size.filter((s) => s > 0).length < 2) return NaN;
  const sums = new Float64Array(k);
  let total = 0;
  for (const i of sample) {
    sums.fill(0);
    for (const j of sample) if (i !== j) sums[labels[j]!]! += Math.sqrt(sqDist(x, i * d, x, j * d, d));
    const own = labels[i]!;
    if (size[own]! <= 1) continue;
    const a = sums[own]! / (size[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && size[c]! > 0) b = Math.min(b, sums[c]! / size[c]!);
    total += (b - a) / Math.max(a, b);
  }
  return total / m;
}

/** Inertia per tried k and the k chosen at the elbow. */
export interface ElbowResult {
  ks: number[];
  inertias: number[];
  /** k at the elbow: the point farthest from the chord joining the first and last (k, inertia). */
  best: number;
}

/**
 * Fits k-means for each k in `ks` (ascending, at least one) and picks the
 * elbow of the inertia curve. Throws RangeError for an empty range.
 */
export function chooseK(x: Float64Array, n: number, d: number, ks: readonly number[], opts: Omit<KMeansOptions, 'k' | 'init'> = {}): ElbowResult {
  if (!ks.length) throw new RangeError('chooseK needs at least one k');
  const inertias = ks.map((k) => kmeans(x, n, d, { ...opts, k }).inertia);
  return { ks: [...ks], inertias, best: elbow(ks, inertias) };
}

/** Elbow of a decreasing curve: the point farthest below the chord joining its ends. */
export function elbow(ks: readonly number[], values: readonly number[]): number {
  const last = ks.length - 1;
  if (last < 2) return ks[0]!;
  const x0 = ks[0]!;
  const y0 = values[0]!;
  const dx = ks[last]! - x0 || 1;
  const dy = y0 - values[last]! || 1;
  let best = ks[0]!;
  let bestGap = -Infinity;
  for (let i = 0; i <= last; i++) {
    // Normalise both axes to [0, 1]; the chord is then the line from (0, 1) to (1, 0).
    const u = (ks[i]! - x0) / dx;
    const v = (values[i]! - values[last]!) / dy;
    const gap = 1 - u - v;
    if (gap > bestGap) {
      bestGap = gap;
      best = ks[i]!;
    }
  }
  return best;
}
