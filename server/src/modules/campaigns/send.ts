import { sql, type RawBuilder, type Selectable } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Executor } from '../../platform/db.js';
import { audienceSelect, consentedChannels, seededHash, variantExpr, type AudienceOptions } from './audience.js';
import type { CampaignTable } from './campaigns.tables.js';
import './campaigns.tables.js';
import '../../platform/outbox.js';

export type CampaignRow = Selectable<CampaignTable>;

export const OFFER_TOPIC = 'campaign.offer';
/** Recipients per enqueue transaction: large enough to be set-based, small enough to keep transactions short. */
export const ENQUEUE_BATCH = 50_000;

export interface SendDeps {
  db: Db;
  clock: Clock;
  audience: AudienceOptions;
  /** Recipients per enqueue transaction (default ENQUEUE_BATCH). */
  batchSize?: number;
  /** Test hook: called after each committed enqueue batch (a crash test throws here). */
  afterBatch?: (campaignId: string, runNo: number, enqueued: number) => Promise<void> | void;
}

export interface Materialised {
  audience: number;
  treated: number;
  control: number;
  suppressed: number;
  ms: number;
}

/**
 * Record every matching subscriber of one run in `campaign_recipient` with
 * one INSERT … SELECT: consent and the frequency cap suppress, then a seeded
 * md5 hash of the customer id puts `holdout_pct`% in the control group and
 * splits the rest by variant weight. Treated rows get their outbox id
 * reserved here (`nextval`), which makes every later enqueue replay-safe.
 * Runs in the caller's transaction together with the run row.
 */
export async function materialise(trx: Executor, d: SendDeps, c: CampaignRow, runNo: number, extra?: RawBuilder<boolean>): Promise<Materialised> {
  const started = performance.now();
  const now = d.clock.now();
  const setting = await trx.selectFrom('campaign_setting').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
  const since = new Date(now.getTime() - setting.frequency_days * 86_400_000);
  const control = sql<boolean>`${seededHash(c.seed, 'holdout', 10_000)} < ${c.holdout_pct * 100}`;
  const r = await sql<{ arm: string; n: number }>`
    WITH aud AS (${audienceSelect(c.audience, now, d.audience, extra)}),
    recent AS (
      SELECT customer_id, count(*) AS n FROM campaign_recipient
      WHERE arm = 'treatment' AND assigned_at > ${since} AND campaign_id <> ${c.id}::uuid
      GROUP BY customer_id
    ),
    scored AS (
      SELECT c.id AS customer_id, aud.line_id, ${consentedChannels(c.channels)} AS channels, COALESCE(recent.n, 0) >= ${setting.frequency_cap} AS capped,
        ${control} AS control, ${variantExpr(c.seed, c.variants)} AS variant
      FROM aud JOIN customer c ON c.id = aud.customer_id
      LEFT JOIN notification_preference np ON np.customer_id = aud.customer_id
      LEFT JOIN recent ON recent.customer_id = aud.customer_id
    ),
    armed AS (
      SELECT *, CASE WHEN cardinality(channels) = 0 OR capped THEN 'suppressed' WHEN control THEN 'control' ELSE 'treatment' END AS arm FROM scored
    ),
    ins AS (
      INSERT INTO campaign_recipient (campaign_id, run_no, customer_id, line_id, arm, variant, suppressed_reason, channels, outbox_id, assigned_at)
      SELECT ${c.id}::uuid, ${runNo}::bigint, customer_id, line_id, arm, variant,
        CASE WHEN cardinality(channels) = 0 THEN 'no_consent' WHEN capped THEN 'frequency_cap' END, channels,
        CASE WHEN arm = 'treatment' THEN nextval(pg_get_serial_sequence('outbox', 'id')) END, ${now}
      FROM armed
      ON CONFLICT DO NOTHING
      RETURNING arm
    )
    SELECT arm, count(*)::int AS n FROM ins GROUP BY arm`.execute(trx);
  const n = (arm: string) => r.rows.find((x) => x.arm === arm)?.n ?? 0;
  const m = { treated: n('treatment'), control: n('control'), suppressed: n('suppressed'), ms: Math.round(performance.now() - started) };
  return { audience: m.treated + m.control + m.suppressed, ...m };
}

