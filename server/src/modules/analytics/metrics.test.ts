import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { accuracy, binaryConfusion, confusionMatrix, precisionRecallF1, rocAuc, takeRows, trainTestSplit } from './metrics.js';

const close = (a: number, b: number, eps = 1e-12): void => assert.ok(Math.abs(a - b) <= eps, `${a} ≉ ${b}`);

// tp 3, fn 1, fp 2, tn 4.
const ACTUAL = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0];
const PRED = [1, 1, 1, 0, 1, 1, 0, 0, 0, 0];

describe('classification metrics', () => {
  it('counts the confusion matrix', () => {
    assert.deepEqual(binaryConfusion(ACTUAL, PRED), { tp: 3, fp: 2, tn: 4, fn: 1 });
    assert.deepEqual(confusionMatrix(ACTUAL, PRED, 2), [[4, 2], [1, 3]]);
    assert.deepEqual(confusionMatrix([0, 1, 2, 2], [0, 2, 2, 1], 3), [[1, 0, 0], [0, 0, 1], [0, 1, 1]]);
  });

  it('derives accuracy .7, precision .6, recall .75, F1 2/3', () => {
    close(accuracy(ACTUAL, PRED), 0.7);
    const m = precisionRecallF1(binaryConfusion(ACTUAL, PRED));
    close(m.precision, 0.6);
    close(m.recall, 0.75);
    close(m.f1, 2 / 3);
  });

  it('scores no positive predictions as precision 0 and F1 0', () => {
    assert.deepEqual(precisionRecallF1(binaryConfusion([1, 0], [0, 0])), { precision: 0, recall: 0, f1: 0 });
  });

  it('rejects arrays of different length', () => {
    assert.throws(() => accuracy([1, 0], [1]), RangeError);
  });
});

describe('rocAuc', () => {
  it('gives 0.75 on the classic four-point example', () => {
    close(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]), 0.75);
  });

  it('counts a tied positive/negative pair as one half', () => {
    // Pairs (pos, neg): (.5,.5) → ½, (.5,.2) → 1, (.9,.5) → 1, (.9,.2) → 1: 3.5 / 4.
    close(rocAuc([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]), 0.875);
  });

  it('is NaN when a class is absent', () => {
    assert.ok(Number.isNaN(rocAuc([1, 1], [0.2, 0.3])));
  });
});

describe('trainTestSplit', () => {
  it('partitions the rows, 20 % to test, reproducibly for a seed', () => {
    const a = trainTestSplit(100, 0.2, 7);
    assert.equal(a.test.length, 20);
    assert.equal(a.train.length, 80);
    assert.deepEqual([...a.train, ...a.test].sort((x, y) => x - y), Array.from({ length: 100 }, (_, i) => i));
    assert.deepEqual(trainTestSplit(100, 0.2, 7), a);
    assert.notDeepEqual(trainTestSplit(100, 0.2, 8).test, a.test);
  });

  it('keeps class proportions when stratified', () => {
    const y = Array.from({ length: 100 }, (_, i) => (i < 30 ? 1 : 0));
    const { test } = trainTestSplit(100, 0.2, 3, y);
    assert.equal(test.filter((i) => y[i] === 1).length, 6);
    assert.equal(test.length, 20);
  });

  it('takes rows of a column-major matrix', () => {
    const x = Float32Array.of(1, 2, 3, 10, 20, 30);
    assert.deepEqual([...takeRows(x, 3, 2, Uint32Array.of(2, 0))], [3, 1, 30, 10]);
  });
});
