/**
 * Analytics use cases: the customer feature table (refresh on demand and
 * nightly), segmentation runs as jobs with progress, churn / purchase models,
 * scores for every customer, and per-customer predictions with a reason.
 */
import type { CustomerFeatures, CustomerPredictions, CustomerScore, FeatureOverview, Prediction, SegmentationRequest, SegmentCustomerPage, TrainRequest } from '@telehall/contracts';
import type { Logger } from 'pino';
import { computeCustomerFeatures, positiveLabels } from '../../flows/customer-features.js';
import type { Clock } from '../../platform/clock.js';
import type { Db } from '../../platform/db.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { cycleOf } from '../lines/cycle.js';
import * as repo from './analytics.repository.js';
import { toJob, toModel, toModelSummary, toSegmentation, toSnapshot } from './analytics.mapper.js';
import type { TreeJson } from './cart.explain.js';
import { DEFAULT_SEGMENT_FEATURES, FEATURE_SET, FEATURES } from './features.js';
import { scoreOne, scoreRows, trainModel, type TrainParams } from './models.js';
import type { Encoder } from './preprocess.js';
import { checkFeatures, segment } from './segmentation.js';
import { telcoBenchmark } from './telco-benchmark.js';

const DAY = 86_400_000;

/** Analytics for the console. */
export function createAnalytics({ db, clock, ids, log }: { db: Db; clock: Clock; ids: Ids; log: Logger }) {
  const running = new Set<Promise<unknown>>();
  let telco: ReturnType<typeof telcoBenchmark> | null = null;

  async function refreshFeatures() {
    const now = clock.now();
    const rows = await computeCustomerFeatures(db, now);
    return db.transaction().execute((trx) => repo.insertSnapshot(trx, { id: ids.uuid(), purpose: 'current', asOf: now, featureSet: FEATURE_SET, now }, rows));
  }

  /** The latest current snapshot of this feature set, computed when there is none. */
  async function currentSnapshot() {
    return (await repo.latestSnapshot(db, 'current', FEATURE_SET)) ?? refreshFeatures();
  }

  /** Runs `work` in the background, recording progress and the outcome on the job row. */
  function runJob(jobId: string, work: (progress: (p: number, stage: string) => Promise<void>) => Promise<string>): void {
    const progress = (p: number, stage: string) => repo.updateJob(db, jobId, { progress: p, stage }, clock.now());
    const task = (async () => {
      await repo.updateJob(db, jobId, { status: 'running', stage: 'started' }, clock.now());
      try {
        const resultId = await work(progress);
        await repo.updateJob(db, jobId, { status: 'done', progress: 1, stage: 'done', resultId }, clock.now());
      } catch (err) {
        const known = err instanceof AppError;
        if (!known) log.error({ err, jobId }, 'analytics job failed');
        await repo.updateJob(db, jobId, { status: 'failed', stage: 'failed', error: known ? { code: err.code, message: err.message, details: err.details } : { code: 'job_failed', message: 'The job failed; see the server log' } }, clock.now());
      }
    })();
    running.add(task);
    void task.finally(() => running.delete(task));
  }

  /** Scores every customer in the current snapshot with a model. */
  async function scoreAll(modelId: string): Promise<number> {
    const model = await repo.modelById(db, modelId);
    if (!model) throw notFound('model');
    const snap = await currentSnapshot();
    const rows = await repo.snapshotRows(db, snap.id);
    const scores = scoreRows(model.encoder as Encoder, model.tree as TreeJson, rows.map((r) => r.features));
    const now = clock.now();
    await db.transaction().execute((trx) => repo.writeScores(trx, model.id, rows.map((r, i) => ({ model_id: model.id, customer_id: r.customerId, target: model.target, score: scores[i]!, snapshot_id: snap.id, scored_at: now }))));
    return rows.length;
  }

  async function predictWith(model: NonNullable<Awaited<ReturnType<typeof repo.modelById>>>, customerId: string): Promise<Prediction> {
    const snap = await currentSnapshot();
    const row = await repo.customerFeatures(db, snap.id, customerId);
    if (!row) {
      if (!(await repo.customerExists(db, customerId))) throw notFound('customer');
      throw new AppError('unprocessable', 'no_features', 'This customer has no features in the latest snapshot (no line yet, or opened since); refresh the features', { details: { snapshotId: snap.id } });
    }
    const s = scoreOne(model.encoder as Encoder, model.tree as TreeJson, row.features, model.target);
    return { modelId: model.id, target: model.target, version: model.version, customerId, score: s.score, conditions: s.conditions, reason: s.reason, snapshotId: snap.id };
  }

  return {
    /** Running jobs settle (tests, shutdown). */
    async idle(): Promise<void> {
      while (running.size) await Promise.allSettled([...running]);
    },

    async featureOverview(): Promise<FeatureOverview> {
      const snap = await repo.latestSnapshot(db, 'current', FEATURE_SET);
      return { snapshot: snap ? toSnapshot(snap) : null, features: FEATURES.map((f) => ({ name: f.name, kind: f.kind, label: f.label, segmentDefault: !!f.segment })) };
    },

    /** Recomputes every customer's features as of now into a new snapshot. */
    refreshFeatures: async () => toSnapshot(await refreshFeatures()),

    /** @throws not_found `customer_not_found` */
    async customerFeatures(customerId: string): Promise<CustomerFeatures> {
      const snap = await currentSnapshot();
      const row = await repo.customerFeatures(db, snap.id, customerId);
      if (!row) throw notFound('customer');
      return { snapshot: toSnapshot(snap), customerId, features: row.features };
    },

    /**
     * Starts a segmentation job on the current feature snapshot; poll job(id).
     * @throws invalid_data `unknown_feature` | `bad_k_range` | `k_or_range`
     */
    async startSegmentation(actor: string, req: SegmentationRequest) {
      if (req.k !== undefined && req.kRange) throw invalid('k_or_range', 'Give either k or kRange, not both');
      if (req.kRange && req.kRange.min > req.kRange.max) throw invalid('bad_k_range', 'kRange.min must not exceed kRange.max');
      const features = req.features ?? DEFAULT_SEGMENT_FEATURES;
      checkFeatures(features);
      const params = { features, seed: req.seed ?? 42, restarts: req.restarts ?? 5, ...(req.kRange ? { kRange: req.kRange } : { k: req.k ?? 4 }) };
      const jobId = ids.uuid();
      await repo.insertJob(db, { id: jobId, kind: 'segmentation', params, createdBy: actor, now: clock.now() });
      runJob(jobId, async (progress) => {
        const snap = await currentSnapshot();
        const rows = await repo.snapshotRows(db, snap.id);
        const r = await segment(rows, params, progress);
        const id = ids.uuid();
        await db.transaction().execute((trx) => repo.insertSegmentation(trx, {
          id, snapshot_id: snap.id, k: r.k, seed: params.seed, features: JSON.stringify(r.featureNames),
          scaling: JSON.stringify({ encoder: r.encoder, mean: r.mean, std: r.std }), inertia: r.inertia, silhouette: r.silhouette,
          search: JSON.stringify(r.search), customer_count: rows.length, created_by: actor, created_at: clock.now(),
        }, r.segments.map((s) => ({
          segmentation_id: id, idx: s.idx, size: s.size, centroid_z: JSON.stringify(s.centroidZ), centroid: JSON.stringify(s.centroid),
          top_features: JSON.stringify(s.topFeatures), name_zh: s.name.zh, name_en: s.name.en,
        })), rows.map((row, i) => ({ customerId: row.customerId, idx: r.labels[i]!, distance: r.distances[i]! }))));
        return id;
      });
      return toJob((await repo.jobById(db, jobId))!);
    },

    /** @throws not_found `job_not_found` */
    async job(id: string) {
      const j = await repo.jobById(db, id);
      if (!j) throw notFound('job');
      return toJob(j);
    },

    /** A segmentation by id, or the latest for 'latest'. @throws not_found `segmentation_not_found` */
    async segmentation(id: string) {
      const seg = id === 'latest' ? await repo.latestSegmentation(db) : await repo.segmentationById(db, id);
      if (!seg) throw notFound('segmentation');
      return toSegmentation(seg, await repo.segmentsOf(db, seg.id));
    },

    /** @throws not_found `segmentation_not_found` | `segment_not_found` */
    async segmentCustomers(id: string, idx: number, q: { limit?: number; offset?: number }): Promise<SegmentCustomerPage> {
      const seg = await repo.segmentationById(db, id);
      if (!seg) throw notFound('segmentation');
      if (idx < 0 || idx >= seg.k) throw notFound('segment');
      const page = await repo.segmentCustomers(db, id, idx, q.limit ?? 20, q.offset ?? 0);
      return { total: page.total, items: page.items.map((r) => ({ customerId: r.customer_id, name: r.name, phone: r.phone, distance: r.distance })) };
    },

    /**
     * Trains a model. Labels: features are computed as of the start of the
     * last complete cycle (the cutoff); a customer is positive when, during
     * that cycle (cutoff up to the start of the current cycle), a line was
     * suspended or closed (churn) or an add-on was bought (purchase).
     * Then scores every customer with it.
     * @throws unprocessable `not_enough_labels`
     */
    async trainModel(actor: string, req: TrainRequest) {
      const now = clock.now();
      const windowEnd = cycleOf(now).start;
      const cutoff = cycleOf(new Date(windowEnd.getTime() - 1)).start;
      const params: TrainParams = { maxDepth: req.maxDepth ?? 4, minSamplesLeaf: req.minSamplesLeaf ?? 2, criterion: req.criterion ?? 'gini', classWeight: req.classWeight ?? 'balanced', seed: req.seed ?? 42 };
      const features = await computeCustomerFeatures(db, cutoff);
      const positive = await positiveLabels(db, req.target, cutoff, windowEnd);
      const rows = [...features].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([customerId, f]) => ({ customerId, features: f }));
      const y = Uint8Array.from(rows, (r) => (positive.has(r.customerId) ? 1 : 0));
      const trained = trainModel(rows, y, params, { target: req.target, cutoff: cutoff.toISOString(), windowEnd: windowEnd.toISOString(), customers: rows.length });
      const positives = y.reduce((s, v) => s + v, 0);
      const id = ids.uuid();
      await db.transaction().execute(async (trx) => {
        const snap = await repo.insertSnapshot(trx, { id: ids.uuid(), purpose: 'training', asOf: cutoff, featureSet: FEATURE_SET, now }, features);
        await repo.insertModel(trx, {
          id, target: req.target, params: JSON.stringify(params), cutoff, label_window_end: windowEnd, snapshot_id: snap.id,
          encoder: JSON.stringify(trained.encoder), tree: JSON.stringify(trained.tree), metrics: JSON.stringify(trained.metrics),
          label_counts: JSON.stringify({ positives, negatives: y.length - positives }), created_by: actor, created_at: now,
        });
      });
      const scored = await scoreAll(id);
      return toModel((await repo.modelById(db, id))!, scored);
    },

    scoreAll,

    async models() {
      return (await repo.listModels(db)).map(toModelSummary);
    },

    /** @throws not_found `model_not_found` */
    async model(id: string) {
      const m = await repo.modelById(db, id);
      if (!m) throw notFound('model');
      return toModel(m, await repo.scoreCount(db, id));
    },

    /** @throws not_found `model_not_found` | `customer_not_found`, unprocessable `no_features` */
    async predict(modelId: string, customerId: string): Promise<Prediction> {
      const m = await repo.modelById(db, modelId);
      if (!m) throw notFound('model');
      return predictWith(m, customerId);
    },

    /** Latest model per target applied to one customer. @throws not_found `customer_not_found`, unprocessable `no_features` */
    async customerPrediction(customerId: string): Promise<CustomerPredictions> {
      if (!(await repo.customerExists(db, customerId))) throw notFound('customer');
      const predictions: Prediction[] = [];
      for (const target of ['churn', 'purchase'] as const) {
        const m = await repo.latestModel(db, target);
        if (m) predictions.push(await predictWith(m, customerId));
      }
      return { customerId, predictions };
    },

    /**
     * The stored scores of a customer from the latest model per target, with
     * the decision path on the features they were scored from. Empty before
     * a model is trained or when the customer had no line at scoring time.
     */
    async customerScores(customerId: string): Promise<CustomerScore[]> {
      const out: CustomerScore[] = [];
      for (const target of ['churn', 'purchase'] as const) {
        const m = await repo.latestModel(db, target);
        if (!m) continue;
        const row = await db.selectFrom('customer_score').selectAll().where('model_id', '=', m.id).where('customer_id', '=', customerId).executeTakeFirst();
        if (!row) continue;
        const f = await repo.customerFeatures(db, row.snapshot_id, customerId);
        if (!f) continue;
        const s = scoreOne(m.encoder as Encoder, m.tree as TreeJson, f.features, m.target);
        out.push({ target, score: row.score, reason: s.reason, conditions: s.conditions, modelId: m.id, version: m.version, scoredAt: row.scored_at.toISOString(), snapshotId: row.snapshot_id });
      }
      return out;
    },

    /** @throws unprocessable `telco_data_missing` */
    async telcoBenchmark() {
      telco ??= telcoBenchmark();
      try {
        return await telco;
      } catch (err) {
        telco = null;
        throw err;
      }
    },

    /**
     * Nightly: a fresh feature snapshot once the last is a day old, then new
     * scores from the latest model of each target. Returns a stop function.
     */
    startNightly(everyMs = 3600_000): () => void {
      const tick = async () => {
        const snap = await repo.latestSnapshot(db, 'current', FEATURE_SET);
        if (snap && clock.now().getTime() - snap.computed_at.getTime() < DAY) return;
        await refreshFeatures();
        for (const target of ['churn', 'purchase'] as const) {
          const m = await repo.latestModel(db, target);
          if (m) await scoreAll(m.id);
        }
        log.info('analytics: features refreshed and customers rescored');
      };
      const timer = setInterval(() => {
        const t = tick().catch((err: unknown) => log.error({ err }, 'nightly analytics failed'));
        running.add(t);
        void t.finally(() => running.delete(t));
      }, everyMs);
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
export type Analytics = ReturnType<typeof createAnalytics>;
