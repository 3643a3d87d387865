/**
 * CART decision-tree classifier with histogram split finding. Rows are
 * binned once (cart.bins.ts); each node's class histogram is built for the
 * smaller child only and the sibling's is the parent's minus it. Thresholds
 * are midpoints between neighbouring values, as in scikit-learn, so a
 * trained tree predicts from raw feature values.
 */
import { binMatrix, type BinOptions } from './cart.bins.js';
import { findBestSplit, histogramOffsets, impurity, type Criterion } from './cart.split.js';

export type { Criterion } from './cart.split.js';

/** Growth limits and weighting; defaults follow scikit-learn's DecisionTreeClassifier. */
export interface TreeOptions {
  criterion?: Criterion;
  /** Default unlimited. */
  maxDepth?: number;
  /** Default 2. */
  minSamplesSplit?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** 'balanced' weighs class c by n / (C · n_c), as scikit-learn does. */
  classWeight?: 'balanced' | readonly number[];
  /** Number of classes; default max(y) + 1. */
  nClasses?: number;
  bins?: BinOptions;
}

/** A fitted tree: flat node arrays in pre-order; feature −1 marks a leaf. */
export interface DecisionTree {
  nFeatures: number;
  nClasses: number;
  criterion: Criterion;
  feature: Int32Array;
  /** Go left when x[feature] <= threshold. */
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Class probabilities per node (weighted), nodes × nClasses. */
  proba: Float64Array;
  samples: Int32Array;
  impurity: Float64Array;
  /** Normalised total impurity decrease per feature (sums to 1 unless no split). */
  importances: Float64Array;
}

/**
 * Fits a tree on an n × p column-major Float32 matrix and class indices y.
 * Throws RangeError on shape mismatch, NaN features or labels outside
 * [0, nClasses).
 */
