import type { MyOffer, OfferTakeResult, Variant } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { type Db, type Executor } from '../platform/db.js';
import { AppError, conflict, notFound } from '../platform/errors.js';
import type { Ids } from '../platform/ids.js';
import { idempotent } from '../platform/idempotency.js';
import { enqueue } from '../platform/outbox.js';
import type { Actor, Audit } from '../modules/audit/audit.service.js';
import type { Ledger } from '../modules/ledger/ledger.service.js';
import { discountOf, discounted, fill } from '../modules/campaigns/campaigns.mapper.js';
import { offerVars } from '../modules/campaigns/offer-template.js';
import { buyAddon } from './buy-addon.js';
import '../modules/campaigns/campaigns.tables.js';

/** What the loyalty module exports for campaigns (issue 5); absent until it is installed. */
export interface LoyaltySeams {
  grantPoints(trx: Executor, input: { lineId: string; points: number; reason: string; source: { kind: string; id: string } }): Promise<unknown>;
  issueCoupon(trx: Executor, input: { lineId: string; rewardId: string; source: { kind: string; id: string } }): Promise<{ couponId: string }>;
}

export interface OfferDeps {
  db: Db;
  clock: Clock;
  ids: Ids;
  ledger: Ledger;
  audit: Audit;
  loyalty?: LoyaltySeams | undefined;
}

interface Eligible {
  campaign_id: string;
  run_no: number;
  line_id: string;
  variant: string;
  assigned_at: Date;
  clicked_at: Date | null;
  attribution_days: number;
  offer: import('@telehall/contracts').Offer;
  variants: Variant[];
  msisdn: string;
  name: string;
  locale: string;
  taken: boolean;
}

/**
 * The subscriber's side of a campaign: the offers they were sent (treated
 * and enqueued, campaign not cancelled, inside the attribution window) and
 * taking one in one tap through the normal purchase and ledger flows.
 */
