import type { Offer, Variant } from '@telehall/contracts';
import type { Executor } from '../../platform/db.js';
import type { TemplateDef } from '../notifications/templates.js';
import { yuan } from '../notifications/alerts.js';
import { discountOf, discounted, fill } from './campaigns.mapper.js';
import './campaigns.tables.js';
import '../catalog/catalog.tables.js';
import '../lines/lines.tables.js';
import '../customers/customers.tables.js';

interface Content {
  offer: Offer;
  variants: Variant[];
  addon: { nameZh: string; nameEn: string; priceFen: number } | null;
}

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** A launched campaign's text and offer never change, so one read per campaign per process is enough. */
export function createOfferContent() {
  const cache = new Map<string, Content>();
  return async function content(trx: Executor, campaignId: string): Promise<Content | undefined> {
    const hit = cache.get(campaignId);
    if (hit) return hit;
    const c = await trx.selectFrom('campaign').select(['offer', 'variants', 'status']).where('id', '=', campaignId).executeTakeFirst();
    if (!c) return undefined;
    const a = c.offer.kind === 'addon' ? await trx.selectFrom('addon').select(['name_zh', 'name_en', 'price_fen']).where('id', '=', c.offer.addonId).executeTakeFirst() : undefined;
    const v: Content = { offer: c.offer, variants: c.variants, addon: a ? { nameZh: a.name_zh, nameEn: a.name_en, priceFen: a.price_fen } : null };
    if (c.status !== 'draft') cache.set(campaignId, v);
    return v;
  };
}
export type OfferContent = ReturnType<typeof createOfferContent>;

/** The variables a campaign message can use, for one recipient and language. */
export function offerVars(ct: Content, variant: Variant | undefined, zh: boolean, name: string, msisdn: string): Record<string, string> {
  const o = ct.offer;
  let offer: string;
  let price = '';
  if (o.kind === 'addon' && ct.addon) {
    offer = zh ? ct.addon.nameZh : ct.addon.nameEn;
    price = yuan(discounted(ct.addon.priceFen, discountOf(o, variant)));
  } else if (o.kind === 'points') {
    offer = zh ? `${o.points}积分` : `${o.points} points`;
  } else {
    offer = zh ? '优惠券' : 'a coupon';
  }
  return { name, msisdn, tail: msisdn.slice(-4), offer, price };
}

/**
 * Template for the `campaign.offer` topic: the outbox row carries only ids
 * (customer, campaign, variant, line); `enrich` loads the variant's text and
 * fills its variables; SMS uses the variant's short text when it has one.
 */
export function campaignOfferTemplate(content: OfferContent): TemplateDef {
  return {
    category: 'marketing',
    variables: ['customerId', 'campaignId', 'variant', 'lineId', 'channels'],
    async enrich(trx, p, locale) {
      const ct = await content(trx, str(p.campaignId));
      if (!ct) return {};
      const variant = ct.variants.find((v) => v.key === p.variant) ?? ct.variants[0];
      const line = await trx.selectFrom('line').innerJoin('customer', 'customer.id', 'line.customer_id').select(['line.msisdn', 'customer.name'])
        .where('line.id', '=', str(p.lineId)).executeTakeFirst();
      const zh = locale === 'zh-CN';
      const vars = offerVars(ct, variant, zh, line?.name ?? '', line?.msisdn ?? '');
      return {
        msisdn: line?.msisdn,
        title: fill(zh ? variant?.titleZh ?? '' : variant?.titleEn ?? '', vars),
        body: fill(zh ? variant?.bodyZh ?? '' : variant?.bodyEn ?? '', vars),
        sms: fill((zh ? variant?.smsZh ?? variant?.bodyZh : variant?.smsEn ?? variant?.bodyEn) ?? '', vars),
      };
    },
    render: (p, _l, channel) => ({
      template: 'campaign.offer',
      title: str(p.title),
      body: channel === 'sms' ? str(p.sms) : str(p.body),
      url: '/offers',
    }),
  };
}
