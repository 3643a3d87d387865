import { unitOf, type Addon, type Money, type Plan } from '@telehall/contracts';
import type { Selectable } from 'kysely';
import type { Tariff } from '../charging/tariff.js';
import type { AddonTable, PlanTable } from './catalog.tables.js';

export const cny = (amount: number): Money => ({ amount, currency: 'CNY' });

export type PlanRow = Selectable<PlanTable>;
export type AddonRow = Selectable<AddonTable>;

export const toPlan = (r: PlanRow): Plan => ({
  id: r.id,
  code: r.code,
  version: r.version,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  tier: r.tier,
  monthlyFee: cny(r.monthly_fee_fen),
  dataBytes: r.data_bytes,
  voiceSeconds: r.voice_seconds,
  smsCount: r.sms_count,
  overage: { dataPerGb: cny(r.data_fen_per_gb), voicePerMinute: cny(r.voice_fen_per_min), smsEach: cny(r.sms_fen_each) },
  contractMonths: r.contract_months,
  active: r.active,
});

export const toAddon = (r: AddonRow): Addon => ({
  id: r.id,
  code: r.code,
  version: r.version,
  nameZh: r.name_zh,
  nameEn: r.name_en,
  kind: r.kind,
  quantity: r.quantity,
  unit: unitOf(r.kind),
  validityDays: r.validity_days,
  price: cny(r.price_fen),
  active: r.active,
});

export const tariffOf = (p: Pick<PlanRow, 'data_fen_per_gb' | 'voice_fen_per_min' | 'sms_fen_each'>): Tariff => ({
  dataFenPerGb: p.data_fen_per_gb,
  voiceFenPerMin: p.voice_fen_per_min,
  smsFenEach: p.sms_fen_each,
});