export function createCampaignOffers(d: OfferDeps) {
  const { db, clock } = d;

  function eligible(trx: Executor, customerId: string, now: Date) {
    return sql<Eligible>`
      SELECT r.campaign_id, r.run_no, r.line_id, r.variant, r.assigned_at, r.clicked_at, c.attribution_days, c.offer, c.variants, l.msisdn, cu.name, cu.locale,
        EXISTS (SELECT 1 FROM campaign_take t WHERE t.campaign_id = r.campaign_id AND t.run_no = r.run_no AND t.customer_id = r.customer_id) AS taken
      FROM campaign_recipient r JOIN campaign c ON c.id = r.campaign_id JOIN outbox o ON o.id = r.outbox_id
      JOIN line l ON l.id = r.line_id JOIN customer cu ON cu.id = r.customer_id
      WHERE r.customer_id = ${customerId}::uuid AND r.arm = 'treatment' AND c.status IN ('running', 'completed', 'paused')
        AND r.assigned_at + make_interval(days => c.attribution_days) > ${now}
      ORDER BY r.assigned_at DESC`.execute(trx);
  }

  async function view(trx: Executor, e: Eligible): Promise<MyOffer> {
    const zh = e.locale === 'zh-CN';
    const variant = e.variants.find((v) => v.key === e.variant) ?? e.variants[0];
    const o = e.offer;
    let addon: { name_zh: string; name_en: string; price_fen: number; id: string } | undefined;
    if (o.kind === 'addon') addon = await trx.selectFrom('addon').select(['id', 'name_zh', 'name_en', 'price_fen']).where('id', '=', o.addonId).executeTakeFirst();
    const ct = { offer: o, variants: e.variants, addon: addon ? { nameZh: addon.name_zh, nameEn: addon.name_en, priceFen: addon.price_fen } : null };
    const vars = offerVars(ct, variant, zh, e.name, e.msisdn);
    return {
      campaignId: e.campaign_id, runNo: e.run_no, kind: o.kind, lineId: e.line_id, msisdn: e.msisdn,
      title: fill(zh ? variant?.titleZh ?? '' : variant?.titleEn ?? '', vars), body: fill(zh ? variant?.bodyZh ?? '' : variant?.bodyEn ?? '', vars),
      addonId: addon?.id ?? null,
      price: addon ? { amount: discounted(addon.price_fen, discountOf(o, variant)), currency: 'CNY' } : null,
      listPrice: addon ? { amount: addon.price_fen, currency: 'CNY' } : null,
      points: o.kind === 'points' ? o.points : null,
      expiresAt: new Date(e.assigned_at.getTime() + e.attribution_days * 86_400_000).toISOString(),
      taken: e.taken,
    };
  }

  async function take(trx: Executor, customerId: string, campaignId: string): Promise<OfferTakeResult> {
    const now = clock.now();
    const all = (await eligible(trx, customerId, now)).rows.filter((e) => e.campaign_id === campaignId);
    const e = all.find((x) => !x.taken);
    if (!e) {
      if (all.length) throw conflict('offer_already_taken', 'You have already taken this offer');
      throw notFound('offer');
    }
    // Lock the recipient so two taps racing cannot both pass.
    await trx.selectFrom('campaign_recipient').select('customer_id').where('campaign_id', '=', campaignId).where('run_no', '=', e.run_no)
      .where('customer_id', '=', customerId).forUpdate().execute();
    const variant = e.variants.find((v) => v.key === e.variant) ?? e.variants[0];
    const o = e.offer;
    let reference: string;
    let price = 0;
    const source = { kind: 'campaign', id: `${campaignId}:${e.run_no}` };
    if (o.kind === 'addon') {
      const list = await trx.selectFrom('addon').select('price_fen').where('id', '=', o.addonId).executeTakeFirstOrThrow();
      price = discounted(list.price_fen, discountOf(o, variant));
      // The subscriber takes the offer: the add-on order is theirs (self-service).
      const actor: Actor = { kind: 'subscriber', id: customerId, name: customerId, ip: '', userAgent: '' };
      const order = await buyAddon(trx, d, actor, { customerId, lineId: e.line_id, addonId: o.addonId, priceFen: price, memo: `campaign ${campaignId}` });
      reference = order.id;
    } else if (!d.loyalty) {
      throw new AppError('unprocessable', 'offer_kind_unavailable', 'Coupon and points offers need the loyalty module');
    } else if (o.kind === 'coupon') {
      reference = (await d.loyalty.issueCoupon(trx, { lineId: e.line_id, rewardId: o.rewardId, source })).couponId;
    } else {
      await d.loyalty.grantPoints(trx, { lineId: e.line_id, points: o.points, reason: 'campaign', source });
      reference = `points:${campaignId}:${e.run_no}`;
    }
    const inserted = await trx.insertInto('campaign_take').values({ campaign_id: campaignId, run_no: e.run_no, customer_id: customerId, line_id: e.line_id, kind: o.kind, reference, price_fen: price, taken_at: now })
      .onConflict((oc) => oc.doNothing()).returning('taken_at').executeTakeFirst();
    if (!inserted) throw conflict('offer_already_taken', 'You have already taken this offer');
    await enqueue(trx, clock, 'campaign.offer.taken', customerId, { customerId, campaignId, runNo: e.run_no, kind: o.kind, reference, priceFen: price });
    return { campaignId, kind: o.kind, reference, price: { amount: price, currency: 'CNY' }, takenAt: now.toISOString() };
  }

  return {
    async list(customerId: string): Promise<MyOffer[]> {
      const rows = (await eligible(db, customerId, clock.now())).rows;
      const seen = new Set<string>();
      const out: MyOffer[] = [];
      for (const e of rows) {
        if (seen.has(e.campaign_id)) continue;
        seen.add(e.campaign_id);
        out.push(await view(db, e));
      }
      return out;
    },
    /** The subscriber opened the offer (the report's "clicked"). */
    async open(customerId: string, campaignId: string): Promise<void> {
      await db.updateTable('campaign_recipient').set({ clicked_at: clock.now() }).where('customer_id', '=', customerId).where('campaign_id', '=', campaignId)
        .where('arm', '=', 'treatment').where('clicked_at', 'is', null).execute();
    },
    /**
     * Take an offer in one tap; idempotent by Idempotency-Key, and a second take without one is a conflict.
     * @throws not_found `offer_not_found`, conflict `offer_already_taken`, unprocessable `offer_kind_unavailable` | `addon_unavailable` | `line_suspended`, insufficient_funds
     */
    take: (customerId: string, campaignId: string, key?: string) =>
      idempotent(db, clock, { scope: `offer:${customerId}`, key, body: { campaignId } }, 201, (trx) => take(trx, customerId, campaignId)),
  };
}
export type CampaignOffers = ReturnType<typeof createCampaignOffers>;
