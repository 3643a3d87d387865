/** Best-split search over per-node class histograms (one 256-bin block per feature). */

/** Node impurity measure: Gini index or Shannon entropy (bits). */
export type Criterion = 'gini' | 'entropy';

/**
 * Layout of a node histogram: feature f owns bins [offset[f], offset[f+1]),
 * each holding nClasses counts. Sized per feature so a 0/1 indicator costs
 * two slots, not 256 (this dominates on small, wide data such as Telco).
 */
export function histogramOffsets(binsPerFeature: readonly number[]): Int32Array {
  const off = new Int32Array(binsPerFeature.length + 1);
  binsPerFeature.forEach((b, f) => (off[f + 1] = off[f]! + b));
  return off;
}

/** The best admissible split of a node. */
export interface SplitCandidate {
  feature: number;
  /** Rows with bin <= leftBin go left. */
  leftBin: number;
  /** First non-empty bin on the right (for the midpoint threshold). */
  rightBin: number;
  /** Weighted impurity sum of the children, W_L·I_L + W_R·I_R (lower is better). */
  childCost: number;
}

/** Impurity of weighted class totals `w` (length C) summing to `total`. */
export function impurity(w: ArrayLike<number>, total: number, criterion: Criterion): number {
  if (total <= 0) return 0;
  let acc = 0;
  for (let c = 0; c < w.length; c++) {
    const q = w[c]! / total;
    if (criterion === 'gini') acc += q * q;
    else if (q > 0) acc -= q * Math.log2(q);
  }
  return criterion === 'gini' ? 1 - acc : acc;
}

/**
 * Scans every feature's histogram for the split with the lowest child cost
 * that leaves at least `minLeaf` rows on each side. Ties keep the earlier
 * feature and bin. Returns null when no split is admissible.
 */
export function findBestSplit(
  hist: Uint32Array, offset: Int32Array, nClasses: number, classWeight: Float64Array,
  nodeCounts: Float64Array, minLeaf: number, criterion: Criterion,
): SplitCandidate | null {
  const C = nClasses;
  let nNode = 0;
  for (let c = 0; c < C; c++) nNode += nodeCounts[c]!;
  const left = new Float64Array(C);
  const wl = new Float64Array(C);
  const wr = new Float64Array(C);
  const gini2 = criterion === 'gini' && C === 2;
  let best: SplitCandidate | null = null;
  for (let f = 0; f + 1 < offset.length; f++) {
    const base = offset[f]! * C;
    const nb = offset[f + 1]! - offset[f]!;
    left.fill(0);
    let nLeft = 0;
    let prev = -1;
    for (let b = 0; b < nb; b++) {
      let binTotal = 0;
      for (let c = 0; c < C; c++) binTotal += hist[base + b * C + c]!;
      if (binTotal === 0) continue;
      if (prev >= 0 && nLeft >= minLeaf && nNode - nLeft >= minLeaf) {
        let WL = 0;
        let WR = 0;
        for (let c = 0; c < C; c++) {
          wl[c] = left[c]! * classWeight[c]!;
          wr[c] = (nodeCounts[c]! - left[c]!) * classWeight[c]!;
          WL += wl[c]!;
          WR += wr[c]!;
        }
        let cost: number;
        if (gini2) {
          // W·gini = W − Σ w_c² / W, inlined for the common binary case.
          cost = WL - (wl[0]! * wl[0]! + wl[1]! * wl[1]!) / WL + WR - (wr[0]! * wr[0]! + wr[1]! * wr[1]!) / WR;
        } else {
          cost = WL * impurity(wl, WL, criterion) + WR * impurity(wr, WR, criterion);
        }
        if (!best || cost < best.childCost - 1e-12 * Math.abs(best.childCost)) {
          best = { feature: f, leftBin: prev, rightBin: b, childCost: cost };
        }
      }
      if (nNode - nLeft - binTotal < minLeaf) break;
      for (let c = 0; c < C; c++) left[c]! += hist[base + b * C + c]!;
      nLeft += binTotal;
      prev = b;
    }
  }
  return best;
}
