import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { BalanceAdjustment, type Balance, type LedgerEntryView, type Line, type UsageBucket, type UsageRecord } from '@telehall/contracts';
import { ApiError } from '../../api/client';
import type { RecordFilters } from '../../api/keys';
import { queryKeys } from '../../api/keys';
import { adjustBalance, adminLedgerQuery, adminLineQuery, adminRecordsQuery, adminUsageQuery } from '../../api/lines';
import { staffMeQuery } from '../../api/staff';
import { formatDate, formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { newIdempotencyKey, parseYuanToFen } from '../../lib/units';
import { conforms, schemaRule } from '../../lib/validate';
import { errorMessage } from '../../shared/errors';
import { LoadMore } from '../components/LoadMore';
import { QueryError } from '../components/QueryError';
import { hasPermission } from '../components/RequirePermission';
import { useQuantityText } from '../components/quantity';
import { lineStatusColor } from './Lines';
import { LinePoints } from './loyalty/LinePoints';

type TypeFilter = 'all' | 'data' | 'voice' | 'sms';

function AdjustModal({ line, open, onClose }: { line: Line; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ amount: string; reason: string }>();
  // One key per modal opening (= one adjustment attempt); a retry after a network error reuses it.
  const [key, setKey] = useState(newIdempotencyKey);
  const [result, setResult] = useState<Balance | null>(null);
  const mutation = useMutation({
    mutationFn: (body: { amountFen: number; reason: string }) => adjustBalance(line.id, body, key),
    onSuccess: async (b) => {
      setResult(b);
      await qc.invalidateQueries({ queryKey: queryKeys.adminLines.all });
    },
    onError: (err) => {
      // A refusal is final: the next try is a new attempt. After no answer / 5xx, retrying must reuse the key.
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) setKey(newIdempotencyKey());
      void message.error(errorMessage(t, err));
    },
  });

  function close() {
    form.resetFields();
    setResult(null);
    setKey(newIdempotencyKey());
    mutation.reset();
    onClose();
  }

  async function submit() {
    const values = await form.validateFields();
    const body = { amountFen: parseYuanToFen(values.amount) ?? 0, reason: values.reason.trim() };
    if (!conforms(BalanceAdjustment, body)) return;
    mutation.mutate(body);
  }

  return (
    <Modal
      open={open}
      title={t('console.lineDetail.adjustTitle', { msisdn: line.msisdn })}
      onCancel={close}
      destroyOnHidden
      footer={
        result
          ? [<Button key="close" type="primary" onClick={close} data-testid="adjust-close">{t('common.close')}</Button>]
          : [
              <Button key="cancel" onClick={close}>{t('common.cancel')}</Button>,
              <Button key="ok" type="primary" loading={mutation.isPending} onClick={() => void submit()} data-testid="adjust-submit">
                {t('console.lineDetail.adjustSubmit')}
              </Button>,
            ]
      }
    >
      {result ? (
        <Typography.Paragraph data-testid="adjust-result">
          {t('console.lineDetail.adjustDone', { balance: formatMoney(result.balance.amount) })}
        </Typography.Paragraph>
      ) : (
        <Form form={form} layout="vertical" requiredMark>
          <Typography.Paragraph type="secondary">{t('console.lineDetail.adjustHint')}</Typography.Paragraph>
          <Form.Item
            name="amount"
            label={t('console.lineDetail.adjustAmount')}
            rules={[
              {
                validator: async (_r, v: string | undefined) => {
                  if (!v) throw new Error(t('validation.amountRequired'));
                  const fen = parseYuanToFen(v);
                  if (fen === null) throw new Error(t('validation.amount'));
                  if (!conforms(BalanceAdjustment.properties.amountFen, fen)) throw new Error(t('validation.amountRange'));
                },
              },
            ]}
          >
            <Input id="adjust-amount" data-testid="adjust-amount" prefix="¥" placeholder="10.50 / -5" autoComplete="off" />
          </Form.Item>
          <Form.Item
            name="reason"
            label={t('console.lineDetail.adjustReason')}
            rules={[schemaRule(BalanceAdjustment.properties.reason, t('validation.reason'), { requiredMessage: t('validation.reasonRequired') })]}
            normalize={(v: string) => v.trimStart()}
          >
            <Input.TextArea id="adjust-reason" data-testid="adjust-reason" rows={3} maxLength={200} showCount />
          </Form.Item>
        </Form>
      )}
    </Modal>
  );
}

