import type { AddonInput, PlanInput } from '@telehall/contracts';
import type { Actor } from '../modules/audit/audit.service.js';
import type { Services } from '../services.js';

const GB = 1024 ** 3;
const MIN = 60;

/** A realistic mainland catalog: monthly plans from ¥19 to ¥128 and add-on packs. */
export const DEMO_PLANS: PlanInput[] = [
  { code: 'basic19', nameZh: '19元畅享套餐', nameEn: '¥19 Basic', tier: 1, monthlyFeeFen: 1900, dataBytes: 5 * GB, voiceSeconds: 100 * MIN, smsCount: 50, dataFenPerGb: 300, voiceFenPerMin: 15, smsFenEach: 10, contractMonths: 0 },
  { code: 'smart39', nameZh: '39元智享套餐', nameEn: '¥39 Smart', tier: 1, monthlyFeeFen: 3900, dataBytes: 20 * GB, voiceSeconds: 200 * MIN, smsCount: 100, dataFenPerGb: 300, voiceFenPerMin: 15, smsFenEach: 10, contractMonths: 0 },
  { code: 'smart58', nameZh: '58元智享套餐', nameEn: '¥58 Smart', tier: 2, monthlyFeeFen: 5800, dataBytes: 40 * GB, voiceSeconds: 300 * MIN, smsCount: 100, dataFenPerGb: 300, voiceFenPerMin: 15, smsFenEach: 10, contractMonths: 0 },
  { code: 'plus88', nameZh: '88元尊享套餐', nameEn: '¥88 Plus', tier: 3, monthlyFeeFen: 8800, dataBytes: 80 * GB, voiceSeconds: 500 * MIN, smsCount: 200, dataFenPerGb: 300, voiceFenPerMin: 10, smsFenEach: 10, contractMonths: 12 },
  { code: 'max128', nameZh: '128元至尊套餐', nameEn: '¥128 Max', tier: 4, monthlyFeeFen: 12800, dataBytes: 150 * GB, voiceSeconds: 1000 * MIN, smsCount: 300, dataFenPerGb: 300, voiceFenPerMin: 10, smsFenEach: 10, contractMonths: 12 },
];

export const DEMO_ADDONS: AddonInput[] = [
  { code: 'data1g', nameZh: '1GB流量包', nameEn: '1 GB data pack', kind: 'data', quantity: GB, validityDays: 30, priceFen: 1000 },
  { code: 'data5g', nameZh: '5GB流量包', nameEn: '5 GB data pack', kind: 'data', quantity: 5 * GB, validityDays: 30, priceFen: 3000 },
  { code: 'data10g', nameZh: '10GB流量包', nameEn: '10 GB data pack', kind: 'data', quantity: 10 * GB, validityDays: 30, priceFen: 5000 },
  { code: 'data2g7d', nameZh: '2GB七日包', nameEn: '2 GB 7-day pack', kind: 'data', quantity: 2 * GB, validityDays: 7, priceFen: 800 },
  { code: 'voice100', nameZh: '100分钟语音包', nameEn: '100-minute voice pack', kind: 'voice', quantity: 100 * MIN, validityDays: 30, priceFen: 1000 },
];

/** Create the demo catalog where its codes are missing; returns plan ids by code. */
export async function seedCatalog(s: Services, actor: Actor): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const p of DEMO_PLANS) {
    const existing = await s.catalog.planByCode(s.db, p.code);
    ids.set(p.code, existing?.id ?? (await s.catalog.createPlan(actor, p)).id);
  }
  const addons = new Set((await s.catalog.addons({ includeInactive: true })).map((a) => a.code));
  for (const a of DEMO_ADDONS) if (!addons.has(a.code)) await s.catalog.createAddon(actor, a);
  return ids;
}
