/**
 * Turning row objects into model input: missing-value rules, one-hot
 * encoding and standardisation. Matrices are column-major (feature f of row
 * i at f·n + i), the layout the tree scans.
 */
import { invalid } from '../../platform/errors.js';

/**
 * What to do with a missing cell (undefined, null, NaN or a blank string).
 * 'median' on a categorical column fills the most common category.
 */
export type MissingRule = { rule: 'default'; value: number | string } | { rule: 'median' } | { rule: 'reject' };

/** One input column: numeric (kept as is) or categorical (one-hot). */
export type ColumnSpec =
  | { name: string; kind: 'numeric'; missing: MissingRule }
  /** One indicator per category, all kept (pandas.get_dummies semantics). */
  | { name: string; kind: 'categorical'; categories?: readonly string[]; missing: MissingRule };

type Row = Readonly<Record<string, unknown>>;

interface FittedColumn {
  spec: ColumnSpec;
  /** Sorted categories (categorical columns). */
  categories: string[];
  /** Fill value for 'median' and 'default' rules. */
  fill: number | string | null;
}

/** Encoder state learned from training rows; reuse it to encode new rows identically. */
export interface Encoder {
  columns: FittedColumn[];
  /** Output feature names: the column name, or `column=category` for indicators. */
  featureNames: string[];
}

/** Column-major Float32 feature matrix. */
export interface Matrix {
  x: Float32Array;
  n: number;
  p: number;
}

/** Blank means missing: undefined, null, NaN or a string of only spaces. */
export function isMissing(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v)) || (typeof v === 'string' && v.trim() === '');
}

/**
 * Learns categories (sorted, as pandas does) and median fills from rows.
 * Throws invalid_data `missing_value` for a blank cell under the 'reject' rule
 * and `not_numeric` for an unparsable numeric cell.
 */
export function fitEncoder(rows: readonly Row[], specs: readonly ColumnSpec[]): Encoder {
  const columns: FittedColumn[] = specs.map((spec) => {
    let fill: number | string | null = spec.missing.rule === 'default' ? spec.missing.value : null;
    if (spec.kind === 'numeric') {
      if (spec.missing.rule === 'median') fill = median(rows.flatMap((r, i) => (isMissing(r[spec.name]) ? [] : [toNumber(r[spec.name], spec.name, i)])));
      rows.forEach((r, i) => cell(r, i, spec, fill));
      return { spec, categories: [], fill };
    }
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (!isMissing(r[spec.name])) seen.add(String(r[spec.name]));
      else if (spec.missing.rule === 'reject') cell(r, i, spec, fill);
    });
    if (spec.missing.rule === 'median') fill = mostCommon(rows.map((r) => r[spec.name]));
    if (fill !== null) seen.add(String(fill));
    const categories = spec.categories ? [...spec.categories] : [...seen].sort();
    return { spec, categories, fill };
  });
  const featureNames = columns.flatMap((c) => (c.spec.kind === 'numeric' ? [c.spec.name] : c.categories.map((k) => `${c.spec.name}=${k}`)));
  return { columns, featureNames };
}

/** Encodes rows with a fitted encoder. Unknown categories get all-zero indicators. */
export function encodeRows(enc: Encoder, rows: readonly Row[]): Matrix {
  const n = rows.length;
  const p = enc.featureNames.length;
  const x = new Float32Array(n * p);
  let f = 0;
  for (const col of enc.columns) {
    if (col.spec.kind === 'numeric') {
      for (let i = 0; i < n; i++) x[f * n + i] = Number(cell(rows[i]!, i, col.spec, col.fill));
      f++;
      continue;
    }
    const index = new Map(col.categories.map((k, j) => [k, j]));
    for (let i = 0; i < n; i++) {
      const j = index.get(String(cell(rows[i]!, i, col.spec, col.fill)));
      if (j !== undefined) x[(f + j) * n + i] = 1;
    }
    f += col.categories.length;
  }
  return { x, n, p };
}

function cell(r: Row, i: number, spec: ColumnSpec, fill: number | string | null): number | string {
  const v = r[spec.name];
  if (isMissing(v)) {
    if (spec.missing.rule === 'reject' || fill === null) throw invalid('missing_value', `row ${i}: ${spec.name} is missing`, { row: i, column: spec.name });
    return fill;
  }
  return spec.kind === 'numeric' ? toNumber(v, spec.name, i) : String(v);
}

function toNumber(v: unknown, name: string, i: number): number {
  const num = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(num)) throw invalid('not_numeric', `row ${i}: ${name} is not a number`, { row: i, column: name });
  return num;
}

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function mostCommon(values: unknown[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (!isMissing(v)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
  let best: string | null = null;
  for (const [k, c] of counts) if (best === null || c > counts.get(best)! || (c === counts.get(best) && k < best)) best = k;
  return best;
}

/** Per-feature mean and standard deviation (population, like scikit-learn's StandardScaler). */
export interface Standardiser {
  mean: Float64Array;
  std: Float64Array;
}

/** Learns mean and std per column; a constant column gets std 1 so it maps to 0. */
export function fitStandardiser(m: Matrix): Standardiser {
  const mean = new Float64Array(m.p);
  const std = new Float64Array(m.p);
  for (let f = 0; f < m.p; f++) {
    let s = 0;
    for (let i = 0; i < m.n; i++) s += m.x[f * m.n + i]!;
    const mu = s / m.n;
    let sq = 0;
    for (let i = 0; i < m.n; i++) sq += (m.x[f * m.n + i]! - mu) ** 2;
    mean[f] = mu;
    std[f] = Math.sqrt(sq / m.n) || 1;
  }
  return { mean, std };
}

/** (x − mean) / std per column, as Float64 column-major. */
export function standardise(s: Standardiser, m: Matrix): Float64Array {
  return mapColumns(m.x, m.n, m.p, (v, f) => (v - s.mean[f]!) / s.std[f]!);
}

/** Back to original units: z · std + mean. */
export function unstandardise(s: Standardiser, z: ArrayLike<number>, n: number, p: number): Float64Array {
  return mapColumns(z, n, p, (v, f) => v * s.std[f]! + s.mean[f]!);
}

/** Row-major variant of unstandardise, e.g. for k-means centroids (k × p). */
export function unstandardiseRows(s: Standardiser, z: ArrayLike<number>, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let i = 0; i < n; i++) for (let f = 0; f < p; f++) out[i * p + f] = z[i * p + f]! * s.std[f]! + s.mean[f]!;
  return out;
}

function mapColumns(x: ArrayLike<number>, n: number, p: number, fn: (v: number, f: number) => number): Float64Array {
  const out = new Float64Array(n * p);
  for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) out[f * n + i] = fn(x[f * n + i]!, f);
  return out;
}

/** Column-major n × p to row-major (the layout k-means wants). */
export function toRowMajor(x: ArrayLike<number>, n: number, p: number): Float64Array {
  const out = new Float64Array(n * p);
  for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) out[i * p + f] = x[f * n + i]!;
  return out;
}
