import type { CampaignInput } from '@telehall/contracts';
import { sql } from 'kysely';
import type { Services } from '../services.js';
import { seededHash } from '../modules/campaigns/audience.js';

type Actor = Parameters<Services['campaigns']['create']>[0];

/**
 * Demo campaigns: one sent (a data-pack offer with a 30% hold-out and two
 * variants) whose report has real conversions — some treated subscribers
 * took the offer, some hold-out subscribers bought the pack at list price —
 * and one draft (a churn-triggered bonus-points offer) awaiting the builder.
 * The demo subscribers' own offers are left untaken, so the app shows them.
 */
export async function seedDemoCampaigns(s: Services, actor: Actor, demoPhones: readonly string[]): Promise<void> {
  const staff = await s.db.selectFrom('staff_user').select(['id', 'username']).where('username', 'in', ['marketer', 'analyst']).execute();
  const marketer = staff.find((u) => u.username === 'marketer');
  const analyst = staff.find((u) => u.username === 'analyst');
  const pack = (await s.catalog.addons()).find((a) => a.code === 'data1g');
  if (!marketer || !analyst || !pack) return;
  // A seed that puts the demo subscribers in the treated group, so signing in as one shows the offer card.
  let seed = 2026;
  for (; seed < 2200; seed++) {
    const r = await sql<{ ok: boolean }>`SELECT bool_and(${seededHash(seed, 'holdout', 10_000)} >= 3000) AS ok FROM customer c WHERE c.phone = ANY(${demoPhones}::text[])`.execute(s.db);
    if (r.rows[0]?.ok) break;
  }
  const variant = (key: string, titleZh: string, titleEn: string) => ({
    key, weight: 1, titleZh, titleEn, bodyZh: '{{name}}您好，{{offer}}限时仅需{{price}}，一键领取，30天有效。', bodyEn: 'Hi {{name}}, {{offer}} for only {{price}}: one tap, valid 30 days.',
  });
  const sent: CampaignInput = {
    name: '1GB流量包六折 · Data pack 40% off', audience: { combine: 'and', rules: [{ kind: 'plan', planCodes: ['basic19', 'smart39', 'smart58', 'plus88', 'max128'] }] },
    offer: { kind: 'addon', addonId: pack.id, discountPct: 40 }, variants: [variant('A', '流量不够用？', 'Running low on data?'), variant('B', '专属流量优惠', 'A data deal for you')],
    channels: ['inapp', 'push'], schedule: { kind: 'once' }, holdoutPct: 30, seed, attributionDays: 14,
  };
  const c = await s.campaigns.create(actor, marketer, sent);
  await s.campaigns.submit(actor, c.id);
  await s.campaigns.approve(actor, analyst, c.id);
  await s.campaigns.launch(actor, c.id);
  await s.campaigns.runDue();
  await s.dispatcher.drain();
  const recipients = (await sql<{ customer_id: string; line_id: string; arm: string; phone: string | null }>`
    SELECT r.customer_id, r.line_id, r.arm, c.phone FROM campaign_recipient r JOIN customer c ON c.id = r.customer_id
    WHERE r.campaign_id = ${c.id}::uuid ORDER BY r.customer_id`.execute(s.db)).rows.filter((r) => !demoPhones.includes(r.phone ?? ''));
  const seen = { treatment: 0, control: 0, suppressed: 0 } as Record<string, number>;
  for (const r of recipients) {
    const k = (seen[r.arm] = (seen[r.arm] ?? 0) + 1);
    try {
      if (r.arm === 'treatment' && k % 2 === 0) {
        await s.campaignOffers.open(r.customer_id, c.id);
        await s.campaignOffers.take(r.customer_id, c.id);
      } else if (r.arm === 'treatment' && k % 3 === 0) {
        await s.campaignOffers.open(r.customer_id, c.id);
      } else if (r.arm === 'control' && k % 4 === 0) {
        await s.charging.buyAddon({ kind: 'subscriber', id: r.customer_id, name: 'demo', ip: '', userAgent: '' }, { customerId: r.customer_id, lineId: r.line_id, addonId: pack.id });
      }
    } catch {
      // A line without enough balance simply does not convert.
    }
  }
  await s.campaigns.create(actor, marketer, {
    name: '流失预警挽留 · Churn-risk retention', audience: { combine: 'and', rules: [{ kind: 'score', target: 'churn', min: 0.6 }] },
    offer: { kind: 'points', points: 500 }, variants: [{ key: 'A', weight: 1, titleZh: '感谢一路相伴', titleEn: 'Thanks for staying with us', bodyZh: '{{name}}，送您{{offer}}，可兑换话费券。', bodyEn: '{{name}}, here are {{offer}} to spend on vouchers.' }],
    channels: ['inapp', 'sms'], schedule: { kind: 'trigger', event: 'churn_threshold', threshold: 0.6 }, holdoutPct: 20, seed: 7, attributionDays: 30,
  });
}
