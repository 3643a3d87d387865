/** Rows of the analytics tables → API shapes (contracts/src/analytics.ts). */
import type { AnalyticsJob, Model, ModelMetrics, ModelSummary, Segment, Segmentation } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import type { AnalyticsJobTable, FeatureSnapshotTable, ModelTable, SegmentationTable, SegmentTable } from './analytics.tables.js';
import type { TreeJson } from './cart.explain.js';
import type { TrainParams } from './models.js';

export const toSnapshot = (r: Selectable<FeatureSnapshotTable>) => ({
  id: r.id, version: r.version, purpose: r.purpose, asOf: r.as_of.toISOString(), featureSet: r.feature_set, customerCount: r.customer_count, computedAt: r.computed_at.toISOString(),
});

export const toJob = (r: Selectable<AnalyticsJobTable>): AnalyticsJob => ({
  id: r.id, kind: r.kind, status: r.status, progress: r.progress, stage: r.stage, resultId: r.result_id, error: r.error ?? null,
  createdAt: r.created_at.toISOString(), updatedAt: r.updated_at.toISOString(),
});

export function toSegmentation(r: Selectable<SegmentationTable>, segments: Selectable<SegmentTable>[]): Segmentation {
  const total = segments.reduce((s, x) => s + x.size, 0) || 1;
  return {
    id: r.id, version: r.version, k: r.k, seed: r.seed, snapshotId: r.snapshot_id, features: r.features, inertia: r.inertia, silhouette: r.silhouette,
    search: r.search ?? null, customerCount: r.customer_count, createdAt: r.created_at.toISOString(),
    segments: segments.map((s): Segment => ({
      idx: s.idx, size: s.size, share: s.size / total, name: { zh: s.name_zh, en: s.name_en }, centroid: s.centroid, centroidZ: s.centroid_z, topFeatures: s.top_features,
    })),
  };
}

export function toModel(r: Selectable<ModelTable>, scored: number): Model {
  const tree = r.tree as TreeJson;
  const names = tree.featureNames ?? [];
  return {
    id: r.id, target: r.target, version: r.version, params: r.params as TrainParams, cutoff: r.cutoff.toISOString(), labelWindowEnd: r.label_window_end.toISOString(),
    labelCounts: r.label_counts, metrics: r.metrics as ModelMetrics, featureNames: names,
    importances: names.map((feature, i) => ({ feature, importance: tree.importances[i] ?? 0 })).filter((x) => x.importance > 0).sort((a, b) => b.importance - a.importance),
    tree: { nodes: tree.nodes }, scored, createdAt: r.created_at.toISOString(),
  };
}

export const toModelSummary = (r: Pick<Selectable<ModelTable>, 'id' | 'target' | 'version' | 'metrics' | 'created_at'>): ModelSummary => ({
  id: r.id, target: r.target, version: r.version, metrics: r.metrics as ModelMetrics, createdAt: r.created_at.toISOString(),
});
