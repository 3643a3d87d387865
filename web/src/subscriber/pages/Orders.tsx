import { Button, Empty, List, Popup, Steps, Tag } from 'antd-mobile';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OrderStatus } from '@telehall/contracts';
import { myOrderQuery, myOrdersQuery } from '../../api/orders';
import { formatDateTime } from '../../lib/dates';
import { maskPhone } from '../../lib/mask';
import { formatMoney } from '../../lib/money';
import { QueryState } from '../components/QueryState';
import { SubPage } from '../components/SubPage';

const COLOR: Record<OrderStatus, string> = { completed: 'success', pending: 'warning', failed: 'danger', cancelled: 'default' };

/** My orders: plan changes, add-on packs and rewards, from the app or a business hall, with their history. */
export default function Orders() {
  const { t, i18n } = useTranslation();
  const q = useInfiniteQuery(myOrdersQuery());
  const [open, setOpen] = useState<string | null>(null);
  const detail = useQuery({ ...myOrderQuery(open ?? ''), enabled: !!open });
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <SubPage title={t('orders.title')} back="/me">
      {!q.data ? <QueryState error={q.error} onRetry={() => void q.refetch()} /> : rows.length === 0 ? <Empty description={t('orders.empty')} /> : (
        <>
          <List mode="card" data-testid="my-orders">
            {rows.map((o) => (
              <List.Item key={o.id} onClick={() => setOpen(o.id)} extra={formatMoney(o.amount.amount)} data-testid={`my-order-${o.id}`}
                description={`${formatDateTime(o.createdAt, i18n.language)} · ${o.msisdn ? maskPhone(o.msisdn) : ''} · ${t(`orders.channel.${o.channel}`)}`}>
                <Tag color={COLOR[o.status]}>{t(`orders.status.${o.status}`)}</Tag> {t(`orders.kind.${o.kind}`)} · {o.title}
              </List.Item>
            ))}
          </List>
          {q.hasNextPage && <Button block fill="none" loading={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>{t('common.loadMore')}</Button>}
        </>
      )}
      <Popup visible={!!open} onMaskClick={() => setOpen(null)} bodyStyle={{ padding: 16, maxHeight: '70vh', overflowY: 'auto' }}>
        {detail.data && (
          <div data-testid="my-order-detail">
            <h3>{detail.data.title}</h3>
            <p>{t(`orders.kind.${detail.data.kind}`)} · {formatMoney(detail.data.amount.amount)} · {t(`orders.channel.${detail.data.channel}`)}</p>
            <h4>{t('orders.history')}</h4>
            <Steps direction="vertical" current={detail.data.history.length - 1}>
              {detail.data.history.map((h, i) => (
                <Steps.Step key={i} title={t(`orders.status.${h.status}`)} description={`${formatDateTime(h.at, i18n.language)}${h.note ? ` · ${h.note}` : ''}`} />
              ))}
            </Steps>
          </div>
        )}
      </Popup>
    </SubPage>
  );
}
