/** Classification metrics and a seeded train/test split. */
import { createRng, shuffleInPlace } from './rng.js';

/** Counts for a binary problem; `positive` is the class of interest. */
export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/** Full confusion matrix, m[actual][predicted], for classes 0..nClasses−1. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, nClasses: number): number[][] {
  sameLength(actual, predicted);
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < actual.length; i++) m[actual[i]!]![predicted[i]!]!++;
  return m;
}

/** Binary confusion counts with `positive` (default 1) as the positive class. */
export function binaryConfusion(actual: ArrayLike<number>, predicted: ArrayLike<number>, positive = 1): Confusion {
  sameLength(actual, predicted);
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 };
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] === positive;
    const p = predicted[i] === positive;
    if (a && p) c.tp++;
    else if (p) c.fp++;
    else if (a) c.fn++;
    else c.tn++;
  }
  return c;
}

/** Share of rows predicted correctly; NaN for no rows. */
export function accuracy(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  sameLength(actual, predicted);
  let ok = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] === predicted[i]) ok++;
  return actual.length ? ok / actual.length : NaN;
}

/** Precision, recall and F1 of the positive class (0 where undefined, as scikit-learn warns and does). */
export function precisionRecallF1(c: Confusion): { precision: number; recall: number; f1: number } {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 0;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

/**
 * Area under the ROC curve from ranks (Mann–Whitney U), ties sharing their
 * average rank. `labels` are 1 for positive, 0 otherwise. NaN when one class
 * is absent.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  sameLength(labels, scores);
  const n = labels.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  let rankSumPos = 0;
  let nPos = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) {
      if (labels[order[t]!] === 1) {
        rankSumPos += avgRank;
        nPos++;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return NaN;
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/**
 * Seeded split of row indices 0..n−1 into train and test sets (both sorted).
 * With `stratify`, each class contributes round(testFraction · n_class) rows
 * to the test set.
 */
export function trainTestSplit(n: number, testFraction: number, seed: number, stratify?: ArrayLike<number>): { train: Uint32Array; test: Uint32Array } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError('testFraction must be in (0, 1)');
  const rng = createRng(seed);
  const isTest = new Uint8Array(n);
  if (stratify) {
    const groups = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      const g = groups.get(stratify[i]!) ?? [];
      g.push(i);
      groups.set(stratify[i]!, g);
    }
    for (const key of [...groups.keys()].sort((a, b) => a - b)) {
      const g = Uint32Array.from(groups.get(key)!);
      shuffleInPlace(g, rng);
      const take = Math.round(testFraction * g.length);
      for (let t = 0; t < take; t++) isTest[g[t]!] = 1;
    }
  } else {
    const perm = shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), rng);
    const take = Math.round(testFraction * n);
    for (let t = 0; t < take; t++) isTest[perm[t]!] = 1;
  }
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < n; i++) (isTest[i] ? test : train).push(i);
  return { train: Uint32Array.from(train), test: Uint32Array.from(test) };
}

/** Rows `rows` of an n × p column-major matrix, as a new column-major matrix. */
export function takeRows(x: Float32Array, n: number, p: number, rows: Uint32Array): Float32Array {
  const m = rows.length;
  const out = new Float32Array(m * p);
  for (let f = 0; f < p; f++) {
    const src = f * n;
    const dst = f * m;
    for (let r = 0; r < m; r++) out[dst + r] = x[src + rows[r]!]!;
  }
  return out;
}

function sameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>): void {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
}
