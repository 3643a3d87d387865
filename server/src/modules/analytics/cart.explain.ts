/**
 * Making a fitted tree usable outside the process: a readable reason for one
 * prediction ("tenure < 6", "Contract = Month-to-month" → 71 % churn) and a
 * plain-JSON form for storage and drawing.
 */
import type { Criterion, DecisionTree } from './cart.js';

/** How to print a numeric feature in a reason. */
export interface FeatureFormat {
  /** Integer-valued feature: "< 6" instead of "≤ 5.5". */
  integer?: boolean;
  /** Custom value printer, e.g. money with a unit. */
  format?: (v: number) => string;
}

/** Why a row got its prediction: the path as readable conditions, and the leaf. */
export interface Explanation {
  /** One condition per feature on the path, tightest bounds merged. */
  conditions: string[];
  leaf: number;
  /** Predicted class (highest leaf probability) and its probability. */
  classIndex: number;
  probability: number;
  /** Training rows that reached the leaf. */
  samples: number;
}

/**
 * Walks `row` (values by feature index) down the tree and returns the path as
 * conditions. Features named `column=category` (one-hot indicators from
 * preprocess.ts) read as "column = category" / "column ≠ category".
 */
export function explain(tree: DecisionTree, row: ArrayLike<number>, names: readonly string[], formats: Readonly<Record<string, FeatureFormat>> = {}): Explanation {
  const bounds = new Map<number, { lo: number; hi: number }>();
  const order: number[] = [];
  let node = 0;
  while (tree.feature[node]! >= 0) {
    const f = tree.feature[node]!;
    const t = tree.threshold[node]!;
    const b = bounds.get(f) ?? { lo: -Infinity, hi: Infinity };
    if (!bounds.has(f)) order.push(f);
    if (row[f]! <= t) {
      b.hi = Math.min(b.hi, t);
      node = tree.left[node]!;
    } else {
      b.lo = Math.max(b.lo, t);
      node = tree.right[node]!;
    }
    bounds.set(f, b);
  }
  const C = tree.nClasses;
  let classIndex = 0;
  for (let c = 1; c < C; c++) if (tree.proba[node * C + c]! > tree.proba[node * C + classIndex]!) classIndex = c;
  const conditions = order.map((f) => condition(names[f] ?? `x${f}`, bounds.get(f)!, formats[names[f] ?? '']));
  return { conditions, leaf: node, classIndex, probability: tree.proba[node * C + classIndex]!, samples: tree.samples[node]! };
}

function condition(name: string, b: { lo: number; hi: number }, fmt: FeatureFormat | undefined): string {
  const eq = name.indexOf('=');
  if (eq > 0 && !fmt) {
    // A 0/1 indicator split at a threshold in [0, 1) reads as (in)equality.
    const [col, cat] = [name.slice(0, eq), name.slice(eq + 1)];
    if (b.lo === -Infinity && b.hi >= 0 && b.hi < 1) return `${col} ≠ ${cat}`;
    if (b.hi === Infinity && b.lo >= 0 && b.lo < 1) return `${col} = ${cat}`;
  }
  const show = fmt?.format ?? ((v: number) => String(Math.round(v * 100) / 100));
  if (fmt?.integer) {
    // x ≤ 5.5 means x < 6 for integers; x > 5.5 means x ≥ 6.
    const hi = Number.isFinite(b.hi) ? Math.floor(b.hi) + 1 : Infinity;
    const lo = Number.isFinite(b.lo) ? Math.floor(b.lo) + 1 : -Infinity;
    if (lo === -Infinity) return `${name} < ${show(hi)}`;
    if (hi === Infinity) return `${name} ≥ ${show(lo)}`;
    return `${show(lo)} ≤ ${name} < ${show(hi)}`;
  }
  if (b.lo === -Infinity) return `${name} ≤ ${show(b.hi)}`;
  if (b.hi === Infinity) return `${name} > ${show(b.lo)}`;
  return `${show(b.lo)} < ${name} ≤ ${show(b.hi)}`;
}

/** JSON form of a tree: flat pre-order nodes, children by index, leaves without a split. */
export interface TreeJson {
  version: 1;
  criterion: Criterion;
  nFeatures: number;
  nClasses: number;
  featureNames: string[] | null;
  importances: number[];
  nodes: { feature: number; threshold: number; left: number; right: number; samples: number; impurity: number; proba: number[] }[];
}

/** Serialisable copy of a tree (typed arrays become plain arrays). */
export function treeToJson(tree: DecisionTree, featureNames?: readonly string[]): TreeJson {
  const C = tree.nClasses;
  return {
    version: 1, criterion: tree.criterion, nFeatures: tree.nFeatures, nClasses: C,
    featureNames: featureNames ? [...featureNames] : null, importances: [...tree.importances],
    nodes: Array.from(tree.feature, (feature, i) => ({
      feature, threshold: tree.threshold[i]!, left: tree.left[i]!, right: tree.right[i]!,
      samples: tree.samples[i]!, impurity: tree.impurity[i]!, proba: [...tree.proba.subarray(i * C, (i + 1) * C)],
    })),
  };
}

/** Rebuilds a tree from treeToJson output. Throws RangeError on an unknown version or broken child index. */
export function treeFromJson(j: TreeJson): DecisionTree {
  if (j.version !== 1) throw new RangeError(`unsupported tree version ${String(j.version)}`);
  const m = j.nodes.length;
  for (const nd of j.nodes) if (nd.feature >= 0 && !(nd.left > 0 && nd.left < m && nd.right > 0 && nd.right < m)) throw new RangeError('tree JSON has a child index out of range');
  return {
    nFeatures: j.nFeatures, nClasses: j.nClasses, criterion: j.criterion,
    feature: Int32Array.from(j.nodes, (nd) => nd.feature), threshold: Float64Array.from(j.nodes, (nd) => nd.threshold),
    left: Int32Array.from(j.nodes, (nd) => nd.left), right: Int32Array.from(j.nodes, (nd) => nd.right),
    proba: Float64Array.from(j.nodes.flatMap((nd) => nd.proba)), samples: Int32Array.from(j.nodes, (nd) => nd.samples),
    impurity: Float64Array.from(j.nodes, (nd) => nd.impurity), importances: Float64Array.from(j.importances),
  };
}
