import type { ColumnType } from 'kysely';

/** JSON columns: objects in, parsed objects out (pg parses jsonb). */
type Json<T> = ColumnType<T, string, string>;

export type FeatureValues = Record<string, number | string | null>;

export interface FeatureSnapshotTable {
  id: string;
  version: number;
  purpose: 'current' | 'training';
  as_of: Date;
  feature_set: number;
  customer_count: number;
  computed_at: Date;
}

export interface CustomerFeatureTable {
  snapshot_id: string;
  customer_id: string;
  computed_at: Date;
  features: Json<FeatureValues>;
}

export type JobKind = 'features' | 'segmentation' | 'scoring';
export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface AnalyticsJobTable {
  id: string;
  kind: JobKind;
  status: JobStatus;
  progress: number;
  stage: string;
  params: Json<unknown>;
  result_id: string | null;
  error: Json<{ code: string; message: string; details?: unknown } | null>;
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

export interface SegmentationTable {
  id: string;
  version: number;
  snapshot_id: string;
  k: number;
  seed: number;
  features: Json<string[]>;
  scaling: Json<unknown>;
  inertia: number;
  silhouette: number | null;
  search: Json<{ k: number; inertia: number; silhouette: number | null }[] | null>;
  customer_count: number;
  created_by: string;
  created_at: Date;
}

export interface TopFeature {
  feature: string;
  z: number;
  value: number;
}

export interface SegmentTable {
  segmentation_id: string;
  idx: number;
  size: number;
  centroid_z: Json<number[]>;
  centroid: Json<number[]>;
  top_features: Json<TopFeature[]>;
  name_zh: string;
  name_en: string;
}

export interface CustomerSegmentTable {
  segmentation_id: string;
  customer_id: string;
  segment_idx: number;
  distance: number;
}

export interface ModelTable {
  id: string;
  target: 'churn' | 'purchase';
  version: number;
  params: Json<unknown>;
  cutoff: Date;
  label_window_end: Date;
  snapshot_id: string;
  encoder: Json<unknown>;
  tree: Json<unknown>;
  metrics: Json<unknown>;
  label_counts: Json<{ positives: number; negatives: number }>;
  created_by: string;
  created_at: Date;
}

export interface CustomerScoreTable {
  model_id: string;
  customer_id: string;
  target: 'churn' | 'purchase';
  score: number;
  snapshot_id: string;
  scored_at: Date;
}

declare module '../../platform/db.js' {
  interface DB {
    feature_snapshot: FeatureSnapshotTable;
    customer_feature: CustomerFeatureTable;
    analytics_job: AnalyticsJobTable;
    segmentation: SegmentationTable;
    segment: SegmentTable;
    customer_segment: CustomerSegmentTable;
    model: ModelTable;
    customer_score: CustomerScoreTable;
  }
}
