import type { Audience, AudiencePreview, Campaign, CampaignInput, CampaignSettings, CampaignSummary } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Actor, Audit } from '../audit/audit.service.js';
import type { Clock } from '../../platform/clock.js';
import { inTransaction, type Db, type Executor } from '../../platform/db.js';
import { AppError, conflict, forbidden, notFound } from '../../platform/errors.js';
import type { Ids } from '../../platform/ids.js';
import { decodeCursor, encodeCursor } from '../../platform/pagination.js';
import { audienceSelect, consentedChannels, type AudienceOptions } from './audience.js';
import { toCampaign } from './campaigns.mapper.js';
import type { CampaignStatus } from './campaigns.tables.js';
import { sendRun, startRun, type CampaignRow, type SendDeps } from './send.js';
import './campaigns.tables.js';
import '../catalog/catalog.tables.js';
import '../loyalty/loyalty.tables.js';

export interface CampaignDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  log: Logger;
  audit: Audit;
  /** Which offer kinds exist now; coupon and points need the loyalty module. */
  offerKinds: () => ReadonlySet<'addon' | 'coupon' | 'points'>;
  audience?: AudienceOptions;
  afterBatch?: SendDeps['afterBatch'];
}

export interface StaffRef {
  id: string;
  username: string;
}

const EDITABLE: CampaignStatus[] = ['draft'];

/**
 * Campaign lifecycle: draft → pending_approval → approved (by a second
 * staff user) → running → completed, with pause and cancel. Launching only
 * schedules; `runDue` (a poller) materialises and enqueues each run.
 */
