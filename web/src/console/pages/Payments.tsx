import { useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Payment } from '@telehall/contracts';
import { adminPaymentsQuery, newKey, refundPayment, type PaymentFilters } from '../../api/payments';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { formatMoney, parseYuan } from '../../lib/money';
import { errorMessage } from '../../shared/errors';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';
import { hasPermission } from '../components/RequirePermission';
import { staffMeQuery } from '../../api/staff';

const STATUS = ['pending', 'captured', 'cancelled', 'expired'] as const;
const COLOR = { captured: 'green', pending: 'gold', cancelled: 'default', expired: 'default' } as const;

/** Payment search and refunds. */
export default function Payments() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useQuery(staffMeQuery());
  const [filters, setFilters] = useState<PaymentFilters>({});
  const q = useInfiniteQuery(adminPaymentsQuery(filters));
  const rows = q.data?.pages.flatMap((p) => p.items);
  const [refunding, setRefunding] = useState<Payment | null>(null);
  const [form] = Form.useForm<{ amount: string; reason: string }>();
  const [busy, setBusy] = useState(false);
  const [key, setKey] = useState(newKey);
  const canRefund = hasPermission(me.data?.permissions, 'payments.refund');

  async function submit() {
    if (!refunding) return;
    const v = await form.validateFields();
    const amount = parseYuan(v.amount)!;
    setBusy(true);
    try {
      await refundPayment(refunding.id, { amount, reason: v.reason.trim() }, key);
      void message.success(t('console.payments.refunded'));
      setRefunding(null);
      await qc.invalidateQueries({ queryKey: queryKeys.payments.all });
    } catch (err) {
      void message.error(errorMessage(t, err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title={t('console.payments.title')}>
      <Space className="th-toolbar" wrap>
        <Input.Search data-testid="payments-msisdn" allowClear maxLength={11} style={{ width: 220 }} placeholder={t('console.payments.msisdn')}
          onSearch={(v) => setFilters((f) => ({ ...f, msisdn: v.trim() || undefined }))} />
        <Select<string> style={{ width: 160 }} value={filters.status ?? 'all'}
          onChange={(v) => setFilters((f) => ({ ...f, status: v === 'all' ? undefined : (v as Payment['status']) }))}
          options={[{ value: 'all', label: t('console.payments.allStatuses') }, ...STATUS.map((s) => ({ value: s, label: t(`pay.status.${s}`) }))]} />
      </Space>
      {q.error && !q.data ? <QueryError error={q.error} onRetry={() => void q.refetch()} /> : (
        <>
        <Table<Payment> rowKey="id" size="middle" loading={q.isLoading} dataSource={rows ?? []} pagination={false} scroll={{ x: 900 }}
          columns={[
            { title: t('fields.createdAt'), dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v, i18n.language) },
            { title: t('console.payments.msisdn'), dataIndex: 'msisdn', width: 130, render: (v: string, p) => <Link to={`/lines/${p.lineId}`} data-testid={`payment-line-${p.id}`}>{v}</Link> },
            { title: t('pay.amount'), dataIndex: 'amount', width: 110, render: (_: unknown, p) => formatMoney(p.amount.amount) },
            { title: t('pay.refunded'), dataIndex: 'refunded', width: 110, render: (_: unknown, p) => formatMoney(p.refunded.amount) },
            { title: t('fields.status'), dataIndex: 'status', width: 100, render: (s: Payment['status']) => <Tag color={COLOR[s]}>{t(`pay.status.${s}`)}</Tag> },
            { title: t('console.payments.origin'), dataIndex: 'origin', width: 110, render: (o: string) => t(o === 'auto_topup' ? 'pay.auto' : 'console.payments.manual') },
            { title: t('pay.paymentNo'), dataIndex: 'id', render: (id: string) => <code>{id}</code> },
            {
              title: t('common.actions'), key: 'a', width: 100, fixed: 'right',
              render: (_: unknown, p) => canRefund && p.status === 'captured' && p.refunded.amount < p.amount.amount ? (
                <Button size="small" data-testid={`refund-${p.id}`} onClick={() => { setKey(newKey()); form.resetFields(); setRefunding(p); }}>{t('console.payments.refund')}</Button>
              ) : null,
            },
          ]} />
        {rows && <LoadMore testId="payments-load-more" count={rows.length} hasMore={q.hasNextPage} loading={q.isFetchingNextPage} onLoad={() => void q.fetchNextPage()} />}
        </>
      )}
      <Modal open={!!refunding} title={t('console.payments.refundTitle')} onCancel={() => setRefunding(null)} onOk={() => void submit()} confirmLoading={busy} okButtonProps={{ 'data-testid': 'refund-ok' }}>
        {refunding && (
          <Form form={form} layout="vertical" initialValues={{ amount: formatMoney(refunding.amount.amount - refunding.refunded.amount).replace(/[¥,]/g, ''), reason: '' }}>
            <p>{t('console.payments.refundable', { amount: formatMoney(refunding.amount.amount - refunding.refunded.amount) })}</p>
            <Form.Item name="amount" label={t('pay.amount')} rules={[{
              validator: (_r, v: string) => {
                const fen = parseYuan(v ?? '');
                return fen !== null && fen > 0 && fen <= refunding.amount.amount - refunding.refunded.amount ? Promise.resolve() : Promise.reject(new Error(t('console.payments.amountInvalid')));
              },
            }]}>
              <Input data-testid="refund-amount" />
            </Form.Item>
            <Form.Item name="reason" label={t('console.payments.reason')} rules={[{ required: true, min: 2, max: 200, message: t('console.payments.reasonRequired') }]}>
              <Input.TextArea data-testid="refund-reason" maxLength={200} />
            </Form.Item>
          </Form>
        )}
      </Modal>
    </Card>
  );
}
