import { useState } from 'react';
import { Button, Card, Form, Input, Table, Typography } from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { AuditEntry } from '@telehall/contracts';
import { auditQuery } from '../../api/audit';
import type { AuditFilters } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { compact } from '../../lib/validate';
import { useEnumLabel } from '../components/enum-label';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';

const filterFields = ['actorId', 'action', 'resourceType', 'resourceId'] as const;

export default function AuditLog() {
  const { t, i18n } = useTranslation();
  const enumLabel = useEnumLabel();
  const [form] = Form.useForm<AuditFilters>();
  const [filters, setFilters] = useState<AuditFilters>({});
  const audit = useInfiniteQuery(auditQuery(filters));
  const rows = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card title={t('console.audit.title')}>
      <Form<AuditFilters>
        form={form}
        layout="inline"
        className="th-toolbar"
        onFinish={(v) => setFilters(compact(Object.fromEntries(Object.entries(v).map(([k, s]) => [k, typeof s === 'string' ? s.trim() : s]))))}
      >
        {filterFields.map((field) => (
          <Form.Item key={field} name={field}>
            <Input id={`audit-${field}`} data-testid={`audit-${field}`} allowClear maxLength={64} placeholder={t(`console.audit.filter.${field}`)} />
          </Form.Item>
        ))}
        <Form.Item>
          <Button type="primary" htmlType="submit" data-testid="audit-search">
            {t('common.search')}
          </Button>
        </Form.Item>
        <Form.Item>
          <Button
            onClick={() => {
              form.resetFields();
              setFilters({});
            }}
          >
            {t('common.reset')}
          </Button>
        </Form.Item>
      </Form>
      {audit.error && !audit.data ? (
        <QueryError error={audit.error} onRetry={() => void audit.refetch()} />
      ) : (
        <>
          <Table<AuditEntry>
            rowKey="id"
            size="middle"
            loading={audit.isLoading}
            dataSource={rows}
            pagination={false}
            expandable={{
              expandedRowRender: (e) => (
                <>
                  <Typography.Text type="secondary">{t('fields.userAgent')}: {e.userAgent}</Typography.Text>
                  <pre className="th-pre">{JSON.stringify(e.details, null, 2)}</pre>
                </>
              ),
            }}
            columns={[
              { title: t('fields.time'), dataIndex: 'at', width: 180, render: (v: string) => formatDateTime(v, i18n.language) },
              {
                title: t('fields.actor'),
                dataIndex: 'actorName',
                render: (_: string, e) => {
                  const kind = <Typography.Text type="secondary">({enumLabel('actorKinds', e.actorKind)})</Typography.Text>;
                  if (!e.actorId) return <span>{e.actorName} {kind}</span>;
                  const actorId = e.actorId;
                  return (
                    <span>
                      <Typography.Link
                        title={t('console.audit.filterByActor', { id: actorId })}
                        onClick={() => {
                          form.setFieldsValue({ actorId });
                          setFilters((f) => ({ ...f, actorId }));
                        }}
                      >
                        {e.actorName}
                      </Typography.Link>{' '}
                      {kind}
                    </span>
                  );
                },
              },
              { title: t('fields.action'), dataIndex: 'action', render: (a: string) => <Typography.Text code>{a}</Typography.Text> },
              { title: t('fields.resource'), dataIndex: 'resourceType', render: (_: string, e) => (e.resourceId ? `${e.resourceType} / ${e.resourceId}` : e.resourceType) },
              { title: t('fields.ip'), dataIndex: 'ip', width: 140 },
            ]}
          />
          <LoadMore
            testId="audit-load-more"
            count={rows.length}
            hasMore={audit.hasNextPage}
            loading={audit.isFetchingNextPage}
            onLoad={() => void audit.fetchNextPage()}
          />
        </>
      )}
    </Card>
  );
}
