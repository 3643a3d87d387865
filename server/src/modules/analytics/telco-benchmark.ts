/**
 * The IBM Telco churn evaluation behind GET /api/admin/analytics/telco-benchmark
 * and `telehall analytics telco`: our CART (depth 8, gini) on the
 * scikit-learn reference encoding (telco.ts) with the seeded 80/20 split
 * trainTestSplit(n, 0.2, 42), next to scikit-learn's numbers on the very
 * same matrix and split. Python is never called from the server: SKLEARN_REFERENCE
 * was measured once with bench/ml_sklearn.py (task "telco", scikit-learn 1.2.1,
 * DecisionTreeClassifier(max_depth=8, criterion="gini", random_state=0),
 * features_match = true) on 2026-11-22; rerun `npm run bench:ml` to re-check.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TelcoBenchmark } from '@telehall/contracts';
import { AppError } from '../../platform/errors.js';
import { fitTree } from './cart.js';
import { takeRows, trainTestSplit } from './metrics.js';
import { evaluate } from './models.js';
import { loadTelco } from './telco.js';

export const SKLEARN_REFERENCE = { accuracy: 0.762952, precision: 0.551247, recall: 0.536388, f1: 0.543716, auc: 0.774096 };

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
/** Where the file is looked for, in order: the repo's seed data, then the shared data folder beside the repo. */
export const TELCO_PATHS = [path.join(root, 'server/seed-data/telco-customer-churn.csv'), path.resolve(root, '../shared/data/telco-customer-churn.csv'), '/work/shared/data/telco-customer-churn.csv'];

/** @throws unprocessable `telco_data_missing` with the paths tried */
export async function telcoBenchmark(paths: readonly string[] = TELCO_PATHS): Promise<TelcoBenchmark> {
  const file = paths.find((p) => existsSync(p));
  if (!file) throw new AppError('unprocessable', 'telco_data_missing', 'The IBM Telco churn CSV is not available on this server', { details: { tried: paths } });
  const t = await loadTelco(file);
  const split = trainTestSplit(t.n, 0.2, 42);
  const started = performance.now();
  const tree = fitTree(takeRows(t.x, t.n, t.p, split.train), Uint8Array.from(split.train, (i) => t.y[i]!), split.train.length, t.p, { maxDepth: 8, criterion: 'gini' });
  const fitSeconds = (performance.now() - started) / 1000;
  const m = evaluate(tree, takeRows(t.x, t.n, t.p, split.test), Uint8Array.from(split.test, (i) => t.y[i]!), split.train.length);
  const topFeatures = t.featureNames.map((feature, i) => ({ feature, importance: tree.importances[i]! })).sort((a, b) => b.importance - a.importance).slice(0, 10);
  return {
    file: path.basename(file), rows: t.n, features: t.p, split: 'seeded 80/20, trainTestSplit(n, 0.2, seed 42)', params: 'CART max_depth=8, gini',
    ours: { accuracy: m.accuracy, precision: m.precision, recall: m.recall, f1: m.f1, auc: m.auc ?? NaN }, fitSeconds, sklearn: SKLEARN_REFERENCE, topFeatures,
  };
}
