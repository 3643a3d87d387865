import { useState } from 'react';
import { Alert, App, Button, Card, Descriptions, Input, Progress, Select, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ImportJob, ImportMapping, ImportPreview } from '@telehall/contracts';
import { download, importJobQuery, startImport, uploadImport } from '../../api/crm';
import { errorMessage } from '../../shared/errors';

const TARGETS = ['name', 'phone', 'idNumber', 'birthDate', 'gender', 'email', 'address', 'category', 'channel', 'signupDate', 'monthlyChargeFen', 'tags', 'externalId', 'extra', 'ignore'] as const;
type Target = (typeof TARGETS)[number];

function Report({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const done = job.status === 'done';
  return (
    <Card title={t('console.crm.imports.report')} data-testid="import-report">
      <Progress percent={Math.round(job.progress * 100)} status={job.status === 'failed' ? 'exception' : done ? 'success' : 'active'} />
      <Descriptions column={{ xs: 1, md: 3 }} size="small" bordered>
        <Descriptions.Item label={t('console.crm.imports.status')}><span data-testid="import-status">{t(`console.crm.imports.statuses.${job.status}`)}</span></Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.rows')}>{job.rowsProcessed}</Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.inserted')}><span data-testid="import-inserted">{job.totals.inserted}</span></Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.updated')}><span data-testid="import-updated">{job.totals.updated}</span></Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.merged')}>{job.totals.merged}</Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.unchanged')}>{job.totals.unchanged}</Descriptions.Item>
        <Descriptions.Item label={t('console.crm.imports.rejected')}><span data-testid="import-rejected">{job.totals.rejected}</span></Descriptions.Item>
      </Descriptions>
      {job.replayed && <Alert style={{ marginTop: 12 }} type="info" message={t('console.crm.imports.replayed')} data-testid="import-replayed" />}
      {job.error && <Alert style={{ marginTop: 12 }} type="error" message={job.error} />}
      {done && job.totals.rejected > 0 && (
        <>
          <Space wrap style={{ margin: '12px 0' }}>
            {Object.entries(job.rejectedByCode).map(([code, n]) => <Tag key={code} color="red">{code}: {n}</Tag>)}
            <Button data-testid="import-download-rejected" onClick={() => void download(`/api/admin/imports/${job.id}/rejected.csv`, `rejected-${job.id}.csv`).catch((e: unknown) => void message.error(errorMessage(t, e)))}>
              {t('console.crm.imports.downloadRejected')}
            </Button>
          </Space>
          <Table rowKey="row" size="small" pagination={false} dataSource={job.rejectedSample} data-testid="import-rejected-rows"
            columns={[
              { title: t('console.crm.imports.row'), dataIndex: 'row' },
              { title: t('console.crm.imports.column'), dataIndex: 'column' },
              { title: t('console.crm.imports.code'), dataIndex: 'code' },
              { title: t('console.crm.imports.reason'), dataIndex: 'message' },
            ]} />
        </>
      )}
    </Card>
  );
}

/** Upload → preview and mapping (suggested or the channel's saved one, editable) → run as a job with progress → report. */
export default function Imports() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [channel, setChannel] = useState('business_hall');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [mapping, setMapping] = useState<ImportMapping | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [replayed, setReplayed] = useState(false);
  const job = useQuery({ ...importJobQuery(jobId ?? ''), enabled: jobId !== null });
  const up = useMutation({
    mutationFn: () => uploadImport(file!, channel),
    onSuccess: (p) => {
      setPreview(p);
      setMapping(p.mapping);
      setJobId(null);
    },
    onError: (e) => void message.error(errorMessage(t, e)),
  });
  const run = useMutation({
    mutationFn: () => startImport({ uploadId: preview!.uploadId, channel, mapping: mapping! }),
    onSuccess: (j) => {
      setReplayed(j.replayed);
      setJobId(j.id);
    },
    onError: (e) => void message.error(errorMessage(t, e)),
  });
  const setTarget = (col: string, target: Target) => setMapping((m) => (m ? { ...m, columns: { ...m.columns, [col]: target } } : m));

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={t('console.crm.imports.title')}>
        <Space wrap>
          <Input data-testid="import-channel" addonBefore={t('console.crm.fields.channel')} value={channel} maxLength={50} onChange={(e) => setChannel(e.target.value.trim())} />
          <input data-testid="import-file" type="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <Button type="primary" data-testid="import-upload" disabled={!file || !channel} loading={up.isPending} onClick={() => up.mutate()}>{t('console.crm.imports.upload')}</Button>
        </Space>
      </Card>
      {preview && mapping && (
        <Card title={t('console.crm.imports.mapping')} extra={<Tag data-testid="mapping-source">{t(`console.crm.imports.mappingSource.${preview.mappingSource}`)}</Tag>}>
          <Typography.Paragraph type="secondary">{preview.fileName} · {preview.format} · {preview.encoding} · {preview.sizeBytes} B</Typography.Paragraph>
          <Table size="small" pagination={false} scroll={{ x: true }} rowKey="row" data-testid="import-preview"
            dataSource={preview.rows}
            columns={preview.header.map((h, i) => ({
              key: h,
              title: (
                <Space direction="vertical" size={4}>
                  <span>{h}</span>
                  <Select<Target> size="small" virtual={false} style={{ minWidth: 120 }} data-testid={`map-${h}`} value={(mapping.columns[h] ?? 'extra')} onChange={(v) => setTarget(h, v)}
                    options={TARGETS.map((x) => ({ value: x, label: t(`console.crm.imports.targets.${x}`) }))} />
                </Space>
              ),
              render: (_: unknown, r: { cells: string[] }) => r.cells[i] ?? '',
            }))} />
          <Button style={{ marginTop: 12 }} type="primary" data-testid="import-run" loading={run.isPending} onClick={() => run.mutate()}>{t('console.crm.imports.run')}</Button>
        </Card>
      )}
      {job.data && <Report job={{ ...job.data, replayed }} />}
    </Space>
  );
}
