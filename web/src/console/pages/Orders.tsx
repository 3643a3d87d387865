import { useState } from 'react';
import { Card, Input, Select, Space, Table } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Order } from '@telehall/contracts';
import { ordersQuery, type OrderFilters } from '../../api/orders';
import { formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';
import { OrderDrawer, OrderStatusTag } from './orders-ui';

const KINDS = ['plan_change', 'addon_purchase', 'reward_redemption'] as const;
const STATUSES = ['pending', 'completed', 'failed', 'cancelled'] as const;
const CHANNELS = ['self_service', 'staff', 'system'] as const;

/** Every order (plan changes, add-ons, rewards), newest first, with filters and the history of one. */
export default function Orders() {
  const { t, i18n } = useTranslation();
  const [filters, setFilters] = useState<OrderFilters>({});
  const [open, setOpen] = useState<string | null>(null);
  const q = useInfiniteQuery(ordersQuery(filters));
  const rows = q.data?.pages.flatMap((p) => p.items) ?? [];
  const all = { value: 'all', label: t('console.orders.all') };
  const pick = <K extends 'kind' | 'status' | 'channel'>(k: K) => (v: string) => setFilters((f) => ({ ...f, [k]: v === 'all' ? undefined : v }));

  return (
    <Card title={t('console.orders.title')}>
      <Space className="th-toolbar" wrap>
        <Input.Search data-testid="orders-search" allowClear style={{ width: 260 }} placeholder={t('console.orders.search')} maxLength={100}
          onSearch={(v) => setFilters((f) => ({ ...f, q: v.trim() || undefined }))} />
        <Select style={{ width: 150 }} value={filters.kind ?? 'all'} onChange={pick('kind')} data-testid="orders-kind"
          options={[all, ...KINDS.map((k) => ({ value: k, label: t(`orders.kind.${k}`) }))]} />
        <Select style={{ width: 130 }} value={filters.status ?? 'all'} onChange={pick('status')}
          options={[all, ...STATUSES.map((k) => ({ value: k, label: t(`orders.status.${k}`) }))]} />
        <Select style={{ width: 150 }} value={filters.channel ?? 'all'} onChange={pick('channel')}
          options={[all, ...CHANNELS.map((k) => ({ value: k, label: t(`orders.channel.${k}`) }))]} />
      </Space>
      {q.error && !q.data ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          <Table<Order> rowKey="id" size="middle" loading={q.isLoading} dataSource={rows} pagination={false} scroll={{ x: 1000 }} data-testid="orders-table"
            onRow={(o) => ({ onClick: () => setOpen(o.id), style: { cursor: 'pointer' } })}
            columns={[
              { title: t('console.orders.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, i18n.language) },
              { title: t('console.orders.customer'), dataIndex: 'customerName', width: 140, render: (n: string, o) => <Link to={`/customers/${o.customerId}`} onClick={(e) => e.stopPropagation()}>{n || '—'}</Link> },
              { title: t('console.orders.line'), dataIndex: 'msisdn', width: 130 },
              { title: t('console.orders.kind'), dataIndex: 'kind', width: 110, render: (k: Order['kind']) => t(`orders.kind.${k}`) },
              { title: t('console.orders.item'), dataIndex: 'title' },
              { title: t('console.orders.amount'), width: 100, render: (_: unknown, o) => formatMoney(o.amount.amount) },
              { title: t('console.orders.channel'), dataIndex: 'channel', width: 120, render: (c: Order['channel']) => t(`orders.channel.${c}`) },
              { title: t('console.orders.status'), dataIndex: 'status', width: 100, render: (s: Order['status']) => <OrderStatusTag status={s} /> },
            ]} />
          <LoadMore hasMore={!!q.hasNextPage} loading={q.isFetchingNextPage} onLoad={() => void q.fetchNextPage()} testId="orders-more" count={rows.length} />
        </>
      )}
      <OrderDrawer id={open} onClose={() => setOpen(null)} />
    </Card>
  );
}