export function createCampaigns(d: CampaignDeps) {
  const { db, clock, ids, audit } = d;
  const sendDeps: SendDeps = { db, clock, audience: d.audience ?? {}, ...(d.afterBatch ? { afterBatch: d.afterBatch } : {}) };

  async function row(trx: Executor, id: string, lock = false): Promise<CampaignRow> {
    let q = trx.selectFrom('campaign').selectAll().where('id', '=', id);
    if (lock) q = q.forUpdate();
    const r = await q.executeTakeFirst();
    if (!r) throw notFound('campaign');
    return r;
  }

  /** @throws unprocessable `offer_kind_unavailable` | `addon_unavailable` | `variant_keys`, not_found `addon_not_found` */
  async function validate(trx: Executor, input: CampaignInput): Promise<void> {
    if (!d.offerKinds().has(input.offer.kind)) {
      throw new AppError('unprocessable', 'offer_kind_unavailable', `Offers of kind ${input.offer.kind} need the loyalty module, which is not installed yet`);
    }
    if (input.offer.kind === 'coupon') {
      const r = await trx.selectFrom('reward').select(['kind', 'active']).where('id', '=', input.offer.rewardId).executeTakeFirst();
      if (!r) throw notFound('reward');
      if (r.kind === 'goods' || !r.active) throw new AppError('unprocessable', 'reward_not_a_coupon', 'Pick an active coupon reward (discount, top-up bonus or data pack)');
    }
    if (input.offer.kind === 'addon') {
      const a = await trx.selectFrom('addon').select(['active']).where('id', '=', input.offer.addonId).executeTakeFirst();
      if (!a) throw notFound('addon');
      if (!a.active) throw new AppError('unprocessable', 'addon_unavailable', 'This add-on is no longer on sale');
    }
    const keys = input.variants.map((v) => v.key);
    if (new Set(keys).size !== keys.length) throw new AppError('unprocessable', 'variant_keys', 'Variant keys must be different (A, B, …)');
    // Evaluate once so that a bad rule (e.g. a tier before loyalty exists) is refused now, not at launch.
    await preview(trx, input.audience, ['inapp']);
  }

  const columns = (input: CampaignInput) => ({
    name: input.name, audience: JSON.stringify(input.audience), offer: JSON.stringify(input.offer), variants: JSON.stringify(input.variants),
    channels: input.channels, schedule: JSON.stringify(input.schedule), holdout_pct: input.holdoutPct, attribution_days: input.attributionDays,
  });

  async function preview(trx: Executor, audience: Audience, channels: CampaignInput['channels']): Promise<AudiencePreview> {
    const started = performance.now();
    const r = await sql<{ size: number; reachable: number }>`
      SELECT count(*)::int AS size, count(*) FILTER (WHERE cardinality(${consentedChannels(channels)}) > 0)::int AS reachable
      FROM (${audienceSelect(audience, clock.now(), sendDeps.audience)}) a JOIN customer c ON c.id = a.customer_id
      LEFT JOIN notification_preference np ON np.customer_id = a.customer_id`.execute(trx);
    return { ...r.rows[0]!, ms: Math.round(performance.now() - started) };
  }

  async function transition(actor: Actor, id: string, from: CampaignStatus[], to: CampaignStatus, action: string, extra: (c: CampaignRow) => Record<string, unknown> = () => ({})) {
    return inTransaction(db, async (trx) => {
      const c = await row(trx, id, true);
      if (!from.includes(c.status)) throw conflict('campaign_state', `A ${c.status} campaign cannot be moved to ${to}`, { status: c.status });
      const updated = await trx.updateTable('campaign').set({ status: to, updated_at: clock.now(), ...extra(c) }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await audit.record(trx, actor, { action, resourceType: 'campaign', resourceId: id });
      return toCampaign(updated);
    });
  }

  /** The first time a launched campaign runs, or null for event-triggered ones that wait for events. */
  function firstRunAt(c: CampaignRow, now: Date): Date | null {
    const s = c.schedule;
    if (s.kind === 'trigger') return s.event === 'churn_threshold' ? now : null;
    return s.at ? new Date(s.at) : now;
  }

  /** Run one due campaign (if any): materialise the next run, then enqueue it. Returns 1 if it did work. */
  async function runOneDue(): Promise<number> {
    const now = clock.now();
    const claimed = await inTransaction(db, async (trx) => {
      const c = await trx.selectFrom('campaign').selectAll().where('status', '=', 'running').where('next_run_at', '<=', now)
        .orderBy('next_run_at').limit(1).forUpdate().skipLocked().executeTakeFirst();
      if (!c) return null;
      const s = c.schedule;
      const runNo = c.runs + 1;
      let next: Date | null = null;
      let status: CampaignStatus = 'completed';
      if (s.kind === 'recurring') {
        next = new Date(now.getTime() + s.everyDays * 86_400_000);
        status = s.until && next > new Date(s.until) ? 'completed' : 'running';
        if (status === 'completed') next = null;
      } else if (s.kind === 'trigger') {
        next = new Date(now.getTime() + 60_000);
        status = 'running';
      }
      // Churn trigger: everyone whose latest churn score is now at or above the threshold and who has not had this campaign yet.
      const extra = s.kind === 'trigger' && s.event === 'churn_threshold'
        ? sql<boolean>`c.id IN (SELECT s.customer_id FROM customer_score s WHERE s.model_id = (SELECT m.id FROM model m WHERE m.target = 'churn' ORDER BY m.created_at DESC LIMIT 1) AND s.score >= ${s.threshold}::float8)
            AND c.id NOT IN (SELECT customer_id FROM campaign_recipient WHERE campaign_id = ${c.id}::uuid)`
        : undefined;
      const m = await startRun(trx, sendDeps, c, runNo, extra);
      await trx.updateTable('campaign').set({ runs: runNo, next_run_at: next, status, updated_at: now }).where('id', '=', c.id).execute();
      d.log.info({ campaignId: c.id, runNo, ...m }, 'campaign run materialised');
      return { id: c.id, runNo };
    });
    if (!claimed) return 0;
    await sendRun(sendDeps, claimed.id, claimed.runNo);
    return 1;
  }

  /** Finish runs a crash left half-enqueued. */
  async function resumeSending(): Promise<number> {
    const open = await db.selectFrom('campaign_run').select(['campaign_id', 'run_no']).where('status', '=', 'sending').orderBy('started_at').execute();
    for (const r of open) await sendRun(sendDeps, r.campaign_id, r.run_no);
    return open.length;
  }

  return {
    sendDeps,
    /** Live audience size for the builder. */
    preview: (audience: Audience, channels: CampaignInput['channels']) => preview(db, audience, channels),

    /** @throws see validate */
    async create(actor: Actor, staff: StaffRef, input: CampaignInput): Promise<Campaign> {
      return inTransaction(db, async (trx) => {
        await validate(trx, input);
        const now = clock.now();
        const r = await trx.insertInto('campaign').values({
          id: ids.uuid(), ...columns(input), seed: input.seed ?? Math.floor(Math.random() * 2 ** 31), created_by: staff.id, created_by_name: staff.username,
          approved_by: null, approved_by_name: null, approved_at: null, launched_at: null, next_run_at: null, created_at: now, updated_at: now,
        }).returningAll().executeTakeFirstOrThrow();
        await audit.record(trx, actor, { action: 'campaign.create', resourceType: 'campaign', resourceId: r.id, details: { name: r.name } });
        return toCampaign(r);
      });
    },

    /** @throws conflict `campaign_state` unless a draft */
    async update(actor: Actor, id: string, input: CampaignInput): Promise<Campaign> {
      return inTransaction(db, async (trx) => {
        const c = await row(trx, id, true);
        if (!EDITABLE.includes(c.status)) throw conflict('campaign_state', 'Only a draft can be edited; withdraw it first', { status: c.status });
        await validate(trx, input);
        const r = await trx.updateTable('campaign').set({ ...columns(input), ...(input.seed !== undefined ? { seed: input.seed } : {}), updated_at: clock.now() })
          .where('id', '=', id).returningAll().executeTakeFirstOrThrow();
        await audit.record(trx, actor, { action: 'campaign.update', resourceType: 'campaign', resourceId: id });
        return toCampaign(r);
      });
    },

    async get(id: string): Promise<Campaign> {
      return toCampaign(await row(db, id));
    },

    async list(q: { limit?: number; cursor?: string; status?: CampaignStatus }): Promise<{ items: CampaignSummary[]; nextCursor: string | null }> {
      const limit = q.limit ?? 50;
      let query = db.selectFrom('campaign').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit + 1);
      if (q.status) query = query.where('status', '=', q.status);
      const c = decodeCursor(q.cursor);
      if (c) query = query.where((eb) => eb.or([eb('created_at', '<', c.at), eb.and([eb('created_at', '=', c.at), eb('id', '<', c.id)])]));
      const rows = await query.execute();
      const page = rows.slice(0, limit);
      const totals = page.length
        ? await db.selectFrom('campaign_run').select(['campaign_id']).select((eb) => [eb.fn.sum<number>('audience').as('audience'), eb.fn.sum<number>('enqueued').as('sent')])
          .where('campaign_id', 'in', page.map((r) => r.id)).groupBy('campaign_id').execute()
        : [];
      const last = page.at(-1);
      return {
        items: page.map((r) => {
          const t = totals.find((x) => x.campaign_id === r.id);
          return { id: r.id, name: r.name, status: r.status, offerKind: r.offer.kind, scheduleKind: r.schedule.kind, createdBy: r.created_by_name, audience: Number(t?.audience ?? 0), sent: Number(t?.sent ?? 0), createdAt: r.created_at.toISOString() };
        }),
        nextCursor: rows.length > limit && last ? encodeCursor(last.created_at, last.id) : null,
      };
    },

    /** Ask for approval. */
    submit: (actor: Actor, id: string) => transition(actor, id, ['draft'], 'pending_approval', 'campaign.submit'),
    /** Back to draft for changes. */
    withdraw: (actor: Actor, id: string) => transition(actor, id, ['pending_approval', 'approved'], 'draft', 'campaign.withdraw', () => ({ approved_by: null, approved_by_name: null, approved_at: null })),

    /** @throws forbidden `own_campaign` when the creator tries to approve, conflict `campaign_state` */
    async approve(actor: Actor, staff: StaffRef, id: string): Promise<Campaign> {
      const c = await row(db, id);
      if (c.created_by === staff.id) throw forbidden('own_campaign', 'A campaign must be approved by someone other than its creator');
      return transition(actor, id, ['pending_approval'], 'approved', 'campaign.approve', () => ({ approved_by: staff.id, approved_by_name: staff.username, approved_at: clock.now() }));
    },

    /** Start sending (now, at the scheduled time, or on the trigger). @throws conflict `campaign_state` unless approved */
    launch: (actor: Actor, id: string) => transition(actor, id, ['approved'], 'running', 'campaign.launch', (c) => {
      const now = clock.now();
      return { launched_at: now, next_run_at: firstRunAt(c, now) };
    }),
    pause: (actor: Actor, id: string) => transition(actor, id, ['running'], 'paused', 'campaign.pause'),
    resume: (actor: Actor, id: string) => transition(actor, id, ['paused'], 'running', 'campaign.resume'),
    cancel: (actor: Actor, id: string) => transition(actor, id, ['draft', 'pending_approval', 'approved', 'running', 'paused'], 'cancelled', 'campaign.cancel', () => ({ next_run_at: null })),

    async settings(): Promise<CampaignSettings> {
      const s = await db.selectFrom('campaign_setting').selectAll().where('id', '=', 1).executeTakeFirstOrThrow();
      return { frequencyCap: s.frequency_cap, frequencyDays: s.frequency_days };
    },
    async updateSettings(actor: Actor, s: CampaignSettings): Promise<CampaignSettings> {
      return inTransaction(db, async (trx) => {
        await trx.updateTable('campaign_setting').set({ frequency_cap: s.frequencyCap, frequency_days: s.frequencyDays, updated_at: clock.now() }).where('id', '=', 1).execute();
        await audit.record(trx, actor, { action: 'campaign.settings', resourceType: 'campaign_setting', resourceId: '1', details: { ...s } });
        return s;
      });
    },

    /** Materialise and enqueue every due run (and finish interrupted ones); returns how many it handled. */
    async runDue(): Promise<number> {
      let n = await resumeSending();
      while (await runOneDue()) n++;
      return n;
    },
    row: (id: string) => row(db, id),
  };
}
export type Campaigns = ReturnType<typeof createCampaigns>;
