/** SQL for the analytics tables. Every function takes the executor to run on (a transaction or the pool). */
import type { Insertable } from 'kysely';
import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';
import type { AnalyticsJobTable, CustomerScoreTable, FeatureValues, JobKind, ModelTable, SegmentationTable, SegmentTable } from './analytics.tables.js';
import './analytics.tables.js';

const j = (v: unknown): string => JSON.stringify(v);

/** Next version number of a table with a `version` column (callers serialise with an advisory lock). */
async function nextVersion(db: Executor, table: 'feature_snapshot' | 'segmentation' | 'model', target?: string): Promise<number> {
  const r = target
    ? await sql<{ v: number }>`SELECT coalesce(max(version), 0)::int + 1 AS v FROM model WHERE target = ${target}`.execute(db)
    : await sql<{ v: number }>`SELECT coalesce(max(version), 0)::int + 1 AS v FROM ${sql.table(table)}`.execute(db);
  return r.rows[0]!.v;
}

/** Serialises version numbering of one kind of artefact within a transaction. */
export async function lockVersions(db: Executor, what: string): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext(${`analytics:${what}`}))`.execute(db);
}

export async function insertSnapshot(db: Executor, s: { id: string; purpose: 'current' | 'training'; asOf: Date; featureSet: number; now: Date }, rows: Map<string, FeatureValues>) {
  await lockVersions(db, 'feature_snapshot');
  const version = await nextVersion(db, 'feature_snapshot');
  await db.insertInto('feature_snapshot').values({ id: s.id, version, purpose: s.purpose, as_of: s.asOf, feature_set: s.featureSet, customer_count: rows.size, computed_at: s.now }).execute();
  const all = [...rows];
  for (let i = 0; i < all.length; i += 2000) {
    await db.insertInto('customer_feature')
      .values(all.slice(i, i + 2000).map(([customerId, f]) => ({ snapshot_id: s.id, customer_id: customerId, computed_at: s.now, features: j(f) })))
      .execute();
  }
  return db.selectFrom('feature_snapshot').selectAll().where('id', '=', s.id).executeTakeFirstOrThrow();
}

export const latestSnapshot = (db: Executor, purpose: 'current' | 'training' = 'current', featureSet?: number) => {
  let q = db.selectFrom('feature_snapshot').selectAll().where('purpose', '=', purpose);
  if (featureSet !== undefined) q = q.where('feature_set', '=', featureSet);
  return q.orderBy('version', 'desc').limit(1).executeTakeFirst();
};

export const snapshotById = (db: Executor, id: string) => db.selectFrom('feature_snapshot').selectAll().where('id', '=', id).executeTakeFirst();

/** Feature rows of a snapshot ordered by customer id (a stable order for seeded runs). */
export async function snapshotRows(db: Executor, snapshotId: string): Promise<{ customerId: string; features: FeatureValues }[]> {
  const rows = await db.selectFrom('customer_feature').select(['customer_id', 'features']).where('snapshot_id', '=', snapshotId).orderBy('customer_id').execute();
  return rows.map((r) => ({ customerId: r.customer_id, features: r.features }));
}

export const customerFeatures = (db: Executor, snapshotId: string, customerId: string) =>
  db.selectFrom('customer_feature').select('features').where('snapshot_id', '=', snapshotId).where('customer_id', '=', customerId).executeTakeFirst();

export async function insertJob(db: Executor, job: { id: string; kind: JobKind; params: unknown; createdBy: string; now: Date }) {
  await db.insertInto('analytics_job').values({ id: job.id, kind: job.kind, status: 'queued', progress: 0, stage: 'queued', params: j(job.params), result_id: null, error: j(null), created_by: job.createdBy, created_at: job.now, updated_at: job.now }).execute();
}

export async function updateJob(db: Executor, id: string, set: Partial<{ status: AnalyticsJobTable['status']; progress: number; stage: string; resultId: string; error: unknown }>, now: Date) {
  await db.updateTable('analytics_job').set({
    updated_at: now,
    ...(set.status ? { status: set.status } : {}),
    ...(set.progress !== undefined ? { progress: Math.min(1, Math.max(0, set.progress)) } : {}),
    ...(set.stage !== undefined ? { stage: set.stage } : {}),
    ...(set.resultId ? { result_id: set.resultId } : {}),
    ...(set.error !== undefined ? { error: j(set.error) } : {}),
  }).where('id', '=', id).execute();
}

export const jobById = (db: Executor, id: string) => db.selectFrom('analytics_job').selectAll().where('id', '=', id).executeTakeFirst();

export async function insertSegmentation(db: Executor, seg: Omit<Insertable<SegmentationTable>, 'version'>, segments: Insertable<SegmentTable>[], assignments: { customerId: string; idx: number; distance: number }[]) {
  await lockVersions(db, 'segmentation');
  const version = await nextVersion(db, 'segmentation');
  await db.insertInto('segmentation').values({ ...seg, version }).execute();
  await db.insertInto('segment').values(segments).execute();
  for (let i = 0; i < assignments.length; i += 5000) {
    await db.insertInto('customer_segment')
      .values(assignments.slice(i, i + 5000).map((a) => ({ segmentation_id: seg.id, customer_id: a.customerId, segment_idx: a.idx, distance: a.distance })))
      .execute();
  }
  return version;
}

export const segmentationById = (db: Executor, id: string) => db.selectFrom('segmentation').selectAll().where('id', '=', id).executeTakeFirst();
export const latestSegmentation = (db: Executor) => db.selectFrom('segmentation').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
export const segmentsOf = (db: Executor, id: string) => db.selectFrom('segment').selectAll().where('segmentation_id', '=', id).orderBy('idx').execute();

export async function segmentCustomers(db: Executor, segmentationId: string, idx: number, limit: number, offset: number) {
  const items = await db.selectFrom('customer_segment as cs').innerJoin('customer as c', 'c.id', 'cs.customer_id')
    .select(['cs.customer_id', 'c.name', 'c.phone', 'cs.distance'])
    .where('cs.segmentation_id', '=', segmentationId).where('cs.segment_idx', '=', idx)
    .orderBy('cs.distance').orderBy('cs.customer_id').limit(limit).offset(offset).execute();
  const total = await db.selectFrom('customer_segment').select((eb) => eb.fn.countAll<string>().as('n'))
    .where('segmentation_id', '=', segmentationId).where('segment_idx', '=', idx).executeTakeFirstOrThrow();
  return { items, total: Number(total.n) };
}

export async function insertModel(db: Executor, m: Omit<Insertable<ModelTable>, 'version'>) {
  await lockVersions(db, `model:${m.target}`);
  const version = await nextVersion(db, 'model', m.target);
  await db.insertInto('model').values({ ...m, version }).execute();
  return version;
}

export const modelById = (db: Executor, id: string) => db.selectFrom('model').selectAll().where('id', '=', id).executeTakeFirst();
export const latestModel = (db: Executor, target: 'churn' | 'purchase') =>
  db.selectFrom('model').selectAll().where('target', '=', target).orderBy('version', 'desc').limit(1).executeTakeFirst();
export const listModels = (db: Executor) => db.selectFrom('model').select(['id', 'target', 'version', 'metrics', 'created_at']).orderBy('created_at', 'desc').limit(50).execute();

/** Replaces a model's scores. */
export async function writeScores(db: Executor, modelId: string, rows: Insertable<CustomerScoreTable>[]) {
  await db.deleteFrom('customer_score').where('model_id', '=', modelId).execute();
  for (let i = 0; i < rows.length; i += 5000) await db.insertInto('customer_score').values(rows.slice(i, i + 5000)).execute();
}

export async function scoreCount(db: Executor, modelId: string): Promise<number> {
  const r = await db.selectFrom('customer_score').select((eb) => eb.fn.countAll<string>().as('n')).where('model_id', '=', modelId).executeTakeFirstOrThrow();
  return Number(r.n);
}

export const customerExists = async (db: Executor, id: string) => !!(await db.selectFrom('customer').select('id').where('id', '=', id).executeTakeFirst());
