/**
 * bench:campaign — a campaign over 1,000,000 subscribers on a fresh embedded
 * PostgreSQL: audience evaluation (segment ∧ churn score ∧ plan), the
 * seeded hold-out and A/B split recorded per subscriber, and the time from
 * launch until every treated subscriber's message is in the outbox.
 * Subscribers are generated set-based in SQL (not timed).
 *
 * A second campaign then targets every subscriber (no rules) to show the
 * send at full scale; its figures are printed too (all_* in the JSON).
 *
 * In-run baseline: one plain INSERT … SELECT of the same number of rows
 * into an unindexed copy of the outbox table — the machine's raw set-based
 * write speed right now — and the ratio of the campaign's total to it.
 *
 *   npm run bench:campaign [-- --subscribers 1000000]
 */
import { loadavg } from 'node:os';
import pino from 'pino';
import { sql } from 'kysely';
import { buildServices } from '../server/src/services.js';
import { systemClock } from '../server/src/platform/clock.js';
import { loadConfig } from '../server/src/platform/config.js';
import { createDb, createPool } from '../server/src/platform/db.js';
import { cryptoIds } from '../server/src/platform/ids.js';
import { migrate } from '../server/src/platform/migrate.js';
import { generateSubscribers } from '../server/src/modules/campaigns/synthetic.js';
import { arg, benchDatabase, printFigures } from './lib.js';

const N = arg('subscribers', 1_000_000);
const secs = (ms: number) => Math.round(ms / 10) / 100;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

