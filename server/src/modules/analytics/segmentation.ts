/**
 * A segmentation run over feature rows: encode (declared missing rules,
 * one-hot), standardise, k-means on the worker pool (k-means++ with
 * restarts), and when a k range is given pick k at the inertia elbow with a
 * sampled silhouette per k reported next to it. Segments are described in
 * original units with their standout features and a suggested name. Clusters
 * left empty (fewer distinct customers than k) are dropped, so k can come out
 * smaller than asked.
 */
import { AppError, invalid } from '../../platform/errors.js';
import type { FeatureValues } from './analytics.tables.js';
import { columnSpecs, featureDef } from './features.js';
import { sqDist } from './kmeans.kernel.js';
import { KMeansPool } from './kmeans.parallel.js';
import { elbow, silhouette } from './kmeans.quality.js';
import type { KMeansResult } from './kmeans.js';
import { encodeRows, fitEncoder, fitStandardiser, standardise, toRowMajor, unstandardiseRows, type Encoder } from './preprocess.js';

export interface SegmentationParams {
  features: string[];
  k?: number;
  kRange?: { min: number; max: number };
  seed: number;
  restarts: number;
}

export interface SegmentResult {
  idx: number;
  size: number;
  centroidZ: number[];
  centroid: number[];
  topFeatures: { feature: string; z: number; value: number }[];
  name: { zh: string; en: string };
}

export interface SegmentationResult {
  k: number;
  featureNames: string[];
  encoder: Encoder;
  mean: number[];
  std: number[];
  inertia: number;
  silhouette: number | null;
  search: { k: number; inertia: number; silhouette: number | null }[] | null;
  segments: SegmentResult[];
  labels: Int32Array;
  distances: Float64Array;
}

const SILHOUETTE_SAMPLE = 2000;
const STANDOUT_Z = 0.5;

/** Checks names against the feature set. @throws invalid_data `unknown_feature` */
export function checkFeatures(names: readonly string[]): void {
  const unknown = names.filter((n) => !featureDef(n));
  if (unknown.length) throw invalid('unknown_feature', `Unknown feature: ${unknown.join(', ')}`, { unknown });
}

/**
 * Runs k-means on `rows`. @throws invalid_data `unknown_feature` | `bad_k_range`,
 * unprocessable `not_enough_customers`
 */
