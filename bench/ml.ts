/**
 * `npm run bench:ml`: Telehall's k-means and decision tree against
 * scikit-learn on identical data, splits and initial centres. Prints readable
 * figures, then one JSON object as the last line. Optional argument: path to
 * the Telco churn CSV.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitTree, predict, predictProba, type DecisionTree } from '../server/src/modules/analytics/cart.js';
import { kmeans, kmeansPlusPlus, type KMeansResult } from '../server/src/modules/analytics/kmeans.js';
import { KMeansPool } from '../server/src/modules/analytics/kmeans.parallel.js';
import { silhouette } from '../server/src/modules/analytics/kmeans.quality.js';
import { accuracy, binaryConfusion, precisionRecallF1, rocAuc, takeRows, trainTestSplit } from '../server/src/modules/analytics/metrics.js';
import { createRng } from '../server/src/modules/analytics/rng.js';
import { loadTelco } from '../server/src/modules/analytics/telco.js';
import { nonlinearClassification, standardisedBlobs } from './ml.data.js';
import { findPython, runSklearn, SklearnKMeansServer } from './ml.python.js';
import { asSklearn, report, type KMeansFigures, type Scores } from './ml.report.js';

const REPS = 3;
const KM_REPS = 5;
const csvPath = process.argv[2] ?? '/work/shared/data/telco-customer-churn.csv';
const dir = mkdtempSync(join(tmpdir(), 'telehall-ml-'));
const file = (name: string): string => join(dir, name);
const put = (name: string, a: ArrayBufferView): string => {
  writeFileSync(file(name), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return file(name);
};
const log = (msg: string): void => console.log(msg);
const seconds = (t0: number): number => (performance.now() - t0) / 1000;
/** CPU seconds of this process (all threads) since `c0`: the work done, much less sensitive to machine load than wall time. */
const cpuSeconds = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};
const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;

function toRowMajorF32(x: Float32Array, n: number, p: number): Float32Array {
  const out = new Float32Array(n * p);
  for (let f = 0; f < p; f++) for (let i = 0; i < n; i++) out[i * p + f] = x[f * n + i]!;
  return out;
}

function scores(tree: DecisionTree, x: Float32Array, y: Uint8Array, rows: Uint32Array, n: number, p: number): Scores {
  const xt = takeRows(x, n, p, rows);
  const yt = Uint8Array.from(rows, (r) => y[r]!);
  const pred = predict(tree, xt, rows.length);
  const proba = predictProba(tree, xt, rows.length).filter((_, i) => i % tree.nClasses === 1);
  return { accuracy: accuracy(yt, pred), ...precisionRecallF1(binaryConfusion(yt, pred)), auc: rocAuc(yt, proba) };
}

log(`Telehall ML benchmark — node ${process.version}, temp dir ${dir}`);
const python = findPython(log);
const script = fileURLToPath(new URL('./ml_sklearn.py', import.meta.url));
let taskNo = 0;
function taskFile(task: string, job: object): string {
  const path = file(`task${taskNo++}.json`);
  writeFileSync(path, JSON.stringify({ task, job, threads: 2, reps: REPS }));
  return path;
}
/** Runs one scikit-learn task right after our own fits of it; null without python. */
function sklearnTask(task: 'tree' | 'telco', job: object): unknown {
  if (!python) return null;
  log(`  scikit-learn ${task} (${python}) …`);
  return runSklearn(python, script, taskFile(task, job));
}

// k-means: 1,000,000 × 10 standardised blobs, k = 8, same k-means++ centres for both sides.
// 'blobs' is the headline case; 'overlap' (heavily overlapping groups, many
// iterations) is where bound-based pruning helps least.
const N = 1_000_000;
const D = 10;
const K = 8;
const load0 = loadavg()[0]!;
const tPool = performance.now();
const pool = await KMeansPool.create(2);
const poolStart = seconds(tPool);
const kmJobs: KMeansFigures[] = [];
const skRaw = { kmeans: [] as unknown[], tree: null as unknown, telco: null as unknown };
for (const [name, spread, noise] of [['blobs', 4, 1.5], ['overlap', 1, 1]] as const) {
  const x = standardisedBlobs(N, D, K, 2024, spread, noise);
  const init = kmeansPlusPlus(x, N, D, K, createRng(11));
  const job = { name, x: put(`kmeans_${name}.f64`, x), init: put(`kmeans_${name}_init.f64`, init), n: N, d: D, k: K };
  const server = python ? await SklearnKMeansServer.start(python, script, taskFile('kmeans_serve', job)) : null;
  const singleTimes: number[] = [];
  const parTimes: number[] = [];
  const skFits: { time_s: number; cpu_s: number; inertia: number; iterations: number }[] = [];
  const cpuTimes: number[] = [];
  // Fits alternate ours (1 thread, 2 threads) and scikit-learn's, so drifting
  // machine load hits all three alike. No untimed warm-up on either side.
  let single: KMeansResult | null = null;
  let par: KMeansResult | null = null;
  for (let r = 0; r < KM_REPS; r++) {
    let t0 = performance.now();
    single = kmeans(x, N, D, { k: K, init });
    singleTimes.push(seconds(t0));
    t0 = performance.now();
    const c0 = process.cpuUsage();
    par = await pool.fit(x, N, D, { k: K, init });
    parTimes.push(seconds(t0));
    cpuTimes.push(cpuSeconds(c0));
    if (server) skFits.push(await server.fit());
  }
  server?.close();
  rmSync(job.x);
  if (server) skRaw.kmeans.push({ name, times_s: skFits.map((f) => f.time_s), cpu_s: skFits.map((f) => f.cpu_s), inertia: skFits[0]!.inertia, iterations: skFits[0]!.iterations });
  else skRaw.kmeans.push(null);
  const times = (v: number[]): string => v.map((t) => t.toFixed(3)).join(' ');
  log(`k-means ${name}: ours 1 thread ${times(singleTimes)} s | ours 2 threads ${times(parTimes)} s | scikit-learn ${times(skFits.map((f) => f.time_s))} s`);
  kmJobs.push({ name, singleTimes, parTimes, cpuTimes, single: single!, par: par!, silhouette: silhouette(x, N, D, par!.labels, 2000, 5) });
}
await pool.close();

