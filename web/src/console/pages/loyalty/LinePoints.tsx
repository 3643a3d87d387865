import { useState } from 'react';
import { App, Button, Card, Descriptions, Form, Input, InputNumber, Modal, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PointEvent } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { clearPoints, grantPoints, lineHistoryQuery, linePointsQuery } from '../../../api/loyalty';
import { staffMeQuery } from '../../../api/staff';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryError } from '../../components/QueryError';
import { hasPermission } from '../../components/RequirePermission';

/** A line's points on its console page: balance, tier, expiry, history; grant or clear with a reason (audited). */
export function LinePoints({ lineId }: { lineId: string }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const me = useQuery(staffMeQuery());
  const points = useQuery(linePointsQuery(lineId));
  const history = useQuery(lineHistoryQuery(lineId));
  const [mode, setMode] = useState<'grant' | 'clear' | null>(null);
  const canManage = hasPermission(me.data?.permissions, 'loyalty.manage');
  const p = points.data;
  return (
    <Card
      title={t('console.loyalty.linePoints')}
      data-testid="line-points"
      extra={canManage && (
        <Space>
          <Button onClick={() => setMode('grant')} data-testid="points-grant">{t('console.loyalty.grant')}</Button>
          <Button danger onClick={() => setMode('clear')} data-testid="points-clear">{t('console.loyalty.clear')}</Button>
        </Space>
      )}
    >
      {points.error && !p ? <QueryError error={points.error} onRetry={() => void points.refetch()} /> : (
        <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
          <Descriptions.Item label={t('console.loyalty.balance')}><Typography.Text strong data-testid="line-points-balance">{p?.balance.toLocaleString()}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('console.loyalty.tier')}>{p && <Tag color="gold">{t(`loyalty.tier.${p.tier}` as 'loyalty.tier.normal')}</Tag>} {p && formatMoney(p.tierSpend.amount)}</Descriptions.Item>
          <Descriptions.Item label={t('console.loyalty.shortfall')}>{p?.shortfall ?? 0}</Descriptions.Item>
          <Descriptions.Item label={t('console.loyalty.frozen')}>{p?.frozen ? t('console.loyalty.yes') : t('console.loyalty.no')}</Descriptions.Item>
          <Descriptions.Item label={t('loyalty.expiring')} span={4}>
            {p?.expiring.map((e) => `${formatDate(e.expiresAt, lang)}: ${e.points}`).join(' · ') || '—'}
          </Descriptions.Item>
        </Descriptions>
      )}
      <Table<PointEvent>
        size="small"
        rowKey="id"
        loading={history.isLoading}
        dataSource={history.data ?? []}
        pagination={{ pageSize: 10 }}
        columns={[
          { title: t('fields.time'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, lang) },
          { title: t('console.loyalty.kind'), dataIndex: 'kind', render: (k: string) => <Tag>{t(`loyalty.event.${k}` as 'loyalty.event.earn')}</Tag> },
          { title: t('console.loyalty.points'), dataIndex: 'points', render: (n: number) => <Typography.Text type={n < 0 ? 'danger' : 'success'}>{n > 0 ? `+${n}` : n}</Typography.Text> },
          { title: t('console.loyalty.rule'), render: (_, e) => (e.rule ? `${lang === 'en' ? e.rule.nameEn : e.rule.nameZh} (${e.rule.code} v${e.rule.version})` : '—') },
          { title: t('console.loyalty.reason'), dataIndex: 'reason' },
          { title: t('console.loyalty.source'), render: (_, e) => <Typography.Text code>{e.source.kind}:{e.source.id.slice(0, 8)}</Typography.Text> },
        ]}
      />
      {mode && <ChangeModal lineId={lineId} mode={mode} onClose={() => setMode(null)} />}
    </Card>
  );
}

function ChangeModal({ lineId, mode, onClose }: { lineId: string; mode: 'grant' | 'clear'; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<{ points?: number; reason: string }>();
  const save = useMutation({
    mutationFn: (v: { points?: number; reason: string }) => (mode === 'grant' ? grantPoints(lineId, { points: v.points!, reason: v.reason }) : clearPoints(lineId, v)),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
      onClose();
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  return (
    <Modal open title={mode === 'grant' ? t('console.loyalty.grant') : t('console.loyalty.clear')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ 'data-testid': 'points-change-ok' } }>
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="points" label={t('console.loyalty.points')} rules={[{ required: mode === 'grant' }]} extra={mode === 'clear' ? t('console.loyalty.clearAllHint') : undefined}>
          <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="points-change-amount" />
        </Form.Item>
        <Form.Item name="reason" label={t('console.loyalty.reason')} rules={[{ required: true, min: 2, max: 200 }]}>
          <Input data-testid="points-change-reason" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
