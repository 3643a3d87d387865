/**
 * Inner loops of Lloyd's k-means with Hamerly's bounds, shared by the main
 * thread and the worker threads. Everything here works on a row range so the
 * rows can be split between threads; state lives in typed arrays that may be
 * backed by SharedArrayBuffers.
 *
 * Hamerly keeps, per point, an upper bound on the distance to its centre and
 * one lower bound on the distance to every other centre. When the upper bound
 * is below max(lower bound, half the distance from its centre to the nearest
 * other centre), the point cannot change cluster and no distance is computed.
 */

/** Arrays the assignment pass reads and writes. Distances are Euclidean. */
export interface KMeansArrays {
  /** Row-major data, n × d. */
  x: Float64Array;
  /** Row-major centres, k × d. */
  centres: Float64Array;
  /** Half the distance from each centre to its nearest other centre. */
  half: Float64Array;
  /** Centre-to-centre distances, k × k. */
  cc: Float64Array;
  /** How far each centre moved in the last update. */
  move: Float64Array;
  /** Cluster of each row; -1 before the first pass. */
  labels: Int32Array;
  upper: Float64Array;
  lower: Float64Array;
}

/** Movement summary applied to the bounds at the start of a pass. */
export interface MoveSummary {
  maxMove: number;
  secondMove: number;
  /** Centre that moved most (its points use secondMove for the lower bound). */
  farthest: number;
}

/**
 * One assignment pass over rows [start, end): loosens bounds by the last
 * centre movement, reassigns the rows whose bounds allow a change, and
 * accumulates the change in per-cluster sums into `sumDelta` (k × d) and
 * `countDelta` (k). Returns the number of rows whose label changed.
 */
export function assignPass(
  a: KMeansArrays, d: number, k: number, start: number, end: number,
  mv: MoveSummary, sumDelta: Float64Array, countDelta: Float64Array,
): number {
  const { x, centres, half, cc, move, labels, upper, lower } = a;
  const maxMove = mv.maxMove;
  const secondMove = mv.secondMove;
  const farthest = mv.farthest;
  let changed = 0;
  for (let i = start; i < end; i++) {
    const lab = labels[i]!;
    const off = i * d;
    let best = lab < 0 ? 0 : lab;
    let u2: number;
    if (lab < 0) {
      u2 = sqDist(x, off, centres, 0, d);
    } else {
      const u = upper[i]! + move[lab]!;
      const l = lower[i]! - (lab === farthest ? secondMove : maxMove);
      const m = half[lab]! > l ? half[lab]! : l;
      if (u <= m) {
        upper[i] = u;
        lower[i] = l;
        continue;
      }
      u2 = sqDist(x, off, centres, lab * d, d);
      if (u2 <= m * m) {
        upper[i] = Math.sqrt(u2);
        lower[i] = l;
        continue;
      }
    }
    // Full search in squared distances. Centre j is skipped when
    // d(c_best, c_j) >= 2u: then d(x, c_j) >= d(c_best, c_j) - u >= u, which
    // also bounds the runner-up. Square roots only for those bounds.
    let second2 = Infinity;
    let skipBound = Infinity;
    let u = -1;
    for (let j = 0; j < k; j++) {
      if (j === best) continue;
      const cbj = cc[best * k + j]!;
      if (cbj * cbj >= 4 * u2) {
        if (u < 0) u = Math.sqrt(u2);
        if (cbj - u < skipBound) skipBound = cbj - u;
        continue;
      }
      const dist2 = sqDist(x, off, centres, j * d, d);
      if (dist2 < u2) {
        if (u2 < second2) second2 = u2;
        u2 = dist2;
        best = j;
        u = -1;
      } else if (dist2 < second2) {
        second2 = dist2;
      }
    }
    upper[i] = Math.sqrt(u2);
    const sec = Math.sqrt(second2);
    lower[i] = sec < skipBound ? sec : skipBound;
    if (best !== lab) {
      changed++;
      labels[i] = best;
      const bo = best * d;
      for (let t = 0; t < d; t++) sumDelta[bo + t]! += x[off + t]!;
      countDelta[best]!++;
      if (lab >= 0) {
        const lo = lab * d;
        for (let t = 0; t < d; t++) sumDelta[lo + t]! -= x[off + t]!;
        countDelta[lab]!--;
      }
    }
  }
  return changed;
}

/** Sum of squared distances of rows [start, end) to their assigned centre. */
export function inertiaPass(x: Float64Array, centres: Float64Array, labels: Int32Array, d: number, start: number, end: number): number {
  let s = 0;
  for (let i = start; i < end; i++) s += sqDist(x, i * d, centres, labels[i]! * d, d);
  return s;
}

/** Squared Euclidean distance between a[ao..ao+d) and b[bo..bo+d). */
export function sqDist(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
  // Two accumulators halve the dependency chain of the adds.
  let s0 = 0;
  let s1 = 0;
  let t = 0;
  for (; t + 1 < d; t += 2) {
    const d0 = a[ao + t]! - b[bo + t]!;
    const d1 = a[ao + t + 1]! - b[bo + t + 1]!;
    s0 += d0 * d0;
    s1 += d1 * d1;
  }
  if (t < d) {
    const d0 = a[ao + t]! - b[bo + t]!;
    s0 += d0 * d0;
  }
  return s0 + s1;
}
