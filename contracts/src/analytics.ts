import { Type, type Static } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
const Words = Type.Object({ zh: Type.String(), en: Type.String() });
const FeatureName = Type.String({ pattern: '^[a-z_]{1,40}$' });

/** One feature's definition, for the console's pickers and labels. */
export const FeatureInfo = Type.Object({ name: Type.String(), kind: Type.Union([Type.Literal('numeric'), Type.Literal('categorical')]), label: Words, segmentDefault: Type.Boolean() });
export type FeatureInfo = Static<typeof FeatureInfo>;

export const FeatureSnapshot = Type.Object({
  id: Type.String(), version: Type.Integer(), purpose: Type.String(), asOf: Type.String({ format: 'date-time' }),
  featureSet: Type.Integer(), customerCount: Type.Integer(), computedAt: Type.String({ format: 'date-time' }),
});
export type FeatureSnapshot = Static<typeof FeatureSnapshot>;

export const FeatureValues = Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()]));
export const CustomerFeatures = Type.Object({ snapshot: FeatureSnapshot, customerId: Type.String(), features: FeatureValues });
export type CustomerFeatures = Static<typeof CustomerFeatures>;

export const FeatureOverview = Type.Object({ snapshot: Nullable(FeatureSnapshot), features: Type.Array(FeatureInfo) });
export type FeatureOverview = Static<typeof FeatureOverview>;

export const AnalyticsJob = Type.Object({
  id: Type.String(), kind: Type.String(), status: Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('failed')]),
  progress: Type.Number(), stage: Type.String(), resultId: Nullable(Type.String()),
  error: Nullable(Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) })),
  createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
});
export type AnalyticsJob = Static<typeof AnalyticsJob>;

export const SegmentationRequest = Type.Object({
  k: Type.Optional(Type.Integer({ minimum: 2, maximum: 20 })),
  kRange: Type.Optional(Type.Object({ min: Type.Integer({ minimum: 2, maximum: 20 }), max: Type.Integer({ minimum: 2, maximum: 20 }) })),
  features: Type.Optional(Type.Array(FeatureName, { minItems: 1, maxItems: 40, uniqueItems: true })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
  restarts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
}, { additionalProperties: false });
export type SegmentationRequest = Static<typeof SegmentationRequest>;

export const TopFeature = Type.Object({ feature: Type.String(), z: Type.Number(), value: Type.Number() });
export const Segment = Type.Object({
  idx: Type.Integer(), size: Type.Integer(), share: Type.Number(), name: Words,
  /** Centroid per feature in original units (inverse standardised). */
  centroid: Type.Array(Type.Number()),
  /** Centroid per feature in standard deviations from the mean. */
  centroidZ: Type.Array(Type.Number()),
  topFeatures: Type.Array(TopFeature),
});
export type Segment = Static<typeof Segment>;

export const Segmentation = Type.Object({
  id: Type.String(), version: Type.Integer(), k: Type.Integer(), seed: Type.Integer(), snapshotId: Type.String(),
  features: Type.Array(Type.String()), inertia: Type.Number(), silhouette: Nullable(Type.Number()),
  search: Nullable(Type.Array(Type.Object({ k: Type.Integer(), inertia: Type.Number(), silhouette: Nullable(Type.Number()) }))),
  customerCount: Type.Integer(), createdAt: Type.String({ format: 'date-time' }), segments: Type.Array(Segment),
});
export type Segmentation = Static<typeof Segmentation>;

export const SegmentCustomer = Type.Object({ customerId: Type.String(), name: Type.String(), phone: Nullable(Type.String()), distance: Type.Number() });
export type SegmentCustomer = Static<typeof SegmentCustomer>;
export const SegmentCustomerQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
});
export const SegmentCustomerPage = Type.Object({ items: Type.Array(SegmentCustomer), total: Type.Integer() });
export type SegmentCustomerPage = Static<typeof SegmentCustomerPage>;

