import { useMemo, useState } from 'react';
import { Alert, App, Button, Card, Col, Descriptions, Input, Popconfirm, Row, Space, Spin, Statistic, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Campaign, CampaignReport } from '@telehall/contracts';
import { campaignQuery, campaignReportQuery, campaignStep, testSendCampaign, type CampaignStep } from '../../../api/campaigns';
import { queryKeys } from '../../../api/keys';
import { staffMeQuery } from '../../../api/staff';
import { formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { EChart } from '../../components/charts/EChart';
import { hasPermission } from '../../components/RequirePermission';
import { QueryError } from '../../components/QueryError';
import { STATUS_COLOR } from './Campaigns';

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

/** Funnel, arms, uplift, variants and daily conversions, with ECharts. */
function Report({ r }: { r: CampaignReport }) {
  const { t, i18n } = useTranslation();
  const f = r.funnel;
  const funnelOption = useMemo(() => {
    const steps = [['audience', f.audience], ['treated', f.treated], ['sent', f.sent], ['delivered', f.delivered], ['opened', f.opened], ['clicked', f.clicked], ['converted', f.converted]] as const;
    return {
      tooltip: {}, grid: { left: 90, right: 20, top: 10, bottom: 20 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', inverse: true, data: steps.map(([k]) => t(`campaigns.funnel.${k}`)) },
      series: [{ type: 'bar', data: steps.map(([, v]) => v), label: { show: true, position: 'right' } }],
    };
  }, [f, t]);
  const armOption = useMemo(() => ({
    tooltip: {}, legend: {}, grid: { left: 50, right: 50, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: [t('campaigns.treatment'), t('campaigns.control')] },
    yAxis: [{ type: 'value', name: '%' }, { type: 'value', name: '¥' }],
    series: [
      { name: t('campaigns.conversionRate'), type: 'bar', data: [r.treatment.rate * 100, r.control.rate * 100].map((x) => Math.round(x * 100) / 100) },
      { name: t('campaigns.revenue'), type: 'bar', yAxisIndex: 1, data: [r.treatment.revenue.amount / 100, r.control.revenue.amount / 100] },
    ],
  }), [r, t]);
  const variantOption = useMemo(() => ({
    tooltip: {}, grid: { left: 50, right: 20, top: 20, bottom: 30 },
    xAxis: { type: 'category', data: r.variants.map((v) => v.key) }, yAxis: { type: 'value', name: '%' },
    series: [{ name: t('campaigns.conversionRate'), type: 'bar', data: r.variants.map((v) => Math.round(v.rate * 10_000) / 100), label: { show: true, position: 'top' } }],
  }), [r, t]);
  const dailyOption = useMemo(() => ({
    tooltip: { trigger: 'axis' }, legend: {}, grid: { left: 40, right: 20, top: 40, bottom: 30 },
    xAxis: { type: 'category', data: r.daily.map((d) => d.day) }, yAxis: { type: 'value' },
    series: [{ name: t('campaigns.treatment'), type: 'bar', data: r.daily.map((d) => d.treatment) }, { name: t('campaigns.control'), type: 'bar', data: r.daily.map((d) => d.control) }],
  }), [r, t]);
  const u = r.uplift;
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle" data-testid="campaign-report">
      <Typography.Text type="secondary">{t('campaigns.asOf', { at: formatDateTime(r.asOf, i18n.language) })}</Typography.Text>
      <Row gutter={16}>
        <Col span={4}><Statistic title={t('campaigns.funnel.audience')} value={f.audience} valueRender={(n) => <span data-testid="report-audience">{n}</span>} /></Col>
        <Col span={4}><Statistic title={t('campaigns.funnel.sent')} value={f.sent} valueRender={(n) => <span data-testid="report-sent">{n}</span>} /></Col>
        <Col span={4}><Statistic title={t('campaigns.funnel.taken')} value={f.taken} valueRender={(n) => <span data-testid="report-taken">{n}</span>} /></Col>
        <Col span={4}><Statistic title={t('campaigns.funnel.converted')} value={f.converted} valueRender={(n) => <span data-testid="report-converted">{n}</span>} /></Col>
        <Col span={4}><Statistic title={t('campaigns.suppressedConsent')} value={f.suppressedConsent} /></Col>
        <Col span={4}><Statistic title={t('campaigns.suppressedCap')} value={f.suppressedCap} /></Col>
      </Row>
      <Alert type={u.significant ? 'success' : 'info'} showIcon data-testid="report-uplift"
        message={t('campaigns.upliftLine', { pp: u.pp.toFixed(2), low: u.low.toFixed(2), high: u.high.toFixed(2) })}
        description={u.significant ? t('campaigns.significant') : t('campaigns.notSignificant')} />
      <Table size="small" pagination={false} rowKey="arm"
        dataSource={[{ arm: 'treatment', ...r.treatment }, { arm: 'control', ...r.control }]}
        columns={[
          { title: t('campaigns.arm'), dataIndex: 'arm', render: (a: string) => t(`campaigns.${a}` as 'campaigns.treatment') },
          { title: t('campaigns.subscribers'), dataIndex: 'n', align: 'right' },
          { title: t('campaigns.funnel.converted'), dataIndex: 'converted', align: 'right' },
          { title: t('campaigns.conversionRate'), dataIndex: 'rate', align: 'right', render: pct },
          { title: t('campaigns.revenue'), dataIndex: 'revenue', align: 'right', render: (m: { amount: number }) => formatMoney(m.amount) },
        ]} />
      <Row gutter={16}>
        <Col span={12}><Card size="small" title={t('campaigns.funnelTitle')}><EChart option={funnelOption} height={260} testId="chart-funnel" /></Card></Col>
        <Col span={12}><Card size="small" title={t('campaigns.armsTitle')}><EChart option={armOption} height={260} testId="chart-arms" /></Card></Col>
        <Col span={12}><Card size="small" title={t('campaigns.variantsTitle')}><EChart option={variantOption} height={240} testId="chart-variants" /></Card></Col>
        <Col span={12}><Card size="small" title={t('campaigns.dailyTitle')}><EChart option={dailyOption} height={240} testId="chart-daily" /></Card></Col>
      </Row>
      <Table size="small" pagination={false} rowKey="key" dataSource={r.variants} title={() => t('campaigns.variantsTitle')}
        columns={[
          { title: t('campaigns.variantKey'), dataIndex: 'key' }, { title: t('campaigns.subscribers'), dataIndex: 'n', align: 'right' },
          { title: t('campaigns.funnel.sent'), dataIndex: 'sent', align: 'right' }, { title: t('campaigns.funnel.opened'), dataIndex: 'opened', align: 'right' },
          { title: t('campaigns.funnel.converted'), dataIndex: 'converted', align: 'right' }, { title: t('campaigns.conversionRate'), dataIndex: 'rate', align: 'right', render: pct },
          { title: t('campaigns.revenue'), dataIndex: 'revenue', align: 'right', render: (m: { amount: number }) => formatMoney(m.amount) },
        ]} />
      <Table size="small" pagination={false} rowKey="channel" dataSource={r.channels} title={() => t('campaigns.channelsTitle')}
        columns={[
          { title: t('campaigns.channel'), dataIndex: 'channel', render: (c: string) => t(`channels.${c}` as 'channels.sms') },
          { title: t('campaigns.queued'), dataIndex: 'queued', align: 'right' }, { title: t('campaigns.funnel.delivered'), dataIndex: 'delivered', align: 'right' },
          { title: t('campaigns.read'), dataIndex: 'read', align: 'right' }, { title: t('campaigns.failed'), dataIndex: 'failed', align: 'right' },
        ]} />
      <Table size="small" pagination={false} rowKey="runNo" dataSource={r.runs} title={() => t('campaigns.runsTitle')}
        columns={[
          { title: '#', dataIndex: 'runNo' }, { title: t('campaigns.status'), dataIndex: 'status' },
          { title: t('campaigns.funnel.audience'), dataIndex: 'audience', align: 'right' }, { title: t('campaigns.funnel.treated'), dataIndex: 'treated', align: 'right' },
          { title: t('campaigns.enqueued'), dataIndex: 'enqueued', align: 'right' },
          { title: t('campaigns.startedAt'), dataIndex: 'startedAt', render: (v: string) => formatDateTime(v, i18n.language) },
          { title: t('campaigns.finishedAt'), dataIndex: 'finishedAt', render: (v: string | null) => formatDateTime(v, i18n.language) },
        ]} />
    </Space>
  );
}

/** A campaign: what it targets and offers, its approval steps, a test send, and the live report. */
export default function CampaignDetail() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const id = useParams().id ?? '';
  const me = useQuery(staffMeQuery());
  const c = useQuery({ ...campaignQuery(id), refetchInterval: (q) => (q.state.data?.status === 'running' ? 5000 : false) });
  const live = c.data?.status === 'running' || c.data?.status === 'paused' || c.data?.status === 'completed';
  const report = useQuery({ ...campaignReportQuery(id, c.data?.status === 'running' || c.data?.status === 'completed'), enabled: !!live });
  const [phone, setPhone] = useState('');
  const step = useMutation({
    mutationFn: (s: CampaignStep) => campaignStep(id, s),
    onSuccess: async (x: Campaign) => {
      message.success(t(`campaigns.statuses.${x.status}` as 'campaigns.statuses.draft'));
      await qc.invalidateQueries({ queryKey: queryKeys.campaigns.all });
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const test = useMutation({
    mutationFn: () => testSendCampaign(id, phone),
    onSuccess: (r) => message.success(t('campaigns.testSent', { count: r.sent })),
    onError: (err) => message.error(errorMessage(t, err)),
  });
  if (!c.data) return c.error ? <QueryError error={c.error} onRetry={() => void c.refetch()} /> : <Spin />;
  const x = c.data;
  const can = (p: string) => hasPermission(me.data?.permissions, p);
  const btn = (s: CampaignStep, label: string, perm: string, primary = false) =>
    can(perm) && <Button key={s} type={primary ? 'primary' : 'default'} data-testid={`campaign-${s}`} loading={step.isPending && step.variables === s} onClick={() => step.mutate(s)}>{label}</Button>;
  const offer = x.offer.kind === 'addon' ? `${t('campaigns.offerKinds.addon')} −${x.offer.discountPct}%` : x.offer.kind === 'points' ? `${t('campaigns.offerKinds.points')} ${x.offer.points}` : t('campaigns.offerKinds.coupon');

  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }} wrap>
        <Space>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="campaign-title">{x.name}</Typography.Title>
          <Tag color={STATUS_COLOR[x.status]} data-testid="campaign-status">{t(`campaigns.statuses.${x.status}` as 'campaigns.statuses.draft')}</Tag>
        </Space>
        <Space wrap>
          {x.status === 'draft' && can('campaigns.manage') && <Button data-testid="campaign-edit" onClick={() => void navigate(`/campaigns/${id}/edit`)}>{t('common.edit')}</Button>}
          {x.status === 'draft' && btn('submit', t('campaigns.submit'), 'campaigns.manage', true)}
          {(x.status === 'pending_approval' || x.status === 'approved') && btn('withdraw', t('campaigns.withdraw'), 'campaigns.manage')}
          {x.status === 'pending_approval' && btn('approve', t('campaigns.approve'), 'campaigns.approve', true)}
          {x.status === 'approved' && btn('launch', t('campaigns.launch'), 'campaigns.manage', true)}
          {x.status === 'running' && btn('pause', t('campaigns.pause'), 'campaigns.manage')}
          {x.status === 'paused' && btn('resume', t('campaigns.resume'), 'campaigns.manage')}
          {!['completed', 'cancelled'].includes(x.status) && can('campaigns.manage') && (
            <Popconfirm title={t('campaigns.cancelConfirm')} onConfirm={() => step.mutate('cancel')}><Button danger>{t('campaigns.cancel')}</Button></Popconfirm>
          )}
        </Space>
      </Space>
      <Descriptions bordered size="small" column={3}>
        <Descriptions.Item label={t('campaigns.offer')}>{offer}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.channels')}>{x.channels.map((ch) => t(`channels.${ch}` as 'channels.sms')).join(' · ')}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.schedule')}>{t(`campaigns.scheduleShort.${x.schedule.kind}` as 'campaigns.scheduleShort.once')}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.holdoutPct')}>{x.holdoutPct}% (seed {x.seed})</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.attributionDays')}>{x.attributionDays}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.variantsTitle')}>{x.variants.map((v) => `${v.key}×${v.weight}`).join(' / ')}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.createdBy')}>{x.createdBy}</Descriptions.Item>
        <Descriptions.Item label={t('campaigns.approvedBy')}><span data-testid="campaign-approved-by">{x.approvedBy ?? '—'}</span></Descriptions.Item>
        <Descriptions.Item label={t('campaigns.rules')}>{x.audience.rules.length ? x.audience.rules.map((r) => t(`campaigns.ruleKinds.${r.kind}` as 'campaigns.ruleKinds.plan')).join(x.audience.combine === 'and' ? ' ∧ ' : ' ∨ ') : t('campaigns.everyone')}</Descriptions.Item>
      </Descriptions>
      {x.variants.map((v) => (
        <Card key={v.key} size="small" title={t('campaigns.variant', { key: v.key })}>
          <Typography.Text strong>{v.titleZh}</Typography.Text> — {v.bodyZh}<br />
          <Typography.Text strong>{v.titleEn}</Typography.Text> — {v.bodyEn}
        </Card>
      ))}
      {can('campaigns.manage') && !['completed', 'cancelled'].includes(x.status) && (
        <Card size="small" title={t('campaigns.testSend')}>
          <Space>
            <Input placeholder="13800000000" value={phone} onChange={(e) => setPhone(e.target.value)} style={{ width: 180 }} data-testid="test-send-phone" />
            <Button onClick={() => test.mutate()} disabled={!/^1[3-9]\d{9}$/.test(phone)} loading={test.isPending} data-testid="test-send">{t('campaigns.testSendButton')}</Button>
            <Typography.Text type="secondary">{t('campaigns.testSendHelp')}</Typography.Text>
          </Space>
        </Card>
      )}
      {live && (report.data ? <Report r={report.data} /> : report.error ? <QueryError error={report.error} onRetry={() => void report.refetch()} /> : <Spin />)}
    </Space>
  );
}