/** Open a run and materialise its recipients in one transaction; a crash leaves no half-made audience. */
export async function startRun(trx: Executor, d: SendDeps, c: CampaignRow, runNo: number, extra?: RawBuilder<boolean>): Promise<Materialised> {
  await trx.insertInto('campaign_run').values({ campaign_id: c.id, run_no: runNo, status: 'sending', started_at: d.clock.now(), finished_at: null }).execute();
  const m = await materialise(trx, d, c, runNo, extra);
  await trx.updateTable('campaign_run')
    .set({ audience: m.audience, treated: m.treated, control: m.control, suppressed: m.suppressed, materialised_ms: m.ms })
    .where('campaign_id', '=', c.id).where('run_no', '=', runNo).execute();
  return m;
}

/**
 * Put one batch of a run's treated recipients into the outbox, in customer
 * order after the run's cursor. The batch insert and the cursor move commit
 * together; the reserved outbox ids make a replayed batch insert nothing.
 * Returns how many recipients the batch covered (0 = the run is fully enqueued).
 */
export async function enqueueBatch(trx: Executor, d: SendDeps, campaignId: string, runNo: number, limit = ENQUEUE_BATCH): Promise<number> {
  const run = await trx.selectFrom('campaign_run').select(['status', 'cursor_customer'])
    .where('campaign_id', '=', campaignId).where('run_no', '=', runNo).forUpdate().executeTakeFirst();
  if (!run || run.status !== 'sending') return 0;
  const after = run.cursor_customer ?? '00000000-0000-0000-0000-000000000000';
  const r = await sql<{ covered: number; inserted: number; last: string | null }>`
    WITH batch AS (
      SELECT r.customer_id, r.line_id, r.variant, r.channels, r.outbox_id FROM campaign_recipient r
      WHERE r.campaign_id = ${campaignId}::uuid AND r.run_no = ${runNo}::bigint AND r.arm = 'treatment' AND r.customer_id > ${after}::uuid
      ORDER BY r.customer_id LIMIT ${limit}
    ),
    ins AS (
      INSERT INTO outbox (id, topic, key, payload, created_at) OVERRIDING SYSTEM VALUE
      SELECT b.outbox_id, ${OFFER_TOPIC}, b.customer_id::text,
        jsonb_build_object('customerId', b.customer_id, 'campaignId', ${campaignId}::text, 'runNo', ${runNo}::bigint, 'lineId', b.line_id, 'variant', b.variant, 'channels', to_jsonb(b.channels)),
        ${d.clock.now()}
      FROM batch b
      ON CONFLICT (id) DO NOTHING
      RETURNING 1
    )
    SELECT (SELECT count(*)::int FROM batch) AS covered, (SELECT count(*)::int FROM ins) AS inserted, (SELECT max(customer_id::text) FROM batch) AS last`.execute(trx);
  const { covered, inserted, last } = r.rows[0]!;
  if (covered === 0) {
    await trx.updateTable('campaign_run').set({ status: 'done', finished_at: d.clock.now() }).where('campaign_id', '=', campaignId).where('run_no', '=', runNo).execute();
    return 0;
  }
  await trx.updateTable('campaign_run').set((eb) => ({ enqueued: eb('enqueued', '+', inserted), cursor_customer: last }))
    .where('campaign_id', '=', campaignId).where('run_no', '=', runNo).execute();
  return covered;
}

/** Enqueue a whole run, batch after batch, each in its own transaction. Resumable after a crash at any point. */
export async function sendRun(d: SendDeps, campaignId: string, runNo: number): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await inTransaction(d.db, (trx) => enqueueBatch(trx, d, campaignId, runNo, d.batchSize ?? ENQUEUE_BATCH));
    if (n === 0) return total;
    total += n;
    await d.afterBatch?.(campaignId, runNo, total);
  }
}
