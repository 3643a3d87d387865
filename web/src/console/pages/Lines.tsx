import { useState } from 'react';
import { Card, Input, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Line } from '@telehall/contracts';
import { adminLineSearchQuery } from '../../api/lines';
import { formatMoney } from '../../lib/money';
import { QueryError } from '../components/QueryError';

const MSISDN = /^1[3-9][0-9]{9}$/;

export function lineStatusColor(status: Line['status']) {
  return status === 'active' ? 'green' : status === 'suspended' ? 'red' : 'default';
}

/** Find a line by its 11-digit number. */
export default function Lines() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const msisdn = params.get('msisdn') ?? '';
  const [draft, setDraft] = useState(msisdn);
  const [invalid, setInvalid] = useState(false);
  const search = useQuery(adminLineSearchQuery(msisdn));

  return (
    <Card title={t('console.lines.title')}>
      <div className="th-toolbar">
        <Input.Search
          id="lines-msisdn"
          data-testid="lines-msisdn"
          style={{ width: 320 }}
          maxLength={11}
          inputMode="numeric"
          placeholder={t('console.lines.msisdnPlaceholder')}
          enterButton={<span data-testid="lines-search">{t('common.search')}</span>}
          value={draft}
          status={invalid ? 'error' : undefined}
          onChange={(e) => {
            setDraft(e.target.value.replace(/\D/g, ''));
            setInvalid(false);
          }}
          onSearch={(v) => {
            const value = v.trim();
            if (!MSISDN.test(value)) {
              setInvalid(true);
              return;
            }
            setParams({ msisdn: value });
          }}
        />
        {invalid && <Typography.Text type="danger" data-testid="lines-msisdn-error">{t('validation.phone')}</Typography.Text>}
      </div>
      {search.error ? (
        <QueryError error={search.error} onRetry={() => void search.refetch()} />
      ) : msisdn ? (
        <Table<Line>
          rowKey="id"
          size="middle"
          loading={search.isLoading}
          dataSource={search.data ?? []}
          pagination={false}
          locale={{ emptyText: t('console.lines.noResult') }}
          columns={[
            { title: t('console.lines.msisdn'), dataIndex: 'msisdn', render: (v: string, l) => <Link to={`/lines/${l.id}`} data-testid={`line-row-${l.id}`}>{v}</Link> },
            { title: t('console.lines.plan'), render: (_, l) => `${i18n.language === 'en' ? l.plan.nameEn : l.plan.nameZh} (v${l.plan.version})` },
            { title: t('fields.status'), dataIndex: 'status', render: (s: Line['status']) => <Tag color={lineStatusColor(s)}>{t(`line.status.${s}`)}</Tag> },
            { title: t('console.lines.balance'), render: (_, l) => formatMoney(l.balance.amount) },
          ]}
        />
      ) : (
        <Typography.Text type="secondary">{t('console.lines.hint')}</Typography.Text>
      )}
    </Card>
  );
}
