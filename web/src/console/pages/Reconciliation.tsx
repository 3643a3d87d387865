import { useState } from 'react';
import { Alert, Card, Input, Space, Table, Tag } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Reconciliation as Rec } from '@telehall/contracts';
import { reconciliationQuery } from '../../api/payments';
import { formatMoney } from '../../lib/money';
import { QueryError } from '../components/QueryError';

type Day = Rec['days'][number];
/** A China-time calendar day `offset` days from today, as YYYY-MM-DD (the server reconciles by China days). */
const localDay = (offset: number) => new Date(Date.now() + 8 * 3600_000 + offset * 86_400_000).toISOString().slice(0, 10);
type Diff = Rec['differences'][number];

/** Per day: gateway captures vs ledger credits vs bills, and every difference. */
export default function Reconciliation() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(() => localDay(-6));
  const [to, setTo] = useState(() => localDay(0));
  const q = useQuery(reconciliationQuery(from, to));
  const m = (v: { amount: number }) => formatMoney(v.amount);
  return (
    <Card title={t('console.recon.title')} extra={
      <Space>
        <Input type="date" value={from} onChange={(e) => e.target.value && setFrom(e.target.value)} data-testid="recon-from" />
        <Input type="date" value={to} onChange={(e) => e.target.value && setTo(e.target.value)} data-testid="recon-to" />
      </Space>
    }>
      {q.error && !q.data ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
          {q.data && (q.data.differences.length === 0
            ? <Alert type="success" showIcon message={t('console.recon.allMatch')} data-testid="recon-ok" className="th-mb" />
            : <Alert type="error" showIcon message={t('console.recon.differences', { count: q.data.differences.length })} className="th-mb" />)}
          <Table<Day> rowKey="day" size="small" loading={q.isLoading} dataSource={q.data?.days ?? []} pagination={false}
            columns={[
              { title: t('console.recon.day'), dataIndex: 'day' },
              { title: t('console.recon.captures'), render: (_: unknown, d) => m(d.gatewayCaptures) },
              { title: t('console.recon.credits'), render: (_: unknown, d) => m(d.ledgerCredits) },
              { title: t('console.recon.refunds'), render: (_: unknown, d) => m(d.refunds) },
              { title: t('console.recon.ledgerRefunds'), render: (_: unknown, d) => m(d.ledgerRefunds) },
              { title: t('console.recon.billed'), render: (_: unknown, d) => m(d.billedPayments) },
              { title: t('fields.status'), render: (_: unknown, d) => <Tag color={d.balanced ? 'green' : 'red'}>{t(d.balanced ? 'console.recon.balanced' : 'console.recon.unbalanced')}</Tag> },
            ]} />
          {!!q.data?.differences.length && (
            <Table<Diff> className="th-mt" rowKey={(d) => `${d.kind}:${d.paymentId ?? ''}:${d.billId ?? ''}:${d.day}`} size="small" dataSource={q.data.differences} pagination={false}
              columns={[
                { title: t('console.recon.day'), dataIndex: 'day', width: 110 },
                { title: t('console.recon.kind'), dataIndex: 'kind', render: (k: string) => t(`console.recon.kinds.${k}`, { defaultValue: k }) },
                { title: t('pay.paymentNo'), render: (_: unknown, d) => <code>{d.paymentId ?? d.billId ?? '—'}</code> },
                { title: t('console.recon.expected'), render: (_: unknown, d) => m(d.expected) },
                { title: t('console.recon.actual'), render: (_: unknown, d) => m(d.actual) },
              ]} />
          )}
        </>
      )}
    </Card>
  );
}
