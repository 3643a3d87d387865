import { useState } from 'react';
import { App, Button, Card, Col, Form, Input, InputNumber, Modal, Row, Select, Space, Statistic, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { EarningRule, RewardKind, Reward, RuleKind } from '@telehall/contracts';
import { queryKeys } from '../../../api/keys';
import { adminRewardsQuery, adminRulesQuery, createReward, dashboardQuery, saveRule, updateReward } from '../../../api/loyalty';
import { formatDateTime } from '../../../lib/dates';
import { formatMoney } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryError } from '../../components/QueryError';

const RULE_KINDS: RuleKind[] = ['base', 'multiplier', 'first_topup', 'checkin', 'limit'];
const REWARD_KINDS: RewardKind[] = ['discount', 'topup_bonus', 'data_pack', 'goods'];
const EXAMPLES: Record<RuleKind, object> = {
  base: { pointsPer100Yuan: { normal: 100, silver: 120, gold: 150, diamond: 200 } },
  multiplier: { percent: 200 },
  first_topup: { points: 200 },
  checkin: { points: 5, streakStep: 5, cap: 30 },
  limit: { dailyMax: 5000, monthlyMax: 50000 },
};

/** Console: loyalty dashboard, earning rules and the rewards catalog. */
export default function Loyalty() {
  const { t } = useTranslation();
  return (
    <Card title={t('console.loyalty.title')}>
      <Tabs
        items={[
          { key: 'dashboard', label: t('console.loyalty.dashboard'), children: <Dashboard /> },
          { key: 'rules', label: <span data-testid="tab-rules">{t('console.loyalty.rules')}</span>, children: <Rules /> },
          { key: 'rewards', label: <span data-testid="tab-rewards">{t('console.loyalty.rewards')}</span>, children: <Rewards /> },
        ]}
      />
    </Card>
  );
}

function Dashboard() {
  const { t, i18n } = useTranslation();
  const d = useQuery(dashboardQuery());
  if (!d.data) return d.error ? <QueryError error={d.error} onRetry={() => void d.refetch()} /> : <Card loading />;
  const x = d.data;
  const stat = (key: string, value: number | string, testId?: string) => (
    <Col xs={12} md={6} key={key}><Card size="small"><Statistic title={t(`console.loyalty.stat.${key}` as 'console.loyalty.stat.issued')} value={value} valueRender={(n) => <span data-testid={testId}>{n}</span>} /></Card></Col>
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Row gutter={[12, 12]}>
        {stat('issued', x.issued, 'dash-issued')}
        {stat('redeemed', x.redeemed)}
        {stat('expired', x.expired)}
        {stat('cleared', x.cleared + x.clawedBack)}
        {stat('outstanding', x.outstanding)}
        {stat('liability', formatMoney(x.liability.amount), 'dash-liability')}
        {stat('members', x.members)}
        {stat('redemptions', x.redemptions)}
      </Row>
      <Typography.Text type="secondary">{t('console.loyalty.liabilityNote', { rate: x.fenPerPoint })}</Typography.Text>
      <Table size="small" rowKey="month" pagination={false} dataSource={x.byMonth} title={() => t('console.loyalty.byMonth')}
        columns={[{ title: t('console.loyalty.month'), dataIndex: 'month' }, { title: t('console.loyalty.stat.issued'), dataIndex: 'issued' }, { title: t('console.loyalty.stat.redeemed'), dataIndex: 'redeemed' }, { title: t('console.loyalty.stat.expired'), dataIndex: 'expired' }]} />
      <Table size="small" rowKey="rewardId" pagination={false} dataSource={x.topRewards} title={() => t('console.loyalty.topRewards')}
        columns={[{ title: t('console.loyalty.reward'), render: (_, r) => (i18n.language === 'en' ? r.nameEn : r.nameZh) }, { title: t('console.loyalty.stat.redemptions'), dataIndex: 'redemptions' }, { title: t('console.loyalty.points'), dataIndex: 'points' }]} />
    </Space>
  );
}

interface RuleForm { code: string; kind: RuleKind; nameZh: string; nameEn: string; config: string; startsAt?: string; endsAt?: string; active: boolean }

