/** Printing the ML benchmark: readable lines, then one JSON object as the last line. */
import type { KMeansResult } from '../server/src/modules/analytics/kmeans.js';

interface Scores {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  auc: number;
}

interface SklearnOut {
  sklearn_version: string;
  kmeans: { times_s: number[]; inertia: number; iterations: number };
  tree: Scores & { fit_s: number; nodes: number };
  telco: { features: number; features_match: boolean; fit_s: number; same_split: Scores; rs42_split: Scores; rs42_test: number[] };
}

/** Narrows the python script's JSON; null when it is not the expected shape. */
export function asSklearn(v: unknown): SklearnOut | null {
  const o = v as Partial<SklearnOut> | null;
  return o && o.kmeans && o.tree && o.telco ? (o as SklearnOut) : null;
}

export interface BenchFigures {
  kmeans: { singleTimes: number[]; parTimes: number[]; poolStart: number; single: KMeansResult; par: KMeansResult; silhouette: number; n: number; d: number; k: number };
  tree: { times: number[]; scores: Scores; nodes: number; n: number };
  telco: { fit: number; scores: Scores; features: number; rs42: Scores | null; importances: Float64Array; names: string[] };
  sk: SklearnOut | null;
}

const median = (v: number[]): number => [...v].sort((a, b) => a - b)[v.length >> 1]!;
const r4 = (v: number): number => Math.round(v * 1e4) / 1e4;
const r6 = (v: number): number => Math.round(v * 1e6) / 1e6;
const fmt = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
const ratio = (a: number, b: number | null | undefined): number | null => (b ? a / b : null);

/** Prints the figures; the final line is the JSON summary. */
export function report(f: BenchFigures): void {
  const { kmeans: km, tree, telco, sk } = f;
  const kmSingle = median(km.singleTimes);
  const kmPar = median(km.parTimes);
  const kmeansS = Math.min(kmSingle, kmPar);
  const mode = kmPar <= kmSingle ? 'parallel (2 threads)' : 'single thread';
  const best = kmPar <= kmSingle ? km.par : km.single;
  const skKm = sk ? median(sk.kmeans.times_s) : null;
  const treeCold = tree.times[0]!;
  const treeWarm = median(tree.times);
  const line = (s: string): void => console.log(s);
  line('');
  line(`k-means ${km.n} × ${km.d}, k = ${km.k}, same k-means++ initial centres, median of ${km.parTimes.length} fits`);
  line(`  ours, single thread : ${fmt(kmSingle)} s  (${km.single.iterations} iterations, inertia ${fmt(km.single.inertia, 1)})`);
  line(`  ours, 2 threads     : ${fmt(kmPar)} s  (${km.par.iterations} iterations, inertia ${fmt(km.par.inertia, 1)}; pool start ${fmt(km.poolStart)} s, not in fit)`);
  line(`  scikit-learn lloyd  : ${fmt(skKm)} s  (${sk?.kmeans.iterations ?? 'n/a'} iterations, inertia ${fmt(sk?.kmeans.inertia, 1)})`);
  line(`  kept: ${mode}; ours / sklearn = ${fmt(ratio(kmeansS, skKm))}; silhouette (2,000-row sample) ${fmt(km.silhouette)}`);
  line('');
  line(`decision tree depth 8 gini, ${tree.n} training rows × 10 features, ${tree.nodes} nodes`);
  line(`  ours: first fit ${fmt(treeCold)} s, median ${fmt(treeWarm)} s; holdout accuracy ${fmt(tree.scores.accuracy, 4)}`);
  line(`  scikit-learn: fit ${fmt(sk?.tree.fit_s)} s (one fit); holdout accuracy ${fmt(sk?.tree.accuracy, 4)}; ${sk?.tree.nodes ?? 'n/a'} nodes`);
  line(`  ours (first fit) / sklearn = ${fmt(ratio(treeCold, sk?.tree.fit_s))}`);
  line('');
  line(`Telco churn, ${telco.features} features${sk ? ` (pandas.get_dummies match: ${sk.telco.features_match})` : ''}, depth 8, same seeded 80/20 split`);
  const row = (name: string, s: Scores | null | undefined): void =>
    line(`  ${name.padEnd(24)} acc ${fmt(s?.accuracy)}  precision ${fmt(s?.precision)}  recall ${fmt(s?.recall)}  F1 ${fmt(s?.f1)}  AUC ${fmt(s?.auc)}`);
  row('ours', telco.scores);
  row('scikit-learn', sk?.telco.same_split);
  row('ours, sklearn rs=42 split', telco.rs42);
  row('sklearn, rs=42 split', sk?.telco.rs42_split);
  const top = [...telco.importances].map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, 5);
  line(`  top features: ${top.map(([v, i]) => `${telco.names[i]} ${fmt(v)}`).join(', ')}`);
  const summary = {
    kmeans_s: r4(kmeansS),
    sklearn_kmeans_s: skKm === null ? null : r4(skKm),
    kmeans_inertia_rel_diff: sk ? r6(Math.abs(best.inertia - sk.kmeans.inertia) / sk.kmeans.inertia) : null,
    tree_s: r4(treeCold),
    sklearn_tree_s: sk ? r4(sk.tree.fit_s) : null,
    tree_acc_diff: sk ? r4(tree.scores.accuracy - sk.tree.accuracy) : null,
    telco_f1: r4(telco.scores.f1),
    sklearn_telco_f1: sk ? r4(sk.telco.same_split.f1) : null,
    kmeans_mode: kmPar <= kmSingle ? 'parallel_2_threads' : 'single_thread',
    kmeans_single_thread_s: r4(kmSingle),
    kmeans_parallel_s: r4(kmPar),
    kmeans_pool_start_s: r4(km.poolStart),
    kmeans_ratio: skKm ? r4(kmeansS / skKm) : null,
    kmeans_iterations: best.iterations,
    sklearn_kmeans_iterations: sk?.kmeans.iterations ?? null,
    kmeans_inertia: r4(best.inertia),
    sklearn_kmeans_inertia: sk ? r4(sk.kmeans.inertia) : null,
    kmeans_silhouette_sample: r4(km.silhouette),
    tree_warm_median_s: r4(treeWarm),
    tree_ratio: sk ? r4(treeCold / sk.tree.fit_s) : null,
    tree_acc: r4(tree.scores.accuracy),
    sklearn_tree_acc: sk ? r4(sk.tree.accuracy) : null,
    telco_features: telco.features,
    telco_features_match_pandas: sk?.telco.features_match ?? null,
    telco_fit_s: r4(telco.fit),
    sklearn_telco_fit_s: sk ? r4(sk.telco.fit_s) : null,
    telco_acc: r4(telco.scores.accuracy),
    sklearn_telco_acc: sk ? r4(sk.telco.same_split.accuracy) : null,
    telco_precision: r4(telco.scores.precision),
    telco_recall: r4(telco.scores.recall),
    telco_auc: r4(telco.scores.auc),
    sklearn_telco_auc: sk ? r4(sk.telco.same_split.auc) : null,
    telco_f1_rs42_split: telco.rs42 ? r4(telco.rs42.f1) : null,
    sklearn_telco_f1_rs42_split: sk ? r4(sk.telco.rs42_split.f1) : null,
    sklearn_version: sk?.sklearn_version ?? null,
  };
  console.log(JSON.stringify(summary));
}