export function fitTree(x: Float32Array, y: ArrayLike<number>, n: number, p: number, opts: TreeOptions = {}): DecisionTree {
  if (x.length !== n * p || y.length !== n) throw new RangeError(`expected ${n} × ${p} features and ${n} labels`);
  let C = opts.nClasses ?? 0;
  for (let i = 0; i < n; i++) if (y[i]! + 1 > C && opts.nClasses === undefined) C = y[i]! + 1;
  const yy = new Uint8Array(n);
  const classCount = new Float64Array(C);
  for (let i = 0; i < n; i++) {
    const c = y[i]!;
    if (!Number.isInteger(c) || c < 0 || c >= C || c > 255) throw new RangeError(`label ${c} at row ${i} is not a class index`);
    yy[i] = c;
    classCount[c]!++;
  }
  const cw = classWeights(opts.classWeight, classCount, n);
  const criterion = opts.criterion ?? 'gini';
  const maxDepth = opts.maxDepth ?? Infinity;
  const minSplit = Math.max(2, opts.minSamplesSplit ?? 2);
  const minLeaf = Math.max(1, opts.minSamplesLeaf ?? 1);
  const bm = binMatrix(x, n, p, opts.bins);
  const { bins } = bm;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;

  const offset = histogramOffsets(bm.edges.map((e) => e.length + 1));
  const spare: Uint32Array[] = [];
  const takeHist = (): Uint32Array => spare.pop()?.fill(0) ?? new Uint32Array(offset[p]! * C);
  const buildHist = (h: Uint32Array, start: number, end: number): void => {
    for (let f = 0; f < p; f++) {
      const col = f * n;
      const base = offset[f]! * C;
      for (let r = start; r < end; r++) {
        const i = idx[r]!;
        h[base + bins[col + i]! * C + yy[i]!]!++;
      }
    }
  };

  const nodes = { feature: [] as number[], threshold: [] as number[], left: [] as number[], right: [] as number[], proba: [] as number[], samples: [] as number[], impurity: [] as number[] };
  const importances = new Float64Array(p);

  const nodeImpurity = (counts: Float64Array): number => {
    let W = 0;
    const w = Array.from(counts, (c, k) => c * cw[k]!);
    for (const v of w) W += v;
    return impurity(w, W, criterion);
  };
  const splittable = (nNode: number, depth: number, imp: number): boolean =>
    depth < maxDepth && nNode >= minSplit && nNode >= 2 * minLeaf && imp > 1e-7;

  /** Grows the subtree of rows idx[start, end); `hist` is null when the node cannot split. */
  const grow = (start: number, end: number, depth: number, hist: Uint32Array | null, counts: Float64Array): number => {
    const id = nodes.feature.length;
    const w = Array.from(counts, (c, k) => c * cw[k]!);
    const W = w.reduce((a, b) => a + b, 0);
    const imp = impurity(w, W, criterion);
    const nNode = end - start;
    nodes.feature.push(-1);
    nodes.threshold.push(0);
    nodes.left.push(-1);
    nodes.right.push(-1);
    nodes.samples.push(nNode);
    nodes.impurity.push(imp);
    for (const v of w) nodes.proba.push(W > 0 ? v / W : 0);
    const split = hist && splittable(nNode, depth, imp) ? findBestSplit(hist, offset, C, cw, counts, minLeaf, criterion) : null;
    if (!split || !hist) {
      if (hist) spare.push(hist);
      return id;
    }
    const f = split.feature;
    const col = f * n;
    // Partition idx[start, end) so rows with bin <= leftBin come first.
    let lo = start;
    let hi = end - 1;
    while (lo <= hi) {
      if (bins[col + idx[lo]!]! <= split.leftBin) lo++;
      else {
        const t = idx[lo]!;
        idx[lo] = idx[hi]!;
        idx[hi--] = t;
      }
    }
    const mid = lo;
    const leftCounts = new Float64Array(C);
    for (let b = 0; b <= split.leftBin; b++) for (let c = 0; c < C; c++) leftCounts[c]! += hist[(offset[f]! + b) * C + c]!;
    const rightCounts = counts.map((c, k) => c - leftCounts[k]!);
    const [hl, hr] = childHistograms(hist, start, mid, end, splittable(mid - start, depth + 1, nodeImpurity(leftCounts)), splittable(end - mid, depth + 1, nodeImpurity(rightCounts)));
    const vals = bm.values[f];
    nodes.feature[id] = f;
    nodes.threshold[id] = vals ? vals[split.leftBin]! / 2 + vals[split.rightBin]! / 2 : bm.edges[f]![split.leftBin]!;
    importances[f]! += W * imp - split.childCost;
    nodes.left[id] = grow(start, mid, depth + 1, hl, leftCounts);
    nodes.right[id] = grow(mid, end, depth + 1, hr, rightCounts);
    return id;
  };

  /**
   * Histograms for the children that may split, reusing the parent's buffer.
   * Both: build the smaller child, the other is parent − smaller. One: build
   * it directly or by subtraction, whichever touches fewer cells. Leaves
   * (most of the last level) need none.
   */
  const childHistograms = (hist: Uint32Array, start: number, mid: number, end: number, needL: boolean, needR: boolean): [Uint32Array | null, Uint32Array | null] => {
    const nL = mid - start;
    const nR = end - mid;
    if (!needL && !needR) {
      spare.push(hist);
      return [null, null];
    }
    const subtractBuild = (smallStart: number, smallEnd: number): Uint32Array => {
      const small = takeHist();
      buildHist(small, smallStart, smallEnd);
      for (let s = 0; s < hist.length; s++) hist[s]! -= small[s]!;
      return small;
    };
    if (needL && needR) {
      const small = nL <= nR ? subtractBuild(start, mid) : subtractBuild(mid, end);
      return nL <= nR ? [small, hist] : [hist, small];
    }
    const [nNeed, nOther] = needL ? [nL, nR] : [nR, nL];
    if (nNeed * p <= nOther * p + hist.length) {
      hist.fill(0);
      if (needL) buildHist(hist, start, mid);
      else buildHist(hist, mid, end);
    } else {
      spare.push(needL ? subtractBuild(mid, end) : subtractBuild(start, mid));
    }
    return needL ? [hist, null] : [null, hist];
  };

  const rootHist = takeHist();
  buildHist(rootHist, 0, n);
  grow(0, n, 0, rootHist, classCount);
  const totalImp = importances.reduce((a, b) => a + b, 0);
  if (totalImp > 0) for (let f = 0; f < p; f++) importances[f] = importances[f]! / totalImp;
  return {
    nFeatures: p, nClasses: C, criterion,
    feature: Int32Array.from(nodes.feature), threshold: Float64Array.from(nodes.threshold),
    left: Int32Array.from(nodes.left), right: Int32Array.from(nodes.right), proba: Float64Array.from(nodes.proba),
    samples: Int32Array.from(nodes.samples), impurity: Float64Array.from(nodes.impurity), importances,
  };
}

/** Class weights: all ones, 'balanced', or the given list. */
export function classWeights(spec: TreeOptions['classWeight'], classCount: Float64Array, n: number): Float64Array {
  const C = classCount.length;
  if (spec === 'balanced') return classCount.map((c) => (c > 0 ? n / (C * c) : 0));
  if (spec) {
    if (spec.length !== C) throw new RangeError(`classWeight has ${spec.length} entries for ${C} classes`);
    return Float64Array.from(spec);
  }
  return new Float64Array(C).fill(1);
}

/** Leaf reached by one row (values indexed by feature). */
export function leafOf(tree: DecisionTree, row: ArrayLike<number>): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = row[tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

/** Class probabilities for n rows of a column-major matrix, n × nClasses. */
export function predictProba(tree: DecisionTree, x: Float32Array, n: number): Float64Array {
  const C = tree.nClasses;
  const out = new Float64Array(n * C);
  for (let i = 0; i < n; i++) {
    let node = 0;
    while (tree.feature[node]! >= 0) {
      node = x[tree.feature[node]! * n + i]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
    }
    for (let c = 0; c < C; c++) out[i * C + c] = tree.proba[node * C + c]!;
  }
  return out;
}

/** Most probable class for n rows of a column-major matrix (ties: lowest index). */
export function predict(tree: DecisionTree, x: Float32Array, n: number): Int32Array {
  const C = tree.nClasses;
  const proba = predictProba(tree, x, n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (proba[i * C + c]! > proba[i * C + best]!) best = c;
    out[i] = best;
  }
  return out;
}