export const ModelTarget = Type.Union([Type.Literal('churn'), Type.Literal('purchase')]);
export type ModelTarget = Static<typeof ModelTarget>;
export const TrainRequest = Type.Object({
  target: ModelTarget,
  maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 4 })),
  minSamplesLeaf: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 2 })),
  criterion: Type.Optional(Type.Union([Type.Literal('gini'), Type.Literal('entropy')], { default: 'gini' })),
  classWeight: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('balanced')], { default: 'balanced' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1, default: 42 })),
}, { additionalProperties: false });
export type TrainRequest = Static<typeof TrainRequest>;

export const ModelMetrics = Type.Object({
  accuracy: Type.Number(), precision: Type.Number(), recall: Type.Number(), f1: Type.Number(), auc: Nullable(Type.Number()),
  /** [[tn, fp], [fn, tp]]: rows actual, columns predicted. */
  confusion: Type.Array(Type.Array(Type.Integer())),
  trainSize: Type.Integer(), testSize: Type.Integer(),
});
export type ModelMetrics = Static<typeof ModelMetrics>;

export const TreeNode = Type.Object({ feature: Type.Integer(), threshold: Type.Number(), left: Type.Integer(), right: Type.Integer(), samples: Type.Integer(), impurity: Type.Number(), proba: Type.Array(Type.Number()) });
export const Model = Type.Object({
  id: Type.String(), target: ModelTarget, version: Type.Integer(),
  params: Type.Object({ maxDepth: Type.Integer(), minSamplesLeaf: Type.Integer(), criterion: Type.String(), classWeight: Type.String(), seed: Type.Integer() }),
  cutoff: Type.String({ format: 'date-time' }), labelWindowEnd: Type.String({ format: 'date-time' }),
  labelCounts: Type.Object({ positives: Type.Integer(), negatives: Type.Integer() }),
  metrics: ModelMetrics, featureNames: Type.Array(Type.String()),
  importances: Type.Array(Type.Object({ feature: Type.String(), importance: Type.Number() })),
  tree: Type.Object({ nodes: Type.Array(TreeNode) }),
  scored: Type.Integer(), createdAt: Type.String({ format: 'date-time' }),
});
export type Model = Static<typeof Model>;
export const ModelSummary = Type.Object({ id: Type.String(), target: ModelTarget, version: Type.Integer(), metrics: ModelMetrics, createdAt: Type.String({ format: 'date-time' }) });
export type ModelSummary = Static<typeof ModelSummary>;

export const Prediction = Type.Object({
  modelId: Type.String(), target: ModelTarget, version: Type.Integer(), customerId: Type.String(),
  /** Probability of the positive class (churn / purchase). */
  score: Type.Number(),
  conditions: Type.Array(Type.String()),
  /** "tenure_days < 60, overage_share > 20% → churn risk 0.71" */
  reason: Type.String(),
  snapshotId: Type.String(),
});
export type Prediction = Static<typeof Prediction>;
/** A stored score (customer_score, written by training and the nightly job) with the decision path that gives it. */
export const CustomerScore = Type.Object({
  target: ModelTarget, score: Type.Number(), reason: Type.String(), conditions: Type.Array(Type.String()),
  modelId: Type.String(), version: Type.Integer(), scoredAt: Type.String({ format: 'date-time' }), snapshotId: Type.String(),
});
export type CustomerScore = Static<typeof CustomerScore>;
export const CustomerPredictions = Type.Object({ customerId: Type.String(), predictions: Type.Array(Prediction) });
export type CustomerPredictions = Static<typeof CustomerPredictions>;

const Scores = Type.Object({ accuracy: Type.Number(), precision: Type.Number(), recall: Type.Number(), f1: Type.Number(), auc: Type.Number() });
export const TelcoBenchmark = Type.Object({
  file: Type.String(), rows: Type.Integer(), features: Type.Integer(), split: Type.String(), params: Type.String(),
  ours: Scores, fitSeconds: Type.Number(),
  /** scikit-learn 1.2 on the identical encoded matrix and split, measured once (see telco-benchmark.ts). */
  sklearn: Scores,
  topFeatures: Type.Array(Type.Object({ feature: Type.String(), importance: Type.Number() })),
});
export type TelcoBenchmark = Static<typeof TelcoBenchmark>;
