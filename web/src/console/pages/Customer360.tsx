import { useState } from 'react';
import { App, Button, Card, Col, Descriptions, Empty, Form, Input, Row, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { Customer360 as View, Interaction, Unmasked } from '@telehall/contracts';
import { addInteraction, crmKeys, customer360Query, unmaskCustomer } from '../../api/crm';
import { staffMeQuery } from '../../api/staff';
import { formatDateTime } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { errorMessage } from '../../shared/errors';
import { hasPermission } from '../components/RequirePermission';
import { QueryError } from '../components/QueryError';
import { useCategoryLabel } from './crm-labels';

const usageText = (kind: string, n: number) => (kind === 'data' ? `${(n / 1024 ** 2).toFixed(1)} MB` : kind === 'voice' ? `${Math.ceil(n / 60)} min` : String(n));

/** Customer 360: only what the platform holds about the customer; numbers masked until an audited unmask. */
export default function Customer360() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const categoryLabel = useCategoryLabel();
  const me = useQuery(staffMeQuery());
  const view = useQuery(customer360Query(id));
  const [revealed, setRevealed] = useState<Unmasked | null>(null);
  const unmask = useMutation({ mutationFn: () => unmaskCustomer(id), onSuccess: setRevealed, onError: (e) => void message.error(errorMessage(t, e)) });
  const [form] = Form.useForm<{ channel: Interaction['channel']; summary: string }>();
  const note = useMutation({
    mutationFn: (v: { channel: Interaction['channel']; summary: string }) => addInteraction(id, v),
    onSuccess: async () => {
      form.resetFields();
      await qc.invalidateQueries({ queryKey: crmKeys.customer360(id) });
    },
    onError: (e) => void message.error(errorMessage(t, e)),
  });

  if (view.error) return <QueryError error={view.error} onRetry={() => void view.refetch()} />;
  if (!view.data) return <Card loading />;
  const v: View = view.data;
  const c = v.customer;
  const msisdn = (lineId: string, masked: string) => revealed?.lines.find((l) => l.id === lineId)?.msisdn ?? masked;
  const when = (iso: string) => formatDateTime(iso, i18n.language);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card
        title={<span data-testid="c360-name">{c.name || t('common.notSet')}</span>}
        extra={hasPermission(me.data?.permissions, 'personal_data.view') && !revealed && (
          <Button data-testid="c360-unmask" loading={unmask.isPending} onClick={() => unmask.mutate()}>{t('console.crm.c360.unmask')}</Button>
        )}
      >
        <Descriptions column={{ xs: 1, md: 2, xl: 3 }} size="small" bordered>
          <Descriptions.Item label={t('console.crm.fields.phone')}><span data-testid="c360-phone">{revealed ? revealed.phone : c.phone}</span></Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.idNumber')}><span data-testid="c360-id-number">{(revealed ? revealed.idNumber : c.idNumber) ?? ''}</span></Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.category')}>{categoryLabel(c.category)}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.email')}>{c.email}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.birthDate')}>{c.birthDate}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.gender')}>{c.gender && t(`console.crm.gender.${c.gender}`)}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.address')}>{c.address}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.channel')}>{c.channel}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.externalId')}>{c.externalId}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.tags')}>{c.tags.map((x) => <Tag key={x}>{x}</Tag>)}</Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.consent')}>
            {(['sms', 'email', 'push'] as const).filter((k) => c.consent[k]).map((k) => <Tag key={k}>{t(`console.crm.consent.${k}`)}</Tag>)}
          </Descriptions.Item>
          <Descriptions.Item label={t('console.crm.fields.createdAt')}>{when(c.createdAt)}</Descriptions.Item>
        </Descriptions>
        {revealed && <Typography.Text type="warning" data-testid="c360-revealed">{t('console.crm.c360.revealedNote')}</Typography.Text>}
      </Card>

      <Card title={t('console.crm.c360.lines')}>
        {v.lines.length === 0 ? <Empty description={t('console.crm.c360.noLines')} /> : (
          <Table rowKey="id" size="small" pagination={false} dataSource={v.lines} data-testid="c360-lines"
            columns={[
              { title: t('console.crm.c360.msisdn'), dataIndex: 'id', render: (lineId: string, l) => <Link to={`/lines/${lineId}`} data-testid={`c360-line-${lineId}`}>{msisdn(lineId, l.msisdn)}</Link> },
              { title: t('console.crm.c360.plan'), render: (_, l) => (i18n.language === 'en' ? l.plan.nameEn : l.plan.nameZh) },
              { title: t('console.crm.c360.status'), dataIndex: 'status' },
              { title: t('console.crm.c360.balance'), render: (_, l) => formatMoney(l.balance.amount) },
              { title: t('console.crm.c360.usage'), render: (_, l) => v.usage.find((u) => u.lineId === l.id)?.totals.map((x) => `${t(`console.crm.usageKind.${x.kind}`)} ${usageText(x.kind, x.used)} / ${usageText(x.kind, x.allowance)}`).join(' · ') },
            ]} />
        )}
      </Card>

      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={t('console.crm.c360.recentUsage')}>
            <Table rowKey="id" size="small" pagination={false} dataSource={v.recentUsage}
              locale={{ emptyText: <Empty description={t('console.crm.c360.none')} /> }}
              columns={[
                { title: t('console.crm.c360.at'), dataIndex: 'startedAt', render: when },
                { title: t('console.crm.c360.type'), dataIndex: 'type', render: (k: 'data' | 'voice' | 'sms') => t(`console.crm.usageKind.${k}`) },
                { title: t('console.crm.c360.quantity'), render: (_, r) => usageText(r.type, r.quantity) },
                { title: t('console.crm.c360.charge'), render: (_, r) => formatMoney(r.charge.amount) },
              ]} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('console.crm.c360.orders')}>
            <Table rowKey="id" size="small" pagination={false} dataSource={v.orders}
              locale={{ emptyText: <Empty description={t('console.crm.c360.none')} /> }}
              columns={[
                { title: t('console.crm.c360.at'), dataIndex: 'at', render: when },
                { title: t('console.crm.c360.type'), dataIndex: 'kind', render: (k: string) => t(`console.crm.orderKind.${k as 'plan_change' | 'addon_purchase'}`) },
                { title: t('console.crm.c360.item'), dataIndex: 'title' },
                { title: t('console.crm.c360.charge'), render: (_, o) => formatMoney(o.amount.amount) },
                { title: t('console.crm.c360.status'), dataIndex: 'status' },
              ]} />
          </Card>
        </Col>
      </Row>

      <Row gutter={16}>
        <Col xs={24} xl={12}>
          <Card title={t('console.crm.c360.interactions')}>
            <Form form={form} layout="vertical" onFinish={(x) => note.mutate(x)} initialValues={{ channel: 'call_centre' }}>
              <Form.Item name="channel">
                <Select data-testid="interaction-channel" options={(['call_centre', 'business_hall', 'online', 'other'] as const).map((k) => ({ value: k, label: t(`console.crm.interactionChannel.${k}`) }))} />
              </Form.Item>
              <Form.Item name="summary" rules={[{ required: true, max: 2000 }]}>
                <Input.TextArea data-testid="interaction-summary" rows={2} placeholder={t('console.crm.c360.notePlaceholder')} />
              </Form.Item>
              <Button htmlType="submit" type="primary" loading={note.isPending} data-testid="interaction-save">{t('common.save')}</Button>
            </Form>
            <Table rowKey="id" size="small" pagination={false} dataSource={v.interactions} style={{ marginTop: 12 }}
              columns={[
                { title: t('console.crm.c360.at'), dataIndex: 'createdAt', render: when },
                { title: t('console.crm.c360.type'), dataIndex: 'channel', render: (k: Interaction['channel']) => t(`console.crm.interactionChannel.${k}`) },
                { title: t('console.crm.c360.staff'), dataIndex: 'staffName' },
                { title: t('console.crm.c360.summary'), dataIndex: 'summary' },
              ]} />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card title={t('console.crm.c360.timeline')}>
            <Timeline data-testid="c360-timeline" items={v.timeline.slice(0, 50).map((e) => ({ children: `${when(e.at)} · ${t(`console.crm.timeline.${e.kind}`)} ${e.kind === 'line_opened' ? msisdn(e.refId, e.title) : e.title}` }))} />
          </Card>
        </Col>
      </Row>
    </Space>
  );
}
