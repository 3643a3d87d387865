/**
 * Training and applying the churn / purchase decision trees on customer
 * feature rows: declared missing rules and one-hot (preprocess.ts), a seeded
 * stratified train/test split by customer, CART, and the test-set metrics.
 */
import { AppError } from '../../platform/errors.js';
import type { FeatureValues } from './analytics.tables.js';
import { fitTree, predict, predictProba, type Criterion, type DecisionTree } from './cart.js';
import { explain, treeFromJson, treeToJson, type TreeJson } from './cart.explain.js';
import { columnSpecs, REASON_FORMATS } from './features.js';
import { accuracy, binaryConfusion, precisionRecallF1, rocAuc, takeRows, trainTestSplit } from './metrics.js';
import { encodeRows, fitEncoder, type Encoder } from './preprocess.js';

export interface TrainParams {
  maxDepth: number;
  minSamplesLeaf: number;
  criterion: Criterion;
  classWeight: 'none' | 'balanced';
  seed: number;
}

export interface Metrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number | null;
  confusion: number[][];
  trainSize: number;
  testSize: number;
}

export interface TrainedModel {
  encoder: Encoder;
  tree: TreeJson;
  metrics: Metrics;
}

/** Fewest examples of each class a model is trained on. */
export const MIN_PER_CLASS = 5;
export const TEST_FRACTION = 0.25;

/**
 * Trains on rows with 0/1 labels.
 * @throws unprocessable `not_enough_labels` (details: positives, negatives, needed)
 */
export function trainModel(rows: readonly { features: FeatureValues }[], y: Uint8Array, p: TrainParams, context: Record<string, unknown> = {}): TrainedModel {
  const positives = y.reduce((s, v) => s + v, 0);
  const negatives = y.length - positives;
  if (positives < MIN_PER_CLASS || negatives < MIN_PER_CLASS) {
    throw new AppError('unprocessable', 'not_enough_labels', `Training needs at least ${MIN_PER_CLASS} positive and ${MIN_PER_CLASS} negative customers; the data has ${positives} positive and ${negatives} negative`, {
      details: { positives, negatives, needed: MIN_PER_CLASS, ...context },
    });
  }
  const plain = rows.map((r) => r.features);
  const encoder = fitEncoder(plain, columnSpecs());
  const m = encodeRows(encoder, plain);
  const split = trainTestSplit(m.n, TEST_FRACTION, p.seed, y);
  const tree = fitTree(takeRows(m.x, m.n, m.p, split.train), Uint8Array.from(split.train, (i) => y[i]!), split.train.length, m.p, {
    maxDepth: p.maxDepth, minSamplesLeaf: p.minSamplesLeaf, criterion: p.criterion, nClasses: 2,
    ...(p.classWeight === 'balanced' ? { classWeight: 'balanced' as const } : {}),
  });
  const xt = takeRows(m.x, m.n, m.p, split.test);
  const actual = Uint8Array.from(split.test, (i) => y[i]!);
  return { encoder, tree: treeToJson(tree, encoder.featureNames), metrics: evaluate(tree, xt, actual, split.train.length) };
}

/** Test-set metrics for a fitted tree (positive class 1). */
export function evaluate(tree: DecisionTree, x: Float32Array, actual: Uint8Array, trainSize: number): Metrics {
  const n = actual.length;
  const pred = predict(tree, x, n);
  const proba = predictProba(tree, x, n);
  const scores = Float64Array.from({ length: n }, (_, i) => proba[i * 2 + 1]!);
  const c = binaryConfusion(actual, pred);
  const auc = rocAuc(actual, scores);
  return {
    accuracy: accuracy(actual, pred), ...precisionRecallF1(c), auc: Number.isFinite(auc) ? auc : null,
    confusion: [[c.tn, c.fp], [c.fn, c.tp]], trainSize, testSize: n,
  };
}

export interface Scored {
  score: number;
  conditions: string[];
  reason: string;
}

const OUTCOME = { churn: { en: 'churn risk' }, purchase: { en: 'purchase likelihood' } } as const;

/** Probability of the positive class for many rows (scoring job). */
export function scoreRows(encoder: Encoder, treeJson: TreeJson, rows: readonly FeatureValues[]): Float64Array {
  const m = encodeRows(encoder, rows);
  const proba = predictProba(treeFromJson(treeJson), m.x, m.n);
  return Float64Array.from({ length: m.n }, (_, i) => proba[i * 2 + 1]!);
}

/** One customer's score with the decision path as a readable reason. */
export function scoreOne(encoder: Encoder, treeJson: TreeJson, features: FeatureValues, target: 'churn' | 'purchase'): Scored {
  const m = encodeRows(encoder, [features]);
  const tree = treeFromJson(treeJson);
  const e = explain(tree, m.x, encoder.featureNames, REASON_FORMATS);
  const score = tree.proba[e.leaf * 2 + 1]!;
  const path = e.conditions.length ? e.conditions.join(', ') : 'any customer';
  return { score, conditions: e.conditions, reason: `${path} → ${OUTCOME[target].en} ${score.toFixed(2)}` };
}
