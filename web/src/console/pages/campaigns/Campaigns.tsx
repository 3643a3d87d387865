import { App, Button, Card, Form, InputNumber, Space, Table, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { CampaignSettings, CampaignSummary } from '@telehall/contracts';
import { campaignSettingsQuery, campaignsQuery, saveCampaignSettings } from '../../../api/campaigns';
import { queryKeys } from '../../../api/keys';
import { staffMeQuery } from '../../../api/staff';
import { formatDateTime } from '../../../lib/dates';
import { errorMessage } from '../../../shared/errors';
import { hasPermission } from '../../components/RequirePermission';
import { QueryError } from '../../components/QueryError';

export const STATUS_COLOR: Record<string, string> = { draft: 'default', pending_approval: 'gold', approved: 'cyan', running: 'processing', paused: 'orange', completed: 'green', cancelled: 'red' };

/** Frequency cap across campaigns (approvers change it). */
function Settings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const me = useQuery(staffMeQuery());
  const s = useQuery(campaignSettingsQuery());
  const save = useMutation({
    mutationFn: (v: CampaignSettings) => saveCampaignSettings(v),
    onSuccess: async () => {
      message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: queryKeys.campaigns.settings() });
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  if (!s.data) return s.error ? <QueryError error={s.error} /> : null;
  const editable = hasPermission(me.data?.permissions, 'campaigns.approve');
  return (
    <Card size="small" title={t('campaigns.guardRails')}>
      <Form layout="inline" initialValues={s.data} onFinish={(v: CampaignSettings) => save.mutate(v)} disabled={!editable}>
        <Form.Item name="frequencyCap" label={t('campaigns.frequencyCap')}><InputNumber min={1} max={100} /></Form.Item>
        <Form.Item name="frequencyDays" label={t('campaigns.frequencyDays')}><InputNumber min={1} max={365} /></Form.Item>
        {editable && <Button htmlType="submit" loading={save.isPending}>{t('common.save')}</Button>}
      </Form>
      <Typography.Text type="secondary">{t('campaigns.guardRailsHelp')}</Typography.Text>
    </Card>
  );
}

/** Every campaign with its state, audience and messages sent. */
export default function Campaigns() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const me = useQuery(staffMeQuery());
  const list = useQuery({ ...campaignsQuery(), refetchInterval: 10_000 });
  return (
    <Space direction="vertical" style={{ width: '100%' }} size="middle">
      <Space style={{ justifyContent: 'space-between', width: '100%' }}>
        <Typography.Title level={3} style={{ margin: 0 }}>{t('campaigns.title')}</Typography.Title>
        {hasPermission(me.data?.permissions, 'campaigns.manage') && <Button type="primary" data-testid="campaign-new" onClick={() => void navigate('/campaigns/new')}>{t('campaigns.new')}</Button>}
      </Space>
      <Settings />
      {list.error && <QueryError error={list.error} onRetry={() => void list.refetch()} />}
      <Table<CampaignSummary>
        rowKey="id" loading={list.isLoading} dataSource={list.data?.items ?? []} pagination={{ pageSize: 20 }} data-testid="campaign-table"
        onRow={(r) => ({ onClick: () => void navigate(`/campaigns/${r.id}`), style: { cursor: 'pointer' } })}
        columns={[
          { title: t('campaigns.name'), dataIndex: 'name', render: (v: string) => <a data-testid="campaign-row">{v}</a> },
          { title: t('campaigns.status'), dataIndex: 'status', render: (v: string) => <Tag color={STATUS_COLOR[v]}>{t(`campaigns.statuses.${v}` as 'campaigns.statuses.draft')}</Tag> },
          { title: t('campaigns.offerKind'), dataIndex: 'offerKind', render: (v: string) => t(`campaigns.offerKinds.${v}` as 'campaigns.offerKinds.addon') },
          { title: t('campaigns.schedule'), dataIndex: 'scheduleKind', render: (v: string) => t(`campaigns.scheduleShort.${v}` as 'campaigns.scheduleShort.once') },
          { title: t('campaigns.audienceSize'), dataIndex: 'audience', align: 'right' },
          { title: t('campaigns.sent'), dataIndex: 'sent', align: 'right' },
          { title: t('campaigns.createdBy'), dataIndex: 'createdBy' },
          { title: t('campaigns.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatDateTime(v, i18n.language) },
        ]}
      />
    </Space>
  );
}