// Decision tree: 1,000,000 × 10 nonlinear classification, 80/20 split, depth 8.
const TN = 1_000_000;
const TP = 10;
const { x: tx, y: ty } = nonlinearClassification(TN, TP, 7);
const tsplit = trainTestSplit(TN, 0.2, 99);
const txTrain = takeRows(tx, TN, TP, tsplit.train);
const tyTrain = Uint8Array.from(tsplit.train, (r) => ty[r]!);
const treeTimes: number[] = [];
const treeCpu: number[] = [];
let tree: DecisionTree | null = null;
for (let r = 0; r < REPS; r++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  tree = fitTree(txTrain, tyTrain, tsplit.train.length, TP, { maxDepth: 8, criterion: 'gini' });
  treeTimes.push(seconds(t0));
  treeCpu.push(cpuSeconds(c0));
}
const treeScores = scores(tree!, tx, ty, tsplit.test, TN, TP);
skRaw.tree = sklearnTask('tree', { x: put('tree_x.f32', toRowMajorF32(tx, TN, TP)), y: put('tree_y.u8', ty), train: put('tree_train.u32', tsplit.train), test: put('tree_test.u32', tsplit.test), n: TN, p: TP, depth: 8 });

// Telco churn, depth 8 gini, seeded 80/20 split shared with scikit-learn.
const telco = await loadTelco(csvPath);
const csplit = trainTestSplit(telco.n, 0.2, 42);
const fitTelco = (train: Uint32Array): DecisionTree =>
  fitTree(takeRows(telco.x, telco.n, telco.p, train), Uint8Array.from(train, (r) => telco.y[r]!), train.length, telco.p, { maxDepth: 8 });
const telcoTimes: number[] = [];
let telcoTree: DecisionTree | null = null;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  telcoTree = fitTelco(csplit.train);
  telcoTimes.push(seconds(t0));
}
const telcoScores = scores(telcoTree!, telco.x, telco.y, csplit.test, telco.n, telco.p);

skRaw.telco = sklearnTask('telco', { x: put('telco_x.f32', toRowMajorF32(telco.x, telco.n, telco.p)), y: put('telco_y.u8', telco.y), train: put('telco_train.u32', csplit.train), test: put('telco_test.u32', csplit.test), n: telco.n, p: telco.p, csv: csvPath });
const sk = asSklearn(skRaw);
// Our tree on scikit-learn's own splits (random_state 42 and 0..19), paired with its F1 there.
const splitF1: { randomState: number; ours: Scores; sklearn: number }[] = [];
for (const sp of sk?.telco.splits ?? []) {
  const test = Uint32Array.from(sp.test).sort();
  const inTest = new Uint8Array(telco.n);
  for (const r of test) inTest[r] = 1;
  const train = Uint32Array.from({ length: telco.n }, (_, i) => i).filter((i) => !inTest[i]);
  splitF1.push({ randomState: sp.random_state, ours: scores(fitTelco(train), telco.x, telco.y, test, telco.n, telco.p), sklearn: sp.f1 });
}
rmSync(dir, { recursive: true, force: true });

report({
  kmeans: { jobs: kmJobs, poolStart, n: N, d: D, k: K },
  tree: { times: treeTimes, cpu: treeCpu, scores: treeScores, nodes: tree!.feature.length, n: tsplit.train.length },
  telco: { coldFit: telcoTimes[0]!, warmFit: median(telcoTimes.slice(1)), scores: telcoScores, features: telco.p, splitF1, importances: telcoTree!.importances, names: telco.featureNames },
  load: [load0, loadavg()[0]!],
  sk,
});
