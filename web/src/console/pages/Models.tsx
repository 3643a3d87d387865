import { useMemo, useState } from 'react';
import { Alert, Button, Card, Col, Descriptions, Form, Input, InputNumber, Row, Select, Space, Statistic, Table, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Model, TrainRequest } from '@telehall/contracts';
import { ApiError } from '../../api/client';
import { featureOverviewQuery, modelQuery, modelsQuery, predictionQuery, telcoQuery, trainModel } from '../../api/analytics';
import { queryKeys } from '../../api/keys';
import { formatDateTime } from '../../lib/dates';
import { errorMessage } from '../../shared/errors';
import { EChart, type ChartOption } from '../components/charts/EChart';
import { QueryError } from '../components/QueryError';
import { useFeatureLabel } from './Analytics';

const pct = (v: number | null) => (v === null ? '–' : (Math.round(v * 1000) / 10).toFixed(1) + '%');

export default function Models() {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const models = useQuery(modelsQuery());
  const overview = useQuery(featureOverviewQuery());
  const label = useFeatureLabel(overview.data?.features);
  const [picked, setPicked] = useState<string | null>(null);
  const modelId = picked ?? models.data?.[0]?.id ?? null;
  const model = useQuery({ ...modelQuery(modelId ?? ''), enabled: modelId !== null });
  const train = useMutation({
    mutationFn: (body: TrainRequest) => trainModel(body),
    onSuccess: async (m) => {
      qc.setQueryData(queryKeys.analytics.model(m.id), m);
      setPicked(m.id);
      await qc.invalidateQueries({ queryKey: queryKeys.analytics.models() });
    },
  });
  const labels = train.error instanceof ApiError && train.error.code === 'not_enough_labels' ? (train.error.details as { positives: number; negatives: number; needed: number }) : null;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      <Card title={t('console.models.title')}>
        <Form<TrainRequest> layout="inline" initialValues={{ target: 'churn', maxDepth: 4, minSamplesLeaf: 2, criterion: 'gini', classWeight: 'balanced' }} onFinish={(v) => train.mutate(v)}>
          <Form.Item name="target" label={t('console.models.target')}>
            <Select style={{ width: 140 }} data-testid="model-target" options={[{ value: 'churn', label: t('console.models.churn') }, { value: 'purchase', label: t('console.models.purchase') }]} />
          </Form.Item>
          <Form.Item name="maxDepth" label={t('console.models.maxDepth')}><InputNumber min={1} max={20} /></Form.Item>
          <Form.Item name="minSamplesLeaf" label={t('console.models.minSamplesLeaf')}><InputNumber min={1} max={1000} /></Form.Item>
          <Form.Item name="criterion" label={t('console.models.criterion')}><Select style={{ width: 110 }} options={[{ value: 'gini', label: 'gini' }, { value: 'entropy', label: 'entropy' }]} /></Form.Item>
          <Form.Item name="classWeight" label={t('console.models.classWeight')}><Select style={{ width: 120 }} options={[{ value: 'balanced', label: 'balanced' }, { value: 'none', label: t('console.models.none') }]} /></Form.Item>
          <Form.Item><Button type="primary" htmlType="submit" loading={train.isPending} data-testid="model-train">{t('console.models.train')}</Button></Form.Item>
        </Form>
        {labels && <Alert style={{ marginTop: 16 }} type="warning" showIcon data-testid="model-not-enough" message={t('console.models.notEnough', labels)} />}
        {train.error && !labels && <Alert style={{ marginTop: 16 }} type="error" showIcon message={errorMessage(t, train.error)} />}
      </Card>
      {models.error && <QueryError error={models.error} onRetry={() => void models.refetch()} />}
      {models.data && models.data.length > 0 && (
        <Select style={{ width: 420 }} value={modelId} onChange={setPicked} data-testid="model-pick"
          options={models.data.map((m) => ({ value: m.id, label: `${t(`console.models.${m.target}`)} v${m.version} · F1 ${pct(m.metrics.f1)} · ${formatDateTime(m.createdAt, i18n.language)}` }))} />
      )}
      {model.data && <ModelView model={model.data} label={label} />}
      <PredictionLookup />
      <TelcoCard />
    </Space>
  );
}

