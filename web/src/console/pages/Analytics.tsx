import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Form, InputNumber, Progress, Radio, Row, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { FeatureInfo, Segment, Segmentation, SegmentationRequest } from '@telehall/contracts';
import { featureOverviewQuery, jobQuery, refreshFeatures, segmentationQuery, segmentCustomersQuery, startSegmentation } from '../../api/analytics';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { errorMessage } from '../../shared/errors';
import { EChart, type ChartOption } from '../components/charts/EChart';
import { QueryError } from '../components/QueryError';

/** Readable label of an encoded feature ("plan_code=plus88" → "套餐 = plus88"). */
export function useFeatureLabel(features: FeatureInfo[] | undefined) {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return useCallback((name: string) => {
    const [col, cat] = name.split('=');
    const f = features?.find((x) => x.name === col);
    const label = f ? (en ? f.label.en : f.label.zh) : col!;
    return cat === undefined ? label : `${label} = ${cat}`;
  }, [features, en]);
}

const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v).toLocaleString() : String(Math.round(v * 100) / 100));

export default function Analytics() {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const qc = useQueryClient();
  const overview = useQuery(featureOverviewQuery());
  const [mode, setMode] = useState<'k' | 'range'>('k');
  const [form] = Form.useForm<{ k: number; min: number; max: number; features: string[] }>();
  const [jobId, setJobId] = useState<string | null>(null);
  const [segId, setSegId] = useState('latest');
  const job = useQuery({ ...jobQuery(jobId ?? ''), enabled: jobId !== null });
  const jobDone = job.data?.status === 'done';
  useEffect(() => {
    if (jobDone) void qc.invalidateQueries({ queryKey: queryKeys.analytics.features() });
  }, [jobDone, qc]);
  const seg = useQuery(segmentationQuery(job.data?.status === 'done' && job.data.resultId ? job.data.resultId : segId));
  const label = useFeatureLabel(overview.data?.features);

  const refresh = useMutation({
    mutationFn: refreshFeatures,
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.analytics.features() }),
  });
  const run = useMutation({
    mutationFn: (body: SegmentationRequest) => startSegmentation(body),
    onSuccess: (j) => setJobId(j.id),
  });

  function submit(v: { k: number; min: number; max: number; features: string[] }) {
    if (job.data?.resultId) setSegId(job.data.resultId);
    const body: SegmentationRequest = mode === 'k' ? { k: v.k } : { kRange: { min: v.min, max: v.max } };
    run.mutate(v.features?.length ? { ...body, features: v.features } : body);
  }

  const defaults = overview.data?.features.filter((f) => f.segmentDefault).map((f) => f.name);
  const running = job.data && (job.data.status === 'queued' || job.data.status === 'running');
  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('console.analytics.title')} extra={
        <Space>
          <Typography.Text type="secondary" data-testid="features-snapshot">
            {overview.data?.snapshot ? t('console.analytics.snapshot', { version: overview.data.snapshot.version, count: overview.data.snapshot.customerCount, at: formatDateTime(overview.data.snapshot.computedAt, i18n.language) }) : t('console.analytics.noSnapshot')}
          </Typography.Text>
          <Button loading={refresh.isPending} onClick={() => refresh.mutate()} data-testid="features-refresh">{t('console.analytics.refresh')}</Button>
        </Space>
      }>
        {overview.error && <QueryError error={overview.error} onRetry={() => void overview.refetch()} />}
        {defaults && (
          <Form form={form} layout="inline" initialValues={{ k: 4, min: 2, max: 6, features: defaults }} onFinish={submit}>
            <Form.Item>
              <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as 'k' | 'range')} data-testid="seg-mode">
                <Radio.Button value="k">{t('console.analytics.fixedK')}</Radio.Button>
                <Radio.Button value="range">{t('console.analytics.kRange')}</Radio.Button>
              </Radio.Group>
            </Form.Item>
            {mode === 'k' ? (
              <Form.Item name="k" label="k"><InputNumber min={2} max={20} data-testid="seg-k" /></Form.Item>
            ) : (
              <>
                <Form.Item name="min" label={t('console.analytics.kMin')}><InputNumber min={2} max={20} /></Form.Item>
                <Form.Item name="max" label={t('console.analytics.kMax')}><InputNumber min={2} max={20} /></Form.Item>
              </>
            )}
            <Form.Item name="features" label={t('console.analytics.features')} style={{ minWidth: 360 }}>
              <Select mode="multiple" maxTagCount={3} options={overview.data?.features.map((f) => ({ value: f.name, label: en ? f.label.en : f.label.zh }))} />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={run.isPending || !!running} data-testid="seg-run">{t('console.analytics.run')}</Button>
            </Form.Item>
          </Form>
        )}
        {run.error && <Alert type="error" showIcon message={errorMessage(t, run.error)} style={{ marginTop: 16 }} />}
        {job.data && (
          <div style={{ marginTop: 16 }}>
            <Progress percent={Math.round(job.data.progress * 100)} status={job.data.status === 'failed' ? 'exception' : job.data.status === 'done' ? 'success' : 'active'} data-testid="seg-progress" />
            {job.data.error && <Alert type="error" showIcon message={job.data.error.message} />}
          </div>
        )}
      </Card>
      {seg.error && <QueryError error={seg.error} onRetry={() => void seg.refetch()} />}
      {seg.data === null && <Alert type="info" showIcon message={t('console.analytics.none')} />}
      {seg.data && <SegmentationView key={seg.data.id} seg={seg.data} label={label} />}
    </Space>
  );
}

