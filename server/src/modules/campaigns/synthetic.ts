import { sql } from 'kysely';
import type { Executor } from '../../platform/db.js';

/**
 * Synthetic subscribers made set-based in SQL (one statement per table), for
 * the campaign benchmark and tests: customers with a category, consents and a
 * language; one active line each on one of `planIds`; a k=4 segmentation and
 * a churn model with a score per customer. Deterministic in `i`.
 */
export async function generateSubscribers(db: Executor, opts: { count: number; planIds: string[]; phonePrefix: string; at: Date }) {
  const { count, planIds, phonePrefix, at } = opts;
  if (!/^1[3-9][0-9]$/.test(phonePrefix)) throw new Error('phonePrefix must be three digits like 150');
  const h = (salt: number) => sql`((i::bigint * ${2654435761 + salt * 97}::bigint) % 4294967296) / 4294967296.0`;
  await sql`INSERT INTO customer (id, name, phone, locale, category, consent_sms, consent_email, consent_push, email, created_at, updated_at)
    SELECT gen_random_uuid(), 'Synthetic ' || i, ${phonePrefix} || lpad(i::text, 8, '0'),
      CASE WHEN ${h(1)} < 0.8 THEN 'zh-CN' ELSE 'en' END,
      (ARRAY['regular', 'student', 'enterprise', 'other'])[1 + floor(${h(2)} * 4)::int],
      ${h(3)} < 0.4, ${h(4)} < 0.3, ${h(5)} < 0.5,
      CASE WHEN ${h(6)} < 0.6 THEN 'u' || i || '@example.com' END, ${at}, ${at}
    FROM generate_series(1, ${count}) AS i`.execute(db);
  await sql`INSERT INTO line (id, customer_id, msisdn, plan_id, status, credit_limit_fen, cycle_start, cycle_end, activated_at, created_at)
    SELECT gen_random_uuid(), c.id, c.phone, (${planIds}::uuid[])[1 + (substr(c.phone, 4)::int % ${planIds.length})], 'active', 0,
      ${at}::timestamptz - interval '10 days', ${at}::timestamptz + interval '20 days', ${at}::timestamptz - interval '400 days', ${at}
    FROM customer c WHERE c.phone LIKE ${phonePrefix + '%'} AND c.name LIKE 'Synthetic %'`.execute(db);
  const snapshot = (await sql<{ id: string }>`INSERT INTO feature_snapshot (id, version, purpose, as_of, feature_set, customer_count, computed_at)
    SELECT gen_random_uuid(), COALESCE(max(version), 0) + 1, 'current', ${at}, 1, ${count}, ${at} FROM feature_snapshot RETURNING id`.execute(db)).rows[0]!.id;
  const segmentation = (await sql<{ id: string }>`INSERT INTO segmentation (id, version, snapshot_id, k, seed, features, scaling, inertia, silhouette, search, customer_count, created_by, created_at)
    SELECT gen_random_uuid(), COALESCE(max(version), 0) + 1, ${snapshot}::uuid, 4, 1, '[]', '{}', 0, null, null, ${count}, 'synthetic', ${at} FROM segmentation RETURNING id`.execute(db)).rows[0]!.id;
  await sql`INSERT INTO segment (segmentation_id, idx, size, centroid_z, centroid, top_features, name_zh, name_en)
    SELECT ${segmentation}::uuid, g, 0, '[]', '{}', '[]', '细分' || g, 'Segment ' || g FROM generate_series(0, 3) g`.execute(db);
  await sql`INSERT INTO customer_segment (segmentation_id, customer_id, segment_idx, distance)
    SELECT ${segmentation}::uuid, c.id, substr(c.phone, 4)::int % 4, 1 FROM customer c WHERE c.phone LIKE ${phonePrefix + '%'} AND c.name LIKE 'Synthetic %'`.execute(db);
  const model = (await sql<{ id: string }>`INSERT INTO model (id, target, version, params, cutoff, label_window_end, snapshot_id, encoder, tree, metrics, label_counts, created_by, created_at)
    SELECT gen_random_uuid(), 'churn', COALESCE(max(version), 0) + 1, '{}', ${at}, ${at}, ${snapshot}::uuid, '{}', '{}', '{}', '{}', 'synthetic', ${at} FROM model WHERE target = 'churn' RETURNING id`.execute(db)).rows[0]!.id;
  await sql`INSERT INTO customer_score (model_id, customer_id, target, score, snapshot_id, scored_at)
    SELECT ${model}::uuid, c.id, 'churn', ((substr(c.phone, 4)::bigint * 2654435761) % 1000) / 1000.0, ${snapshot}::uuid, ${at}
    FROM customer c WHERE c.phone LIKE ${phonePrefix + '%'} AND c.name LIKE 'Synthetic %'`.execute(db);
  return { segmentationId: segmentation, modelId: model, snapshotId: snapshot };
}
