import { Empty, InfiniteScroll, List, Tag } from 'antd-mobile';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { myPaymentsQuery } from '../../../api/payments';
import { formatDateTime } from '../../../lib/dates';
import { maskPhone } from '../../../lib/mask';
import { formatMoney } from '../../../lib/money';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';

const COLOR = { captured: 'success', pending: 'warning', cancelled: 'default', expired: 'default' } as const;

/** Payment history, newest first. */
export default function Payments() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const q = useInfiniteQuery(myPaymentsQuery());
  const items = q.data?.pages.flatMap((p) => p.items);
  return (
    <SubPage title={t('pay.history')} back="/topup">
      {!items ? <QueryState error={q.error} onRetry={() => void q.refetch()} /> : items.length === 0 ? <Empty description={t('pay.none')} /> : (
        <>
        <List mode="card" data-testid="payment-list">
          {items.map((p) => (
            <List.Item key={p.id} onClick={() => void navigate(`/topup/result/${p.id}`)} extra={formatMoney(p.amount.amount)}
              description={`${formatDateTime(p.createdAt, i18n.language)} · ${maskPhone(p.msisdn)}${p.origin === 'auto_topup' ? ` · ${t('pay.auto')}` : ''}`}>
              <Tag color={COLOR[p.status]}>{t(`pay.status.${p.status}`)}</Tag>
              {p.refunded.amount > 0 && <Tag className="th-ml">{t('pay.refundedAmount', { amount: formatMoney(p.refunded.amount) })}</Tag>}
            </List.Item>
          ))}
        </List>
        <InfiniteScroll hasMore={q.hasNextPage} loadMore={async () => void (await q.fetchNextPage({ throwOnError: true }))} />
        </>
      )}
    </SubPage>
  );
}
