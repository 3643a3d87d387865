/** Seeded synthetic data sets for the ML benchmark. */
import { createRng } from '../server/src/modules/analytics/rng.js';

/**
 * n × d points from `centres` Gaussian blobs (centre coordinates ~ N(0,
 * spread²), noise sd per axis), standardised per column; row-major in a
 * SharedArrayBuffer so the k-means workers can read it without a copy.
 * Defaults (4, 1.5) give well-separated groups; (1, 1) heavily overlapping ones.
 */
export function standardisedBlobs(n: number, d: number, centres: number, seed: number, spread = 4, noise = 1.5): Float64Array {
  const rng = createRng(seed);
  const c = Float64Array.from({ length: centres * d }, () => spread * rng.normal());
  const x = new Float64Array(new SharedArrayBuffer(n * d * 8));
  for (let i = 0; i < n; i++) {
    const b = rng.int(centres);
    for (let t = 0; t < d; t++) x[i * d + t] = c[b * d + t]! + noise * rng.normal();
  }
  for (let t = 0; t < d; t++) {
    let s = 0;
    let sq = 0;
    for (let i = 0; i < n; i++) {
      const v = x[i * d + t]!;
      s += v;
      sq += v * v;
    }
    const mean = s / n;
    const sd = Math.sqrt(sq / n - mean * mean);
    for (let i = 0; i < n; i++) x[i * d + t] = (x[i * d + t]! - mean) / sd;
  }
  return x;
}

/**
 * n × d classification data, column-major Float32: features ~ N(0, 1) and
 * a nonlinear label (an interaction, a threshold and a ring) with 10% of the
 * labels flipped at random.
 */
export function nonlinearClassification(n: number, d: number, seed: number): { x: Float32Array; y: Uint8Array } {
  const rng = createRng(seed);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) x[i] = rng.normal();
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f = (t: number): number => x[t * n + i]!;
    const ring = f(3) * f(3) + f(4) * f(4) < 1.2;
    let label = (f(0) * f(1) > 0.2) !== (f(2) > 0.5) || (ring && f(5) > -0.3);
    if (rng.next() < 0.1) label = !label;
    y[i] = label ? 1 : 0;
  }
  return { x, y };
}
