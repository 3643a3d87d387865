/**
 * k-means clustering: greedy k-means++ seeding, several restarts, and Lloyd
 * iterations accelerated with Hamerly's bounds (exact: gives the same labels
 * as plain Lloyd, only skips distance computations that cannot matter).
 * Data is row-major Float64Array (n × d), the layout the distance loop wants.
 * Convergence follows scikit-learn: stop when no label changes, or when the
 * summed squared centre shift falls below tol × mean feature variance, then
 * relabel once with the final centres.
 */
import { assignPass, inertiaPass, sqDist, type KMeansArrays, type MoveSummary } from './kmeans.kernel.js';
import { createRng, type Rng } from './rng.js';

/** Number of clusters, restarts and stopping rule. */
export interface KMeansOptions {
  k: number;
  /** Independent k-means++ restarts; the lowest inertia wins. Default 1. */
  nInit?: number;
  maxIter?: number;
  /** Relative tolerance (scikit-learn semantics). Default 1e-4. */
  tol?: number;
  seed?: number;
  /** Initial centres (k × d, row-major); disables k-means++ and restarts. */
  init?: Float64Array;
}

/** A fitted clustering. `inertia` is the sum of squared distances to the assigned centres. */
export interface KMeansResult {
  /** Row-major k × d. */
  centroids: Float64Array;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  converged: boolean;
}

/** Allocates a buffer; SharedArrayBuffer when the run is shared with workers. */
export type Alloc = (bytes: number) => ArrayBuffer | SharedArrayBuffer;
const plainAlloc: Alloc = (bytes) => new ArrayBuffer(bytes);

/** State of one Lloyd run: centres, bounds and running per-cluster sums. */
export class LloydRun {
  readonly arrays: KMeansArrays;
  readonly sums: Float64Array;
  readonly counts: Float64Array;
  readonly mv: MoveSummary = { maxMove: 0, secondMove: 0, farthest: -1 };

  constructor(x: Float64Array, readonly n: number, readonly d: number, readonly k: number, init: Float64Array, alloc: Alloc = plainAlloc) {
    const f64 = (len: number): Float64Array => new Float64Array(alloc(len * 8));
    const centres = f64(k * d);
    centres.set(init.subarray(0, k * d));
    const labels = new Int32Array(alloc(n * 4)).fill(-1);
    this.arrays = { x, centres, half: f64(k), cc: f64(k * k), move: f64(k), labels, upper: f64(n), lower: f64(n) };
    this.sums = new Float64Array(k * d);
    this.counts = new Float64Array(k);
    this.computeHalf();
  }

  /** Adds the per-cluster sum and count changes reported by a pass. */
  absorb(sumDelta: Float64Array, countDelta: Float64Array): void {
    for (let i = 0; i < this.sums.length; i++) this.sums[i]! += sumDelta[i]!;
    for (let j = 0; j < this.k; j++) this.counts[j]! += countDelta[j]!;
  }

  /** Moves centres to the cluster means; returns the summed squared shift. */
  update(): number {
    const { centres, move } = this.arrays;
    const { d, k, mv } = this;
    let total = 0;
    mv.maxMove = 0;
    mv.secondMove = 0;
    mv.farthest = -1;
    for (let j = 0; j < k; j++) {
      const c = this.counts[j]!;
      let sq = 0;
      if (c > 0) {
        for (let t = 0; t < d; t++) {
          const v = this.sums[j * d + t]! / c;
          const diff = v - centres[j * d + t]!;
          sq += diff * diff;
          centres[j * d + t] = v;
        }
      }
      // An empty cluster keeps its centre (scikit-learn relocates it instead).
      const m = Math.sqrt(sq);
      move[j] = m;
      total += sq;
      if (m > mv.maxMove) {
        mv.secondMove = mv.maxMove;
        mv.maxMove = m;
        mv.farthest = j;
      } else if (m > mv.secondMove) {
        mv.secondMove = m;
      }
    }
    this.computeHalf();
    return total;
  }

  private computeHalf(): void {
    const { centres, half, cc } = this.arrays;
    const { k, d } = this;
    for (let j = 0; j < k; j++) {
      let min = Infinity;
      for (let o = 0; o < k; o++) {
        const dist = o === j ? 0 : Math.sqrt(sqDist(centres, j * d, centres, o * d, d));
        cc[j * k + o] = dist;
        if (o !== j && dist < min) min = dist;
      }
      half[j] = 0.5 * min;
    }
  }
}

