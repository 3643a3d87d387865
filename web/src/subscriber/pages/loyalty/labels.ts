import type { Coupon, PointEvent, Reward } from '@telehall/contracts';
import type { TFunction } from 'i18next';
import { formatMoney } from '../../../lib/money';

/** A reward's or coupon's name in the UI language. */
export const rewardName = (r: Pick<Reward, 'nameZh' | 'nameEn'>, lang: string) => (lang === 'en' ? r.nameEn : r.nameZh);

/** What a coupon does, e.g. "¥5 off, from ¥10". */
export function couponTerms(t: TFunction, c: Pick<Coupon, 'kind' | 'value' | 'minSpend' | 'addonCode'>): string {
  const min = c.minSpend.amount > 0 ? t('loyalty.minSpend', { amount: formatMoney(c.minSpend.amount) }) : '';
  switch (c.kind) {
    case 'discount':
      return t('loyalty.termsDiscount', { amount: formatMoney(c.value.amount) }) + min;
    case 'topup_bonus':
      return t('loyalty.termsBonus', { amount: formatMoney(c.value.amount) }) + min;
    case 'data_pack':
      return t('loyalty.termsPack', { code: c.addonCode ?? '' });
    default:
      return t('loyalty.termsGoods', { amount: formatMoney(c.value.amount) });
  }
}

/** What produced a history entry: its rule, else its kind and reason. */
export function eventLabel(t: TFunction, e: PointEvent, lang: string): string {
  if (e.rule) return `${lang === 'en' ? e.rule.nameEn : e.rule.nameZh} v${e.rule.version}`;
  const kind = t(`loyalty.event.${e.kind}` as 'loyalty.event.earn');
  return e.reason ? `${kind} · ${e.reason}` : kind;
}