async function main() {
  console.log(`bench:campaign — ${N.toLocaleString()} subscribers; load average ${load()}`);
  const bench = await benchDatabase();
  const url = bench.pg.url('postgres');
  const pool = createPool(url, 10);
  try {
    await migrate(pool);
    const config = loadConfig({ NODE_ENV: 'production', DATABASE_URL: url, TELEHALL_JWT_SECRET: cryptoIds.token(32), TELEHALL_SANDBOX_PAY_SECRET: cryptoIds.token(32), LOG_LEVEL: 'warn', DATA_DIR: bench.dir });
    const s = buildServices({ config, db: createDb(pool), pool, clock: systemClock, ids: cryptoIds, log: pino({ level: 'warn' }), jwtSecret: config.jwtSecret! });
    const actor = { kind: 'system' as const, id: null, name: 'bench', ip: '', userAgent: '' };
    const plan = (code: string, fee: number) => s.catalog.createPlan(actor, { code, nameZh: code, nameEn: code, tier: 1, monthlyFeeFen: fee, dataBytes: 10 * 1024 ** 3, voiceSeconds: 6000, smsCount: 100, dataFenPerGb: 500, voiceFenPerMin: 15, smsFenEach: 10, contractMonths: 0 });
    const plans = [await plan('bench39', 3900), await plan('bench59', 5900), await plan('bench99', 9900)];
    const addon = await s.catalog.createAddon(actor, { code: 'bench_5gb', nameZh: '5GB流量包', nameEn: '5 GB data pack', kind: 'data', quantity: 5 * 1024 ** 3, validityDays: 30, priceFen: 2000 });

    let t = performance.now();
    const synth = await generateSubscribers(s.db, { count: N, planIds: plans.map((p) => p.id), phonePrefix: '150', at: new Date() });
    await sql`ANALYZE`.execute(s.db);
    console.log(`setup: ${N.toLocaleString()} customers, lines, segments and churn scores in ${secs(performance.now() - t)} s`);

    // Baseline: the same number of outbox-shaped rows, written by one plain INSERT … SELECT.
    await sql`CREATE UNLOGGED TABLE IF NOT EXISTS bench_baseline (LIKE outbox INCLUDING DEFAULTS)`.execute(s.db);
    t = performance.now();
    await sql`INSERT INTO bench_baseline (id, topic, key, payload, created_at) OVERRIDING SYSTEM VALUE
      SELECT row_number() OVER (), 'baseline', c.id::text, jsonb_build_object('customerId', c.id), now() FROM customer c`.execute(s.db);
    const baseline = performance.now() - t;
    console.log(`baseline: INSERT … SELECT of ${N.toLocaleString()} outbox-shaped rows (unlogged, unindexed) in ${secs(baseline)} s`);

    const audience = { combine: 'and' as const, rules: [
      { kind: 'segment' as const, segmentationId: synth.segmentationId, segments: [0, 1, 2] },
      { kind: 'score' as const, target: 'churn' as const, min: 0.1 },
      { kind: 'plan' as const, planCodes: ['bench39', 'bench59'] },
    ] };
    t = performance.now();
    const preview = await s.campaigns.preview(audience, ['inapp', 'push']);
    const previewMs = performance.now() - t;
    console.log(`audience preview (live count in the builder): ${preview.size.toLocaleString()} subscribers, ${preview.reachable.toLocaleString()} reachable, ${secs(previewMs)} s`);

    const creator = { id: cryptoIds.uuid(), username: 'bench-marketer' };
    const approver = { id: cryptoIds.uuid(), username: 'bench-analyst' };
    const variant = (key: string, weight: number) => ({ key, weight, titleZh: '{{name}}，流量包优惠', titleEn: 'Data pack deal', bodyZh: '{{offer}}仅需{{price}}', bodyEn: '{{offer}} for {{price}}' });
    const c = await s.campaigns.create(actor, creator, {
      name: 'bench', audience, offer: { kind: 'addon', addonId: addon.id, discountPct: 30 }, variants: [variant('A', 1), variant('B', 1)],
      channels: ['inapp', 'push'], schedule: { kind: 'once' }, holdoutPct: 10, seed: 1, attributionDays: 14,
    });
    await s.campaigns.submit(actor, c.id);
    await s.campaigns.approve(actor, approver, c.id);
    await s.campaigns.launch(actor, c.id);
    const launched = performance.now();
    await s.campaigns.runDue();
    const total = performance.now() - launched;
    const run = await s.db.selectFrom('campaign_run').selectAll().where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    const inOutbox = (await sql<{ n: number }>`SELECT count(*)::int AS n FROM outbox WHERE topic = 'campaign.offer'`.execute(s.db)).rows[0]!.n;
    if (run.status !== 'done' || inOutbox !== run.treated || run.enqueued !== run.treated) throw new Error(`incomplete send: ${JSON.stringify({ run, inOutbox })}`);
    const audienceMs = run.materialised_ms;
    const enqueueMs = total - audienceMs;
    console.log(`launch → materialised ${run.audience.toLocaleString()} recipients (${run.treated.toLocaleString()} treated, ${run.control.toLocaleString()} hold-out, ${run.suppressed.toLocaleString()} no consent/capped) in ${secs(audienceMs)} s`);
    console.log(`enqueue: ${inOutbox.toLocaleString()} messages in the outbox in ${secs(enqueueMs)} s (batches of 50,000, one transaction each)`);
    console.log(`total launch → all in outbox: ${secs(total)} s (target ≤ 60 s); ${(total / baseline).toFixed(2)}× the baseline; load average ${load()}`);

    // Everyone: no rules, the same channels and hold-out.
    const all = await s.campaigns.create(actor, creator, {
      name: 'bench-all', audience: { combine: 'and', rules: [] }, offer: { kind: 'addon', addonId: addon.id, discountPct: 30 }, variants: [variant('A', 1)],
      channels: ['inapp', 'push'], schedule: { kind: 'once' }, holdoutPct: 10, seed: 2, attributionDays: 14,
    });
    await s.campaigns.submit(actor, all.id);
    await s.campaigns.approve(actor, approver, all.id);
    await s.campaigns.launch(actor, all.id);
    const t2 = performance.now();
    await s.campaigns.runDue();
    const allTotal = performance.now() - t2;
    const allRun = await s.db.selectFrom('campaign_run').selectAll().where('campaign_id', '=', all.id).executeTakeFirstOrThrow();
    if (allRun.status !== 'done' || allRun.enqueued !== allRun.treated) throw new Error(`incomplete send: ${JSON.stringify(allRun)}`);
    console.log(`everyone: ${allRun.audience.toLocaleString()} recipients materialised in ${secs(allRun.materialised_ms)} s, ${allRun.enqueued.toLocaleString()} messages in the outbox ${secs(allTotal - allRun.materialised_ms)} s later; total ${secs(allTotal)} s (${(allTotal / baseline).toFixed(2)}× the baseline); load average ${load()}`);
    printFigures({
      audience_s: secs(audienceMs), enqueue_s: secs(enqueueMs), total_s: secs(total), messages: inOutbox, subscribers: N, preview_s: secs(previewMs), baseline_s: secs(baseline), ratio: Math.round((total / baseline) * 100) / 100,
      all_audience_s: secs(allRun.materialised_ms), all_enqueue_s: secs(allTotal - allRun.materialised_ms), all_total_s: secs(allTotal), all_messages: allRun.enqueued, load1: Number(loadavg()[0]!.toFixed(2)),
    });
  } finally {
    await pool.end();
    await bench.dispose();
  }
}

await main();
