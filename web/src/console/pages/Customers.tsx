import { useState } from 'react';
import { App, Button, Card, Form, Input, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CustomerQuery, CustomerView } from '@telehall/contracts';
import { customersQuery, download } from '../../api/crm';
import { staffMeQuery } from '../../api/staff';
import { hasPermission } from '../components/RequirePermission';
import { QueryError } from '../components/QueryError';
import { errorMessage } from '../../shared/errors';
import { useCategoryLabel } from './crm-labels';

/** Customer search: name prefix, full phone or ID number, tag. Numbers are masked. */
export default function Customers() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const categoryLabel = useCategoryLabel();
  const me = useQuery(staffMeQuery());
  const [q, setQ] = useState<CustomerQuery>({ limit: 50 });
  const list = useQuery(customersQuery(q));
  const canExport = hasPermission(me.data?.permissions, 'customers.export');
  const exportAs = (format: 'csv' | 'xlsx') =>
    download(`/api/admin/customers/export?format=${format}`, `customers.${format}`).catch((e: unknown) => void message.error(errorMessage(t, e)));

  return (
    <Card
      title={t('console.crm.customers.title')}
      extra={canExport && (
        <Space>
          <Button data-testid="export-csv" onClick={() => void exportAs('csv')}>{t('console.crm.customers.exportCsv')}</Button>
          <Button data-testid="export-xlsx" onClick={() => void exportAs('xlsx')}>{t('console.crm.customers.exportXlsx')}</Button>
        </Space>
      )}
    >
      <Form<{ q?: string; tag?: string }> layout="inline" className="th-toolbar" onFinish={(v) => setQ({ limit: 50, q: v.q?.trim() || undefined, tag: v.tag?.trim() || undefined })}>
        <Form.Item name="q">
          <Input data-testid="customer-q" allowClear maxLength={100} placeholder={t('console.crm.customers.searchPlaceholder')} />
        </Form.Item>
        <Form.Item name="tag">
          <Input data-testid="customer-tag" allowClear maxLength={50} placeholder={t('console.crm.fields.tags')} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="customer-search">{t('common.search')}</Button>
        </Form.Item>
      </Form>
      {list.error ? (
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
      ) : (
        <Table<CustomerView>
          rowKey="id"
          size="middle"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          pagination={false}
          onRow={(c) => ({ onClick: () => void navigate(`/customers/${c.id}`), style: { cursor: 'pointer' }, 'data-testid': `customer-row-${c.id}` } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t('console.crm.fields.name'), dataIndex: 'name', render: (v: string) => v || t('common.notSet') },
            { title: t('console.crm.fields.phone'), dataIndex: 'phone' },
            { title: t('console.crm.fields.category'), dataIndex: 'category', render: (v: string) => categoryLabel(v) },
            { title: t('console.crm.fields.channel'), dataIndex: 'channel' },
            { title: t('console.crm.fields.tags'), dataIndex: 'tags', render: (tags: string[]) => tags.map((x) => <Tag key={x}>{x}</Tag>) },
          ]}
        />
      )}
    </Card>
  );
}