export async function segment(rows: readonly { features: FeatureValues }[], p: SegmentationParams, onProgress: (progress: number, stage: string) => Promise<void>): Promise<SegmentationResult> {
  checkFeatures(p.features);
  const ks = p.kRange ? range(p.kRange.min, p.kRange.max) : [p.k ?? 4];
  if (!ks.length) throw invalid('bad_k_range', 'kRange.min must not exceed kRange.max');
  const n = rows.length;
  if (n < Math.max(...ks) + 1) {
    throw new AppError('unprocessable', 'not_enough_customers', `Segmenting into ${Math.max(...ks)} groups needs more than ${Math.max(...ks)} customers; there are ${n}`, { details: { customers: n } });
  }
  const plain = rows.map((r) => r.features);
  const encoder = fitEncoder(plain, columnSpecs(p.features));
  const m = encodeRows(encoder, plain);
  const st = fitStandardiser(m);
  const d = m.p;
  const x = new Float64Array(new SharedArrayBuffer(n * d * 8));
  x.set(toRowMajor(standardise(st, m), n, d));
  await onProgress(0.05, 'encoded');

  const pool = await KMeansPool.create(2);
  let best: KMeansResult;
  let search: SegmentationResult['search'] = null;
  try {
    const fits: KMeansResult[] = [];
    for (const [i, k] of ks.entries()) {
      // Same seed for every k: runs are reproducible and comparable.
      fits.push(await pool.fit(x, n, d, { k, nInit: p.restarts, seed: p.seed }));
      await onProgress(0.05 + (0.85 * (i + 1)) / ks.length, `k=${k}`);
    }
    if (ks.length > 1) {
      search = ks.map((k, i) => {
        const s = silhouette(x, n, d, fits[i]!.labels, SILHOUETTE_SAMPLE, p.seed);
        return { k, inertia: fits[i]!.inertia, silhouette: Number.isFinite(s) ? s : null };
      });
      best = fits[ks.indexOf(elbow(ks, fits.map((f) => f.inertia)))]!;
    } else best = fits[0]!;
  } finally {
    await pool.close();
  }
  const kFit = best.centroids.length / d;
  const sil = search ? search.find((s) => s.k === kFit)!.silhouette : finite(silhouette(x, n, d, best.labels, SILHOUETTE_SAMPLE, p.seed));
  const fitSizes = new Array<number>(kFit).fill(0);
  for (let i = 0; i < n; i++) fitSizes[best.labels[i]!]!++;
  // With fewer distinct customers than k, some clusters stay empty: drop them and renumber.
  const kept = fitSizes.flatMap((size, c) => (size > 0 ? [c] : []));
  const newIndex = new Map(kept.map((c, j) => [c, j]));
  const k = kept.length;
  const centres = new Float64Array(k * d);
  kept.forEach((c, j) => centres.set(best.centroids.subarray(c * d, (c + 1) * d), j * d));
  const original = unstandardiseRows(st, centres, k, d);
  const labels = new Int32Array(n);
  const distances = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const c = newIndex.get(best.labels[i]!)!;
    labels[i] = c;
    distances[i] = Math.sqrt(sqDist(x, i * d, centres, c * d, d));
  }
  const segments = Array.from({ length: k }, (_, c): SegmentResult => {
    const z = Array.from(centres.subarray(c * d, (c + 1) * d));
    const orig = Array.from(original.subarray(c * d, (c + 1) * d));
    const order = z.map((_, f) => f).sort((a, b) => Math.abs(z[b]!) - Math.abs(z[a]!) || a - b);
    const topFeatures = order.slice(0, 5).map((f) => ({ feature: encoder.featureNames[f]!, z: round(z[f]!), value: round(orig[f]!) }));
    return { idx: c, size: fitSizes[kept[c]!]!, centroidZ: z.map(round), centroid: orig.map(round), topFeatures, name: suggestName(order.map((f) => ({ feature: encoder.featureNames[f]!, z: z[f]! }))) };
  });
  await onProgress(0.95, 'described');
  return { k, featureNames: encoder.featureNames, encoder, mean: [...st.mean], std: [...st.std], inertia: best.inertia, silhouette: sil, search, segments, labels, distances };
}

/**
 * A name from the two strongest standout features (|z| ≥ 0.5), e.g.
 * "heavy data, high spend" / "重度流量·高消费"; "typical" when none stands out.
 */
export function suggestName(byStrength: readonly { feature: string; z: number }[]): { zh: string; en: string } {
  const words: { zh: string; en: string }[] = [];
  for (const { feature, z } of byStrength) {
    if (words.length === 2 || Math.abs(z) < STANDOUT_Z) break;
    const eq = feature.indexOf('=');
    if (eq > 0) {
      if (z > 0) words.push({ zh: `${feature.slice(eq + 1)}套餐`, en: `on ${feature.slice(eq + 1)}` });
      continue;
    }
    const w = z > 0 ? featureDef(feature)?.high : featureDef(feature)?.low;
    if (w && !words.some((x) => x.en === w.en)) words.push(w);
  }
  if (!words.length) return { zh: '普通用户', en: 'typical' };
  return { zh: words.map((w) => w.zh).join('·'), en: words.map((w) => w.en).join(', ') };
}

const range = (a: number, b: number): number[] => (a > b ? [] : Array.from({ length: b - a + 1 }, (_, i) => a + i));
const round = (v: number): number => Math.round(v * 1e4) / 1e4;
const finite = (v: number): number | null => (Number.isFinite(v) ? v : null);