function Rules() {
  const { t, i18n } = useTranslation();
  const rules = useQuery(adminRulesQuery());
  const [editing, setEditing] = useState<Partial<RuleForm> | null>(null);
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} data-testid="rule-new" onClick={() => setEditing({ kind: 'multiplier', config: JSON.stringify(EXAMPLES.multiplier, null, 2), active: true })}>{t('console.loyalty.newRule')}</Button>
      {rules.error && !rules.data ? <QueryError error={rules.error} onRetry={() => void rules.refetch()} /> : (
        <Table<EarningRule> size="small" rowKey="id" loading={rules.isLoading} dataSource={rules.data ?? []} pagination={false} data-testid="rules-table"
          columns={[
            { title: t('console.loyalty.code'), render: (_, r) => <>{r.code} <Typography.Text type="secondary">v{r.version}</Typography.Text></> },
            { title: t('console.loyalty.kind'), dataIndex: 'kind', render: (k: RuleKind) => <Tag>{t(`console.loyalty.ruleKind.${k}` as 'console.loyalty.ruleKind.base')}</Tag> },
            { title: t('console.loyalty.name'), render: (_, r) => (i18n.language === 'en' ? r.nameEn : r.nameZh) },
            { title: t('console.loyalty.config'), render: (_, r) => <Typography.Text code>{JSON.stringify(r.config)}</Typography.Text> },
            { title: t('console.loyalty.period'), render: (_, r) => (r.startsAt || r.endsAt ? `${r.startsAt ? formatDateTime(r.startsAt, i18n.language) : '…'} – ${r.endsAt ? formatDateTime(r.endsAt, i18n.language) : '…'}` : t('console.loyalty.always')) },
            { title: t('fields.status'), render: (_, r) => <Tag color={r.active ? 'green' : 'default'}>{r.active ? t('console.loyalty.active') : t('console.loyalty.inactive')}</Tag> },
            { title: t('common.actions'), render: (_, r) => <Button size="small" data-testid={`rule-edit-${r.code}`} onClick={() => setEditing({ ...r, config: JSON.stringify(r.config, null, 2), startsAt: r.startsAt ?? undefined, endsAt: r.endsAt ?? undefined })}>{t('common.edit')}</Button> },
          ]} />
      )}
      {editing && <RuleModal initial={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

function RuleModal({ initial, onClose }: { initial: Partial<RuleForm>; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RuleForm>();
  const existing = Boolean(initial.code);
  const save = useMutation({
    mutationFn: (v: RuleForm) => saveRule({ code: v.code, kind: v.kind, nameZh: v.nameZh, nameEn: v.nameEn, config: JSON.parse(v.config) as Record<string, unknown>, startsAt: v.startsAt || null, endsAt: v.endsAt || null, active: v.active }),
    onSuccess: async (r) => {
      void message.success(t('console.loyalty.ruleSaved', { code: r.code, version: r.version }));
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
      onClose();
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  return (
    <Modal open width={640} title={existing ? t('console.loyalty.editRule') : t('console.loyalty.newRule')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ 'data-testid': 'rule-save' } }>
      <Typography.Paragraph type="secondary">{t('console.loyalty.versionNote')}</Typography.Paragraph>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={(v) => save.mutate(v)}
        onValuesChange={(c: Partial<RuleForm>) => c.kind && !existing && form.setFieldValue('config', JSON.stringify(EXAMPLES[c.kind], null, 2))}>
        <Form.Item name="code" label={t('console.loyalty.code')} rules={[{ required: true, pattern: /^[a-z0-9_]{2,40}$/ }]}><Input disabled={existing} data-testid="rule-code" /></Form.Item>
        <Form.Item name="kind" label={t('console.loyalty.kind')} rules={[{ required: true }]}>
          <Select disabled={existing} options={RULE_KINDS.map((k) => ({ value: k, label: t(`console.loyalty.ruleKind.${k}` as 'console.loyalty.ruleKind.base') }))} />
        </Form.Item>
        <Form.Item name="nameZh" label={t('console.loyalty.nameZh')} rules={[{ required: true }]}><Input data-testid="rule-name-zh" /></Form.Item>
        <Form.Item name="nameEn" label={t('console.loyalty.nameEn')} rules={[{ required: true }]}><Input data-testid="rule-name-en" /></Form.Item>
        <Form.Item name="config" label={t('console.loyalty.config')} extra={t('console.loyalty.configHelp')}
          rules={[{ required: true }, { validator: async (_, v: string) => { JSON.parse(v); } , message: t('console.loyalty.invalidJson') }]}>
          <Input.TextArea rows={5} style={{ fontFamily: 'monospace' }} data-testid="rule-config" />
        </Form.Item>
        <Space>
          <Form.Item name="startsAt" label={t('console.loyalty.startsAt')}><Input placeholder="2026-12-01T00:00:00+08:00" /></Form.Item>
          <Form.Item name="endsAt" label={t('console.loyalty.endsAt')}><Input placeholder="2026-12-08T00:00:00+08:00" /></Form.Item>
          <Form.Item name="active" label={t('console.loyalty.active')} valuePropName="checked"><Switch /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

interface RewardForm { code: string; kind: RewardKind; nameZh: string; nameEn: string; valueYuan: number; minSpendYuan?: number; addonCode?: string; b: number; pointsPrice: number; stock?: number; globalLimit?: number; perMemberLimit?: number; validDays: number }

function Rewards() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const rewards = useQuery(adminRewardsQuery());
  const [creating, setCreating] = useState(false);
  const patch = useMutation({
    mutationFn: ({ id, body }: { id: string; body: Parameters<typeof updateReward>[1] }) => updateReward(id, body),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const restock = (r: Reward) => {
    let n = 0;
    Modal.confirm({
      title: t('console.loyalty.restock'),
      content: <InputNumber precision={0} style={{ width: '100%' }} placeholder="+100 / -5" onChange={(v) => { n = Number(v ?? 0); }} data-testid="restock-amount" />,
      okButtonProps: { 'data-testid': 'restock-ok' },
      onOk: () => (n ? patch.mutateAsync({ id: r.id, body: { stockDelta: n } }) : undefined),
    });
  };
  return (
    <>
      <Button type="primary" style={{ marginBottom: 12 }} onClick={() => setCreating(true)} data-testid="reward-new">{t('console.loyalty.newReward')}</Button>
      {rewards.error && !rewards.data ? <QueryError error={rewards.error} onRetry={() => void rewards.refetch()} /> : (
        <Table<Reward> size="small" rowKey="id" loading={rewards.isLoading} dataSource={rewards.data ?? []} pagination={false} data-testid="rewards-table"
          columns={[
            { title: t('console.loyalty.code'), dataIndex: 'code' },
            { title: t('console.loyalty.name'), render: (_, r) => (i18n.language === 'en' ? r.nameEn : r.nameZh) },
            { title: t('console.loyalty.kind'), dataIndex: 'kind', render: (k: RewardKind) => <Tag>{t(`loyalty.kind.${k}` as 'loyalty.kind.goods')}</Tag> },
            { title: t('console.loyalty.value'), render: (_, r) => formatMoney(r.value.amount) },
            { title: t('console.loyalty.pointsPrice'), dataIndex: 'pointsPrice' },
            { title: t('console.loyalty.stock'), render: (_, r) => <span data-testid={`stock-${r.code}`}>{r.stock ?? '∞'}</span> },
            { title: t('console.loyalty.issued'), render: (_, r) => `${r.issued}${r.globalLimit ? ` / ${r.globalLimit}` : ''}` },
            { title: t('console.loyalty.perMember'), render: (_, r) => r.perMemberLimit ?? '—' },
            { title: t('console.loyalty.validDays'), dataIndex: 'validDays' },
            { title: t('fields.status'), render: (_, r) => <Switch checked={r.active} size="small" onChange={(v) => patch.mutate({ id: r.id, body: { active: v } })} /> },
            { title: t('common.actions'), render: (_, r) => <Button size="small" onClick={() => restock(r)} data-testid={`restock-${r.code}`}>{t('console.loyalty.restock')}</Button> },
          ]} />
      )}
      {creating && <RewardModal onClose={() => setCreating(false)} />}
    </>
  );
}

function RewardModal({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<RewardForm>();
  const kind = Form.useWatch('kind', form);
  const save = useMutation({
    mutationFn: (v: RewardForm) => createReward({
      code: v.code, kind: v.kind, nameZh: v.nameZh, nameEn: v.nameEn, valueFen: Math.round(v.valueYuan * 100), minSpendFen: Math.round((v.minSpendYuan ?? 0) * 100),
      addonCode: v.kind === 'data_pack' ? v.addonCode ?? null : null, pointsPrice: v.pointsPrice, stock: v.stock ?? null, globalLimit: v.globalLimit ?? null,
      perMemberLimit: v.perMemberLimit ?? null, validDays: v.validDays,
    }),
    onSuccess: async () => {
      void message.success(t('common.saved'));
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
      onClose();
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  // P = b × S: the points price follows the value unless staff override it.
  const reprice = () => form.setFieldValue('pointsPrice', Math.round((form.getFieldValue('valueYuan') ?? 0) * (form.getFieldValue('b') ?? 0)));
  return (
    <Modal open width={640} title={t('console.loyalty.newReward')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={save.isPending} okButtonProps={{ 'data-testid': 'reward-save' } }>
      <Form form={form} layout="vertical" initialValues={{ kind: 'discount', b: 100, validDays: 30 }} onFinish={(v) => save.mutate(v)}
        onValuesChange={(c: Partial<RewardForm>) => ('valueYuan' in c || 'b' in c) && reprice()}>
        <Space wrap>
          <Form.Item name="code" label={t('console.loyalty.code')} rules={[{ required: true, pattern: /^[a-z0-9_]{2,40}$/ }]}><Input data-testid="reward-code" /></Form.Item>
          <Form.Item name="kind" label={t('console.loyalty.kind')} rules={[{ required: true }]}>
            <Select style={{ width: 160 }} options={REWARD_KINDS.map((k) => ({ value: k, label: t(`loyalty.kind.${k}` as 'loyalty.kind.goods') }))} />
          </Form.Item>
          {kind === 'data_pack' && <Form.Item name="addonCode" label={t('console.loyalty.addonCode')} rules={[{ required: true }]}><Input /></Form.Item>}
        </Space>
        <Space wrap>
          <Form.Item name="nameZh" label={t('console.loyalty.nameZh')} rules={[{ required: true }]}><Input data-testid="reward-name-zh" /></Form.Item>
          <Form.Item name="nameEn" label={t('console.loyalty.nameEn')} rules={[{ required: true }]}><Input data-testid="reward-name-en" /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="valueYuan" label={t('console.loyalty.valueYuan')} rules={[{ required: true }]}><InputNumber min={0} precision={2} data-testid="reward-value" /></Form.Item>
          <Form.Item name="minSpendYuan" label={t('console.loyalty.minSpendYuan')}><InputNumber min={0} precision={2} /></Form.Item>
          <Form.Item name="b" label={t('console.loyalty.b')} tooltip={t('console.loyalty.bHelp')}><InputNumber min={0} precision={0} /></Form.Item>
          <Form.Item name="pointsPrice" label={t('console.loyalty.pointsPrice')} rules={[{ required: true }]}><InputNumber min={0} precision={0} data-testid="reward-price" /></Form.Item>
        </Space>
        <Space wrap>
          <Form.Item name="stock" label={t('console.loyalty.stock')} extra={t('console.loyalty.emptyUnlimited')}><InputNumber min={0} precision={0} data-testid="reward-stock" /></Form.Item>
          <Form.Item name="globalLimit" label={t('console.loyalty.globalLimit')}><InputNumber min={1} precision={0} /></Form.Item>
          <Form.Item name="perMemberLimit" label={t('console.loyalty.perMember')}><InputNumber min={1} precision={0} /></Form.Item>
          <Form.Item name="validDays" label={t('console.loyalty.validDays')} rules={[{ required: true }]}><InputNumber min={1} max={3650} precision={0} /></Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}