function SegmentationView({ seg, label }: { seg: Segmentation; label: (name: string) => string }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const name = (s: Segment) => `${s.idx + 1}. ${en ? s.name.en : s.name.zh}`;
  // Start with the largest segment.
  const [picked, setPicked] = useState(() => seg.segments.reduce((best, s) => (s.size > seg.segments[best]!.size ? s.idx : best), 0));
  const [page, setPage] = useState(1);
  const customers = useQuery(segmentCustomersQuery(seg.id, picked, page));

  const pie = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
    legend: { bottom: 0, type: 'scroll' },
    series: [{ type: 'pie', radius: ['35%', '65%'], data: seg.segments.map((s) => ({ name: name(s), value: s.size })) }],
  }), [seg, en, label]);
  const bars = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0, type: 'scroll' },
    grid: { left: 48, right: 16, top: 16, bottom: 90 },
    xAxis: { type: 'category', data: seg.features.map(label), axisLabel: { rotate: 30, interval: 0, fontSize: 11 } },
    yAxis: { type: 'value', name: 'z' },
    series: seg.segments.map((s) => ({ type: 'bar', name: name(s), data: s.centroidZ.map((v) => Math.round(v * 100) / 100) })),
  }), [seg, en, label]);

  const featureCols = seg.features.map((f, i) => ({ title: label(f), key: f, width: 120, render: (_: unknown, s: Segment) => round(s.centroid[i]!) }));
  return (
    <>
      <Card title={t('console.analytics.result', { version: seg.version, k: seg.k, count: seg.customerCount })} extra={
        <Typography.Text type="secondary">{t('console.analytics.quality', { inertia: round(seg.inertia), silhouette: seg.silhouette === null ? '–' : seg.silhouette.toFixed(3) })}</Typography.Text>
      }>
        <Row gutter={16}>
          <Col xs={24} lg={10}><Typography.Title level={5}>{t('console.analytics.sizes')}</Typography.Title><EChart option={pie} testId="seg-pie" /></Col>
          <Col xs={24} lg={14}><Typography.Title level={5}>{t('console.analytics.centroids')}</Typography.Title><EChart option={bars} testId="seg-centroids" /></Col>
        </Row>
        {seg.search && (
          <Table size="small" rowKey="k" pagination={false} style={{ marginTop: 16 }} dataSource={seg.search} data-testid="seg-search"
            columns={[
              { title: 'k', dataIndex: 'k', render: (k: number) => (k === seg.k ? <Tag color="blue">{k}</Tag> : k) },
              { title: t('console.analytics.inertia'), dataIndex: 'inertia', render: round },
              { title: t('console.analytics.silhouette'), dataIndex: 'silhouette', render: (v: number | null) => (v === null ? '–' : v.toFixed(3)) },
            ]} />
        )}
      </Card>
      <Card title={t('console.analytics.profile')}>
        <Table<Segment> size="small" rowKey="idx" pagination={false} dataSource={seg.segments} scroll={{ x: 'max-content' }} data-testid="seg-profile"
          onRow={(s) => ({ onClick: () => { setPicked(s.idx); setPage(1); } })}
          columns={[
            { title: t('console.analytics.segment'), key: 'name', fixed: 'left', render: (_, s) => <a data-testid={`seg-name-${s.idx}`}>{name(s)}</a> },
            { title: t('console.analytics.size'), dataIndex: 'size' },
            { title: t('console.analytics.share'), dataIndex: 'share', render: (v: number) => `${Math.round(v * 1000) / 10}%` },
            { title: t('console.analytics.standouts'), key: 'top', render: (_, s) => s.topFeatures.filter((f) => Math.abs(f.z) >= 0.25).slice(0, 3).map((f) => <Tag key={f.feature} color={f.z > 0 ? 'red' : 'blue'}>{label(f.feature)} {f.z > 0 ? '↑' : '↓'}</Tag>) },
            ...featureCols,
          ]} />
      </Card>
      <Card title={t('console.analytics.customers', { name: seg.segments[picked] ? name(seg.segments[picked]) : '' })}>
        {customers.error && <QueryError error={customers.error} onRetry={() => void customers.refetch()} />}
        <Table size="small" rowKey="customerId" loading={customers.isLoading} dataSource={customers.data?.items} data-testid="seg-customers"
          pagination={{ current: page, pageSize: 10, total: customers.data?.total ?? 0, onChange: setPage, showSizeChanger: false }}
          columns={[
            { title: t('fields.name'), dataIndex: 'name' },
            { title: t('fields.phone'), dataIndex: 'phone' },
            { title: t('console.analytics.customerId'), dataIndex: 'customerId', render: (v: string) => <Typography.Text copyable code>{v}</Typography.Text> },
            { title: t('console.analytics.distance'), dataIndex: 'distance', render: (v: number) => v.toFixed(2) },
          ]} />
      </Card>
    </>
  );
}
