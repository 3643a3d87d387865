import { ErrorBlock, List, Tag } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Coupon } from '@telehall/contracts';
import { couponsQuery } from '../../../api/loyalty';
import { formatDate } from '../../../lib/dates';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';
import { useSelectedLine } from '../../hooks/useSelectedLine';
import { couponTerms, rewardName } from './labels';

const color: Record<Coupon['status'], string> = { available: 'success', reserved: 'warning', used: 'default', expired: 'default' };

/** The selected line's coupon wallet; a usable coupon links to where it applies. */
export default function Coupons() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const { line } = useSelectedLine();
  const coupons = useQuery({ ...couponsQuery(line?.id ?? ''), enabled: !!line });
  const useAt = (c: Coupon) => (c.kind === 'topup_bonus' ? '/topup' : '/addons');
  return (
    <SubPage title={t('loyalty.myCoupons')} back="/points">
      {!coupons.data ? <QueryState error={coupons.error} onRetry={() => void coupons.refetch()} /> : coupons.data.length === 0 ? <ErrorBlock status="empty" title={t('loyalty.noCoupons')} description="" /> : (
        <List mode="card">
          {coupons.data.map((c) => (
            <List.Item
              key={c.id}
              data-testid={`coupon-${c.status}`}
              clickable={c.status === 'available'}
              onClick={() => c.status === 'available' && void navigate(useAt(c))}
              description={`${couponTerms(t, c)} · ${t('loyalty.validUntil', { date: formatDate(c.expiresAt, lang) })}`}
              extra={<Tag color={color[c.status]}>{t(`loyalty.couponStatus.${c.status}` as 'loyalty.couponStatus.available')}</Tag>}
            >
              {rewardName(c, lang)}
            </List.Item>
          ))}
        </List>
      )}
    </SubPage>
  );
}