export default function LineDetail() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const qty = useQuantityText();
  const me = useQuery(staffMeQuery());
  const line = useQuery(adminLineQuery(id));
  const usage = useQuery(adminUsageQuery(id));
  const [type, setType] = useState<TypeFilter>('all');
  const filters: RecordFilters = { type: type === 'all' ? undefined : type };
  const records = useInfiniteQuery(adminRecordsQuery(id, filters));
  const ledger = useInfiniteQuery(adminLedgerQuery(id));
  const [adjusting, setAdjusting] = useState(false);

  if (!line.data) return line.error ? <QueryError error={line.error} onRetry={() => void line.refetch()} /> : <Card loading />;
  const l = line.data;
  const recordRows = records.data?.pages.flatMap((p) => p.items) ?? [];
  const ledgerRows = ledger.data?.pages.flatMap((p) => p.items) ?? [];
  const canAdjust = hasPermission(me.data?.permissions, 'balance.adjust');
  const name = (p: { nameZh: string; nameEn: string }) => (lang === 'en' ? p.nameEn : p.nameZh);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={
          <Space>
            <Link to="/lines">{t('console.lines.title')}</Link>/<span data-testid="line-msisdn">{l.msisdn}</span>
          </Space>
        }
        extra={
          canAdjust && (
            <Button type="primary" onClick={() => setAdjusting(true)} data-testid="line-adjust">
              {t('console.lineDetail.adjust')}
            </Button>
          )
        }
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small">
          <Descriptions.Item label={t('console.lines.plan')}>
            <span data-testid="line-plan">{name(l.plan)}</span> <Typography.Text type="secondary">{l.plan.code} v{l.plan.version}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('fields.status')}>
            <Tag color={lineStatusColor(l.status)} data-testid="line-status">{t(`line.status.${l.status}`)}</Tag>
            {l.statusReason && (
              <Typography.Text type="secondary">
                {i18n.exists(`line.statusReason.${l.statusReason}`) ? t(`line.statusReason.${l.statusReason}` as 'line.statusReason.credit_limit') : l.statusReason}
              </Typography.Text>
            )}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.lines.balance')}>
            <Typography.Text strong type={l.balance.amount < 0 ? 'danger' : undefined} data-testid="line-balance">{formatMoney(l.balance.amount)}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.lineDetail.creditLimit')}>
            <span data-testid="line-credit-limit">{formatMoney(l.creditLimit.amount)}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('console.lineDetail.cycle')}>
            {formatDate(l.cycleStart, lang)} – {formatDate(l.cycleEnd, lang)}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.lineDetail.contractEnd')}>{l.contractEnd ? formatDate(l.contractEnd, lang) : t('console.lineDetail.noContract')}</Descriptions.Item>
          {l.scheduledPlan && (
            <Descriptions.Item label={t('console.lineDetail.scheduledPlan')}>
              <span data-testid="line-scheduled-plan">{name(l.scheduledPlan)} ({formatDate(l.cycleEnd, lang)})</span>
            </Descriptions.Item>
          )}
        </Descriptions>
      </Card>

      <Card title={t('console.lineDetail.allowances')}>
        {usage.error && !usage.data ? (
          <QueryError error={usage.error} onRetry={() => void usage.refetch()} />
        ) : (
          <Table<UsageBucket>
            data-testid="line-allowances"
            rowKey={(b) => `${b.kind}-${b.source}-${b.name}-${b.resetsAt}`}
            size="small"
            loading={usage.isLoading}
            dataSource={usage.data?.buckets ?? []}
            pagination={false}
            columns={[
              { title: t('console.lineDetail.kind'), dataIndex: 'kind', render: (k: UsageBucket['kind']) => t(`usage.kind.${k}`) },
              { title: t('console.lineDetail.source'), render: (_, b) => <>{t(`console.lineDetail.sources.${b.source}`)} · {b.name}</> },
              { title: t('console.lineDetail.allowance'), render: (_, b) => qty(b.kind, b.allowance) },
              { title: t('console.lineDetail.used'), render: (_, b) => qty(b.kind, b.used, 'up') },
              { title: t('console.lineDetail.remaining'), render: (_, b) => <span data-testid={`bucket-remaining-${b.kind}-${b.source}`}>{qty(b.kind, b.remaining)}</span> },
              { title: t('console.lineDetail.resetsAt'), dataIndex: 'resetsAt', render: (v: string) => formatDateTime(v, lang) },
            ]}
          />
        )}
      </Card>

      <Card
        title={t('console.lineDetail.records')}
        extra={
          <Segmented<TypeFilter>
            data-testid="records-type"
            value={type}
            onChange={setType}
            options={(['all', 'data', 'voice', 'sms'] as const).map((k) => ({ value: k, label: k === 'all' ? t('usage.all') : t(`usage.kind.${k}`) }))}
          />
        }
      >
        {records.error && !records.data ? (
          <QueryError error={records.error} onRetry={() => void records.refetch()} />
        ) : (
          <>
            <Table<UsageRecord>
              data-testid="line-records"
              rowKey="id"
              size="small"
              loading={records.isLoading}
              dataSource={recordRows}
              pagination={false}
              columns={[
                { title: t('fields.time'), dataIndex: 'startedAt', render: (v: string) => formatDateTime(v, lang) },
                { title: t('console.lineDetail.kind'), dataIndex: 'type', render: (k: UsageRecord['type']) => <Tag>{t(`usage.kind.${k}`)}</Tag> },
                { title: t('console.lineDetail.quantity'), render: (_, r) => qty(r.type, r.quantity, 'up') },
                { title: t('usage.fromAllowance'), render: (_, r) => qty(r.type, r.fromAllowance, 'up') },
                { title: t('usage.charged'), render: (_, r) => qty(r.type, r.chargedQuantity, 'up') },
                { title: t('console.lineDetail.charge'), render: (_, r) => formatMoney(r.charge.amount) },
                { title: t('console.lineDetail.unrated'), render: (_, r) => (r.unratedQuantity ? <Typography.Text type="danger">{qty(r.type, r.unratedQuantity, 'up')}</Typography.Text> : '') },
                { title: t('console.lineDetail.recordId'), dataIndex: 'id', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
              ]}
            />
            <LoadMore testId="records-load-more" count={recordRows.length} hasMore={records.hasNextPage} loading={records.isFetchingNextPage} onLoad={() => void records.fetchNextPage()} />
          </>
        )}
      </Card>

      <Card title={t('console.lineDetail.ledger')}>
        {ledger.error && !ledger.data ? (
          <QueryError error={ledger.error} onRetry={() => void ledger.refetch()} />
        ) : (
          <>
            <Table<LedgerEntryView>
              data-testid="line-ledger"
              rowKey={(e) => `${e.txId}-${e.amount.amount}`}
              size="small"
              loading={ledger.isLoading}
              dataSource={ledgerRows}
              pagination={false}
              columns={[
                { title: t('fields.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, lang) },
                { title: t('console.lineDetail.entryKind'), dataIndex: 'kind', render: (k: string) => <Tag>{i18n.exists(`ledgerKinds.${k}`) ? t(`ledgerKinds.${k}` as 'ledgerKinds.plan_fee') : k}</Tag> },
                { title: t('console.lineDetail.amount'), render: (_, e) => <Typography.Text type={e.amount.amount < 0 ? 'danger' : 'success'}>{e.amount.amount > 0 ? '+' : ''}{formatMoney(e.amount.amount)}</Typography.Text> },
                { title: t('console.lineDetail.memo'), dataIndex: 'memo' },
                { title: t('console.lineDetail.reference'), dataIndex: 'reference', render: (v: string | null) => (v ? <Typography.Text code>{v}</Typography.Text> : '') },
              ]}
            />
            <LoadMore testId="ledger-load-more" count={ledgerRows.length} hasMore={ledger.hasNextPage} loading={ledger.isFetchingNextPage} onLoad={() => void ledger.fetchNextPage()} />
          </>
        )}
      </Card>
      <LinePoints lineId={l.id} />
      {canAdjust && <AdjustModal line={l} open={adjusting} onClose={() => setAdjusting(false)} />}
    </Space>
  );
}