function ModelView({ model, label }: { model: Model; label: (n: string) => string }) {
  const { t, i18n } = useTranslation();
  const m = model.metrics;
  const importance = useMemo<ChartOption>(() => {
    const top = model.importances.slice(0, 12).reverse();
    return {
      tooltip: { trigger: 'axis' }, grid: { left: 160, right: 24, top: 8, bottom: 24 },
      xAxis: { type: 'value' }, yAxis: { type: 'category', data: top.map((x) => label(x.feature)) },
      series: [{ type: 'bar', data: top.map((x) => Math.round(x.importance * 1000) / 1000) }],
    };
  }, [model, label]);
  const tree = useMemo<ChartOption>(() => ({
    tooltip: { trigger: 'item' },
    series: [{ type: 'tree', data: [treeData(model, 0, label)], top: 24, left: 80, bottom: 24, right: 160, orient: 'LR', initialTreeDepth: -1, symbolSize: 10, label: { position: 'left', fontSize: 11 }, leaves: { label: { position: 'right' } }, expandAndCollapse: true }],
  }), [model, label]);
  return (
    <>
      <Card title={t('console.models.model', { target: t(`console.models.${model.target}`), version: model.version })}>
        <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label={t('console.models.cutoff')}>{formatDateTime(model.cutoff, i18n.language)} → {formatDateTime(model.labelWindowEnd, i18n.language)}</Descriptions.Item>
          <Descriptions.Item label={t('console.models.labels')}>{t('console.models.labelCounts', model.labelCounts)}</Descriptions.Item>
          <Descriptions.Item label={t('console.models.scored')}>{model.scored}</Descriptions.Item>
        </Descriptions>
        <Row gutter={16} data-testid="model-metrics">
          {([['accuracy', m.accuracy], ['precision', m.precision], ['recall', m.recall], ['f1', m.f1], ['auc', m.auc]] as const).map(([k, v]) => (
            <Col key={k} xs={12} md={4}><Card size="small"><Statistic title={t(`console.models.metric.${k}`)} value={pct(v)} /></Card></Col>
          ))}
          <Col xs={24} md={4}>
            <Table size="small" pagination={false} rowKey="actual" data-testid="model-confusion" title={() => t('console.models.confusion')}
              dataSource={[{ actual: t('console.models.actualNo'), p0: m.confusion[0]![0], p1: m.confusion[0]![1] }, { actual: t('console.models.actualYes'), p0: m.confusion[1]![0], p1: m.confusion[1]![1] }]}
              columns={[{ title: '', dataIndex: 'actual' }, { title: t('console.models.predNo'), dataIndex: 'p0' }, { title: t('console.models.predYes'), dataIndex: 'p1' }]} />
          </Col>
        </Row>
      </Card>
      <Row gutter={16}>
        <Col xs={24} lg={10}><Card title={t('console.models.importance')}><EChart option={importance} testId="model-importance" /></Card></Col>
        <Col xs={24} lg={14}><Card title={t('console.models.tree')}><EChart option={tree} height={420} testId="model-tree" /></Card></Col>
      </Row>
    </>
  );
}

interface TreeDatum { name: string; value: number; children?: TreeDatum[] }
function treeData(model: Model, i: number, label: (n: string) => string, edge = ''): TreeDatum {
  const n = model.tree.nodes[i]!;
  const p = n.proba[1] ?? 0;
  if (n.feature < 0) return { name: `${edge}p=${p.toFixed(2)} (${n.samples})`, value: n.samples };
  const f = label(model.featureNames[n.feature] ?? `x${n.feature}`);
  const th = Math.round(n.threshold * 100) / 100;
  return {
    name: `${edge}${f} ≤ ${th}?`, value: n.samples,
    children: [treeData(model, n.left, label, '✓ '), treeData(model, n.right, label, '✗ ')],
  };
}

function PredictionLookup() {
  const { t } = useTranslation();
  const [id, setId] = useState('');
  const q = useQuery(predictionQuery(id));
  return (
    <Card title={t('console.models.lookup')}>
      <Input.Search style={{ maxWidth: 460 }} placeholder={t('console.models.customerId')} enterButton={t('console.models.predict')} data-testid="predict-customer"
        onSearch={(v) => setId(v.trim())} />
      {q.error && <Alert style={{ marginTop: 12 }} type="error" showIcon message={errorMessage(t, q.error)} />}
      {q.data && (
        <div style={{ marginTop: 12 }} data-testid="predict-result">
          {q.data.predictions.length === 0 && <Typography.Text type="secondary">{t('console.models.noModels')}</Typography.Text>}
          {q.data.predictions.map((p) => (
            <Alert key={p.modelId} style={{ marginBottom: 8 }} type={p.score >= 0.5 ? 'warning' : 'info'} showIcon
              message={`${t(`console.models.${p.target}`)} v${p.version}: ${pct(p.score)}`} description={<span data-testid="predict-reason">{p.reason}</span>} />
          ))}
        </div>
      )}
    </Card>
  );
}

function TelcoCard() {
  const { t } = useTranslation();
  const q = useQuery(telcoQuery());
  const rows = q.data ? (['accuracy', 'precision', 'recall', 'f1', 'auc'] as const).map((k) => ({ k, ours: q.data.ours[k], sklearn: q.data.sklearn[k] })) : [];
  return (
    <Card title={t('console.models.telco')} extra={<Button loading={q.isFetching} onClick={() => void q.refetch()} data-testid="telco-run">{t('console.models.telcoRun')}</Button>}>
      {q.error && <Alert type="error" showIcon message={errorMessage(t, q.error)} />}
      {q.data && (
        <>
          <Typography.Paragraph type="secondary">{t('console.models.telcoAbout', { rows: q.data.rows, features: q.data.features, split: q.data.split, params: q.data.params })}</Typography.Paragraph>
          <Table size="small" pagination={false} rowKey="k" dataSource={rows} data-testid="telco-table"
            columns={[{ title: '', dataIndex: 'k', render: (k: string) => t(`console.models.metric.${k}` as 'console.models.metric.f1') }, { title: 'Telehall', dataIndex: 'ours', render: (v: number) => v.toFixed(4) }, { title: 'scikit-learn 1.2', dataIndex: 'sklearn', render: (v: number) => v.toFixed(4) }]} />
        </>
      )}
    </Card>
  );
}
