/**
 * The customer feature set: every feature's name, type, missing-value rule
 * and how to talk about it (labels for the console, words for segment names,
 * formats for decision-path reasons). The SQL that computes them lives in
 * flows/customer-features.ts, one query per group; adding a feature (tickets,
 * top-ups, points, category, channel …) is one entry here plus one group there.
 */
import { cycleOf } from '../lines/cycle.js';
import type { FeatureFormat } from './cart.explain.js';
import type { ColumnSpec, MissingRule } from './preprocess.js';

/** Bump when the set or a definition changes; stored with each snapshot. */
export const FEATURE_SET = 2;

type Words = { zh: string; en: string };

export interface FeatureDef {
  name: string;
  kind: 'numeric' | 'categorical';
  missing: MissingRule;
  label: Words;
  /** Words for a segment whose centroid is well above / below average. */
  high?: Words;
  low?: Words;
  /** How a reason prints the value. */
  format?: FeatureFormat;
  /** Used for segmentation by default (counts of rare events are noisy there). */
  segment?: boolean;
}

const yuan: FeatureFormat = { format: (v) => `¥${(v / 100).toFixed(2)}` };
const pct: FeatureFormat = { format: (v) => `${Math.round(v * 100)}%` };
const median: MissingRule = { rule: 'median' };
const zero: MissingRule = { rule: 'default', value: 0 };

export const FEATURES: readonly FeatureDef[] = [
  { name: 'tenure_days', kind: 'numeric', missing: { rule: 'reject' }, label: { zh: '在网天数', en: 'tenure (days)' }, high: { zh: '老用户', en: 'long-tenure' }, low: { zh: '新用户', en: 'new' }, format: { integer: true }, segment: true },
  { name: 'lines', kind: 'numeric', missing: { rule: 'default', value: 1 }, label: { zh: '号码数', en: 'lines' }, high: { zh: '多号码', en: 'multi-line' }, format: { integer: true } },
  { name: 'plan_fee_fen', kind: 'numeric', missing: median, label: { zh: '套餐月费', en: 'plan fee' }, high: { zh: '高套餐', en: 'premium plan' }, low: { zh: '低套餐', en: 'budget plan' }, format: yuan, segment: true },
  { name: 'arpu_fen', kind: 'numeric', missing: median, label: { zh: 'ARPU(近3期)', en: 'ARPU (last 3 cycles)' }, high: { zh: '高消费', en: 'high spend' }, low: { zh: '低消费', en: 'low spend' }, format: yuan, segment: true },
  { name: 'data_mb', kind: 'numeric', missing: median, label: { zh: '每期流量(MB)', en: 'data per cycle (MB)' }, high: { zh: '重度流量', en: 'heavy data' }, low: { zh: '轻度流量', en: 'light data' }, segment: true },
  { name: 'voice_min', kind: 'numeric', missing: median, label: { zh: '每期通话(分钟)', en: 'voice per cycle (min)' }, high: { zh: '通话多', en: 'talkative' }, low: { zh: '通话少', en: 'few calls' }, segment: true },
  { name: 'sms', kind: 'numeric', missing: median, label: { zh: '每期短信', en: 'SMS per cycle' }, high: { zh: '短信多', en: 'texters' }, segment: true },
  { name: 'data_trend', kind: 'numeric', missing: zero, label: { zh: '流量趋势', en: 'data trend' }, high: { zh: '流量上升', en: 'data rising' }, low: { zh: '流量下降', en: 'data falling' }, format: pct, segment: true },
  { name: 'voice_trend', kind: 'numeric', missing: zero, label: { zh: '通话趋势', en: 'voice trend' }, high: { zh: '通话上升', en: 'voice rising' }, low: { zh: '通话下降', en: 'voice falling' }, format: pct },
  { name: 'sms_trend', kind: 'numeric', missing: zero, label: { zh: '短信趋势', en: 'SMS trend' }, format: pct },
  { name: 'overage_share', kind: 'numeric', missing: zero, label: { zh: '超套占比', en: 'overage share' }, high: { zh: '常超套', en: 'over allowance' }, format: pct, segment: true },
  { name: 'addon_count', kind: 'numeric', missing: zero, label: { zh: '加油包次数', en: 'add-ons bought' }, high: { zh: '爱买加油包', en: 'add-on buyers' }, format: { integer: true }, segment: true },
  { name: 'addon_fen', kind: 'numeric', missing: zero, label: { zh: '加油包金额', en: 'add-on spend' }, format: yuan },
  { name: 'plan_up', kind: 'numeric', missing: zero, label: { zh: '升档次数', en: 'plan upgrades' }, high: { zh: '升档', en: 'upgraders' }, format: { integer: true } },
  { name: 'plan_down', kind: 'numeric', missing: zero, label: { zh: '降档次数', en: 'plan downgrades' }, high: { zh: '降档', en: 'downgraders' }, format: { integer: true } },
  { name: 'suspended_days', kind: 'numeric', missing: zero, label: { zh: '停机天数', en: 'days suspended' }, high: { zh: '曾停机', en: 'suspended' } },
  { name: 'balance_fen', kind: 'numeric', missing: zero, label: { zh: '余额', en: 'balance' }, high: { zh: '余额充足', en: 'well funded' }, low: { zh: '余额不足', en: 'low balance' }, format: yuan },
  { name: 'topup_count', kind: 'numeric', missing: zero, label: { zh: '充值次数(近3期)', en: 'top-ups (last 3 cycles)' }, high: { zh: '常充值', en: 'frequent top-ups' }, format: { integer: true } },
  { name: 'plan_code', kind: 'categorical', missing: { rule: 'default', value: 'unknown' }, label: { zh: '套餐', en: 'plan' } },
];

export const FEATURE_NAMES = FEATURES.map((f) => f.name);
export const DEFAULT_SEGMENT_FEATURES = FEATURES.filter((f) => f.segment).map((f) => f.name);
const byName = new Map(FEATURES.map((f) => [f.name, f]));

/** The definition of a feature, or undefined for an unknown name. */
export const featureDef = (name: string): FeatureDef | undefined => byName.get(name);

/** preprocess.ts column specs for the chosen features, in FEATURES order. */
export function columnSpecs(names: readonly string[] = FEATURE_NAMES): ColumnSpec[] {
  return FEATURES.filter((f) => names.includes(f.name)).map((f) => ({ name: f.name, kind: f.kind, missing: f.missing }));
}

/** Formats for explain(): numeric features by name. */
export const REASON_FORMATS: Record<string, FeatureFormat> = Object.fromEntries(FEATURES.filter((f) => f.format).map((f) => [f.name, f.format!]));

/**
 * The cycles features look at, as of `asOf`: starts[0] is the start of the
 * cycle containing asOf (not used: it is incomplete); cycle i (1 = the last
 * complete one) is [starts[i], starts[i−1]).
 */
export function featureWindow(asOf: Date, cycles = 3): { asOf: Date; starts: Date[] } {
  const starts = [cycleOf(asOf).start];
  for (let i = 1; i <= cycles; i++) starts.push(cycleOf(new Date(starts[i - 1]!.getTime() - 1)).start);
  return { asOf, starts };
}
