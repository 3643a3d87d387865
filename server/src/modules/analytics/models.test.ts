import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../platform/errors.js';
import type { FeatureValues } from './analytics.tables.js';
import { FEATURE_NAMES } from './features.js';
import { accuracy, binaryConfusion, precisionRecallF1, rocAuc, trainTestSplit } from './metrics.js';
import { scoreOne, scoreRows, trainModel } from './models.js';
import { createRng } from './rng.js';

/** Customers where churn follows short tenure and a high overage share, with 10% of labels flipped. */
function synthetic(n: number, seed: number) {
  const r = createRng(seed);
  const rows: { features: FeatureValues }[] = [];
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const f: FeatureValues = Object.fromEntries(FEATURE_NAMES.map((k) => [k, 0]));
    f.tenure_days = Math.floor(r.next() * 720);
    f.overage_share = Math.round(r.next() * 100) / 100;
    f.arpu_fen = 2000 + Math.floor(r.next() * 8000);
    f.plan_code = r.next() < 0.5 ? 'basic19' : 'plus88';
    f.data_trend = null; // missing: filled by the declared rule (0)
    const churn = f.tenure_days < 180 && f.overage_share >= 0.2;
    y[i] = (r.next() < 0.1 ? !churn : churn) ? 1 : 0;
    rows.push({ features: f });
  }
  return { rows, y };
}

describe('churn model on a synthetic labelled set', () => {
  const params = { maxDepth: 3, minSamplesLeaf: 5, criterion: 'gini' as const, classWeight: 'none' as const, seed: 42 };
  const { rows, y } = synthetic(800, 5);
  const m = trainModel(rows, y, params);

  it('reports metrics equal to metrics.ts on the held-out customers', () => {
    assert.equal(m.metrics.trainSize + m.metrics.testSize, 800);
    assert.equal(m.metrics.testSize, 200);
    const scores = scoreRows(m.encoder, m.tree, rows.map((r) => r.features));
    // Recompute from scratch: score every row, keep the held-out ones, count.
    const test = [...Array(800).keys()].filter((i) => isTest(i));
    const actual = test.map((i) => y[i]!);
    const pred = test.map((i) => (scores[i]! > 0.5 ? 1 : 0));
    const c = binaryConfusion(actual, pred);
    assert.deepEqual(m.metrics.confusion, [[c.tn, c.fp], [c.fn, c.tp]]);
    assert.equal(m.metrics.accuracy, accuracy(actual, pred));
    const prf = precisionRecallF1(c);
    assert.equal(m.metrics.precision, prf.precision);
    assert.equal(m.metrics.recall, prf.recall);
    assert.equal(m.metrics.f1, prf.f1);
    assert.equal(m.metrics.auc, rocAuc(actual, test.map((i) => scores[i]!)));
    // And by hand: accuracy is the diagonal share.
    assert.equal(m.metrics.accuracy, (c.tp + c.tn) / 200);
    assert.ok(m.metrics.accuracy > 0.8, `accuracy ${m.metrics.accuracy}`);
    assert.ok(m.metrics.auc > 0.8);
  });

  it('finds the rule: tenure and overage share carry the importance', () => {
    const names = m.tree.featureNames!;
    const imp = (n: string) => m.tree.importances[names.indexOf(n)]!;
    assert.ok(imp('tenure_days') + imp('overage_share') > 0.8);
  });

  it('explains a prediction as a readable path', () => {
    const f: FeatureValues = { ...rows[0]!.features, tenure_days: 30, overage_share: 0.5 };
    const s = scoreOne(m.encoder, m.tree, f, 'churn');
    assert.match(s.reason, /^.+ → churn risk \d\.\d\d$/);
    assert.ok(s.conditions.some((x) => /^tenure_days < \d+$/.test(x)), s.reason);
    assert.ok(s.conditions.some((x) => /^overage_share > \d+%$/.test(x)), s.reason);
    assert.ok(s.score > 0.5);
  });

  it('refuses to train without enough of each class, with the counts', () => {
    const few = new Uint8Array(800);
    few[0] = few[1] = 1;
    assert.throws(() => trainModel(rows, few, params), (e: unknown) => e instanceof AppError && e.code === 'not_enough_labels' && (e.details as { positives: number }).positives === 2);
  });

  // The rows trainModel held out: the same stratified 25 % split, seed 42.
  let testSet: Set<number> | null = null;
  function isTest(i: number): boolean {
    testSet ??= new Set(trainTestSplit(800, 0.25, 42, y).test);
    return testSet.has(i);
  }
});
