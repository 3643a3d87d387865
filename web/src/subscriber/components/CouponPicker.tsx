import { Selector } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Coupon } from '@telehall/contracts';
import { couponsQuery } from '../../api/loyalty';
import { formatMoney } from '../../lib/money';
import { rewardName } from '../pages/loyalty/labels';

/**
 * Pick (or not) one of the line's usable coupons at checkout. `fits` says
 * which coupons apply to this purchase; the server checks again.
 */
export function CouponPicker({ lineId, fits, value, onChange }: { lineId: string; fits: (c: Coupon) => boolean; value: string | null; onChange: (id: string | null) => void }) {
  const { t, i18n } = useTranslation();
  const coupons = useQuery(couponsQuery(lineId));
  const usable = (coupons.data ?? []).filter((c) => c.status === 'available' && fits(c));
  if (!usable.length) return null;
  return (
    <div className="th-coupon-picker" data-testid="coupon-picker">
      <div>{t('loyalty.useCoupon')}</div>
      <Selector
        columns={1}
        value={value ? [value] : []}
        onChange={(v) => onChange(v[0] ?? null)}
        options={usable.map((c) => ({
          value: c.id,
          label: <span data-testid={`pick-coupon-${c.kind}`}>{rewardName(c, i18n.language)}</span>,
          description: c.kind === 'data_pack' ? t('loyalty.freePack') : formatMoney(c.value.amount),
        }))}
      />
    </div>
  );
}
