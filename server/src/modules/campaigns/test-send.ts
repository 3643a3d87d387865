import type { TestSendRequest, TestSendResult } from '@telehall/contracts';
import type { Actor, Audit } from '../audit/audit.service.js';
import { inTransaction, type Db } from '../../platform/db.js';
import { notFound } from '../../platform/errors.js';
import type { Messages } from '../notifications/messages.service.js';
import { fill } from './campaigns.mapper.js';
import { offerVars, type OfferContent } from './offer-template.js';
import './campaigns.tables.js';

/**
 * Send every variant of a campaign, in both languages, to a staff member's
 * phone before approval, with sample variables, through the SMS channel (it
 * lands in the message log like any SMS). Works in any state.
 * @throws not_found `campaign_not_found`
 */
export async function testSend(d: { db: Db; audit: Audit; messages: Messages; content: OfferContent }, actor: Actor, campaignId: string, req: TestSendRequest): Promise<TestSendResult> {
  return inTransaction(d.db, async (trx) => {
    const ct = await d.content(trx, campaignId);
    if (!ct) throw notFound('campaign');
    const out: TestSendResult['messages'] = [];
    for (const v of ct.variants) {
      for (const locale of ['zh-CN', 'en'] as const) {
        const zh = locale === 'zh-CN';
        const vars = offerVars(ct, v, zh, zh ? '测试用户' : 'Test user', req.phone);
        const title = fill(zh ? v.titleZh : v.titleEn, vars);
        const body = fill((zh ? v.smsZh ?? v.bodyZh : v.smsEn ?? v.bodyEn), vars);
        await d.messages.sendSms(trx, { phone: req.phone, customerId: null, category: 'marketing', template: 'campaign.test', locale, body: `[TEST ${v.key}] ${title}: ${body}` });
        out.push({ channel: 'sms', recipient: req.phone, locale, variant: v.key, title, body });
      }
    }
    await d.audit.record(trx, actor, { action: 'campaign.test_send', resourceType: 'campaign', resourceId: campaignId, details: { messages: out.length } });
    return { sent: out.length, messages: out };
  });
}