/** scikit-learn's absolute tolerance: tol × mean of the per-feature variances. */
export function absoluteTolerance(x: Float64Array, n: number, d: number, tol: number): number {
  const mean = new Float64Array(d);
  const sq = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < d; t++) {
      const v = x[i * d + t]!;
      mean[t]! += v;
      sq[t]! += v * v;
    }
  }
  let varSum = 0;
  for (let t = 0; t < d; t++) {
    const m = mean[t]! / n;
    varSum += sq[t]! / n - m * m;
  }
  return (varSum / d) * tol;
}

/**
 * Greedy k-means++ seeding as in scikit-learn: each new centre is the best of
 * 2 + ⌊ln k⌋ candidates drawn proportionally to the squared distance.
 */
export function kmeansPlusPlus(x: Float64Array, n: number, d: number, k: number, rng: Rng): Float64Array {
  const centres = new Float64Array(k * d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.int(n);
  centres.set(x.subarray(first * d, first * d + d), 0);
  const closest = new Float64Array(n);
  let pot = 0;
  for (let i = 0; i < n; i++) pot += closest[i] = sqDist(x, i * d, centres, 0, d);
  const cand = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPot = Infinity;
    let bestIdx = 0;
    let bestDists: Float64Array | null = null;
    for (let t = 0; t < trials; t++) {
      const idx = sampleByWeight(closest, pot, rng);
      let p = 0;
      for (let i = 0; i < n; i++) {
        const v = Math.min(closest[i]!, sqDist(x, i * d, x, idx * d, d));
        cand[i] = v;
        p += v;
      }
      if (p < bestPot) {
        bestPot = p;
        bestIdx = idx;
        bestDists = bestDists ?? new Float64Array(n);
        bestDists.set(cand);
      }
    }
    closest.set(bestDists!);
    pot = bestPot;
    centres.set(x.subarray(bestIdx * d, bestIdx * d + d), c * d);
  }
  return centres;
}

function sampleByWeight(w: Float64Array, total: number, rng: Rng): number {
  let r = rng.next() * total;
  for (let i = 0; i < w.length; i++) {
    r -= w[i]!;
    if (r < 0) return i;
  }
  return w.length - 1;
}

/** One Lloyd run from given centres on the current thread. */
/**
 * Lloyd iterations until no label changes (strict convergence), the centres
 * move less than `tolAbs`, or `maxIter`. `pass` assigns every point and
 * feeds the sums to `run`; after a tolerance stop one more pass makes the
 * labels agree with the final centres (scikit-learn does the same).
 */
export function iterate(run: LloydRun, pass: () => number, maxIter: number, tolAbs: number): { iterations: number; converged: boolean } {
  let iterations = 0;
  let converged = false;
  let strict = false;
  while (iterations < maxIter) {
    iterations++;
    if (pass() === 0) {
      converged = strict = true;
      break;
    }
    if (run.update() <= tolAbs) {
      converged = true;
      break;
    }
  }
  if (!strict) pass();
  return { iterations, converged };
}

export function lloyd(x: Float64Array, n: number, d: number, init: Float64Array, maxIter: number, tolAbs: number): KMeansResult {
  const k = init.length / d;
  const run = new LloydRun(x, n, d, k, init);
  const sd = new Float64Array(k * d);
  const cd = new Float64Array(k);
  const pass = (): number => {
    sd.fill(0);
    cd.fill(0);
    const changed = assignPass(run.arrays, d, k, 0, n, run.mv, sd, cd);
    run.absorb(sd, cd);
    return changed;
  };
  const { iterations, converged } = iterate(run, pass, maxIter, tolAbs);
  const { centres, labels } = run.arrays;
  return { centroids: centres, labels, inertia: inertiaPass(x, centres, labels, d, 0, n), iterations, converged };
}

/**
 * Clusters n rows of d features (row-major) into k groups on this thread.
 * Throws RangeError when k is not in [1, n] or the data length is wrong.
 */
export function kmeans(x: Float64Array, n: number, d: number, opts: KMeansOptions): KMeansResult {
  validate(x, n, d, opts.k);
  const tolAbs = absoluteTolerance(x, n, d, opts.tol ?? 1e-4);
  const maxIter = opts.maxIter ?? 300;
  if (opts.init) return lloyd(x, n, d, opts.init, maxIter, tolAbs);
  const rng = createRng(opts.seed ?? 0);
  let best: KMeansResult | null = null;
  for (let r = 0; r < (opts.nInit ?? 1); r++) {
    const res = lloyd(x, n, d, kmeansPlusPlus(x, n, d, opts.k, rng), maxIter, tolAbs);
    if (!best || res.inertia < best.inertia) best = res;
  }
  return best!;
}

/** Checks shapes shared by the single- and multi-threaded entry points. */
export function validate(x: Float64Array, n: number, d: number, k: number): void {
  if (x.length !== n * d) throw new RangeError(`data has ${x.length} values, expected ${n} × ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be an integer in [1, ${n}]`);
}
