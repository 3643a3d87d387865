import { useState } from 'react';
import { Alert, App, type InputProps, Button, Card, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table, Tabs, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { AddonInput, PlanInput, type Addon, type Plan } from '@telehall/contracts';
import { adminAddonsQuery, adminPlansQuery, createAddon, createPlan, reviseAddon, revisePlan, setPlanActive } from '../../api/catalog';
import { queryKeys } from '../../api/keys';
import { formatMoney } from '../../lib/money';
import { fenToYuanInput, MB, parseYuanToFen } from '../../lib/units';
import { conforms, schemaRule } from '../../lib/validate';
import { errorMessage } from '../../shared/errors';
import { QueryError } from '../components/QueryError';
import { useQuantityText } from '../components/quantity';

type Kind = 'data' | 'voice' | 'sms';

/** What the plan form edits: money as yuan strings, data in MB, voice in minutes (converted exactly on submit). */
interface PlanFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  tier: number;
  monthlyFee: string;
  dataMb: number;
  voiceMinutes: number;
  smsCount: number;
  dataPerGb: string;
  voicePerMinute: string;
  smsEach: string;
  contractMonths: number;
}

interface AddonFormValues {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: Kind;
  quantity: number;
  validityDays: number;
  price: string;
}

const toPlanInput = (v: PlanFormValues): PlanInput => ({
  code: v.code.trim(),
  nameZh: v.nameZh.trim(),
  nameEn: v.nameEn.trim(),
  tier: v.tier,
  monthlyFeeFen: parseYuanToFen(v.monthlyFee) ?? -1,
  dataBytes: v.dataMb * MB,
  voiceSeconds: v.voiceMinutes * 60,
  smsCount: v.smsCount,
  dataFenPerGb: parseYuanToFen(v.dataPerGb) ?? -1,
  voiceFenPerMin: parseYuanToFen(v.voicePerMinute) ?? -1,
  smsFenEach: parseYuanToFen(v.smsEach) ?? -1,
  contractMonths: v.contractMonths,
});

const fromPlan = (p: Plan): PlanFormValues => ({
  code: p.code,
  nameZh: p.nameZh,
  nameEn: p.nameEn,
  tier: p.tier,
  monthlyFee: fenToYuanInput(p.monthlyFee.amount),
  dataMb: Math.round(p.dataBytes / MB),
  voiceMinutes: Math.round(p.voiceSeconds / 60),
  smsCount: p.smsCount,
  dataPerGb: fenToYuanInput(p.overage.dataPerGb.amount),
  voicePerMinute: fenToYuanInput(p.overage.voicePerMinute.amount),
  smsEach: fenToYuanInput(p.overage.smsEach.amount),
  contractMonths: p.contractMonths,
});

/** Add-on quantity in the form: MB for data, minutes for voice, a count for SMS. */
const addonUnitFactor = (kind: Kind) => (kind === 'data' ? MB : kind === 'voice' ? 60 : 1);

const toAddonInput = (v: AddonFormValues): AddonInput => ({
  code: v.code.trim(),
  nameZh: v.nameZh.trim(),
  nameEn: v.nameEn.trim(),
  kind: v.kind,
  quantity: v.quantity * addonUnitFactor(v.kind),
  validityDays: v.validityDays,
  priceFen: parseYuanToFen(v.price) ?? -1,
});

const fromAddon = (a: Addon): AddonFormValues => ({
  code: a.code,
  nameZh: a.nameZh,
  nameEn: a.nameEn,
  kind: a.kind,
  quantity: Math.round(a.quantity / addonUnitFactor(a.kind)),
  validityDays: a.validityDays,
  price: fenToYuanInput(a.price.amount),
});

function useYuanRule() {
  const { t } = useTranslation();
  return {
    validator: async (_r: unknown, v: string | undefined) => {
      if (!v) throw new Error(t('validation.amountRequired'));
      const fen = parseYuanToFen(v);
      if (fen === null || fen < 0) throw new Error(t('validation.amount'));
    },
  };
}

/** A yuan amount as text (parsed exactly on submit); Form.Item injects value/onChange. */
function Yuan({ id, ...props }: InputProps & { id: string }) {
  return <Input {...props} id={id} data-testid={id} prefix="¥" autoComplete="off" inputMode="decimal" style={{ width: 160 }} />;
}

function PlanModal({ editing, open, onClose }: { editing: Plan | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<PlanFormValues>();
  const yuan = useYuanRule();
  const mutation = useMutation({
    mutationFn: (body: PlanInput) => (editing ? revisePlan(editing.id, body) : createPlan(body)),
    onSuccess: async (p) => {
      void message.success(editing ? t('console.catalog.revised', { version: p.version }) : t('console.catalog.created'));
      await qc.invalidateQueries({ queryKey: queryKeys.catalog.all });
      onClose();
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const p = PlanInput.properties;
  async function submit() {
    const body = toPlanInput(await form.validateFields());
    if (!conforms(PlanInput, body)) {
      void message.error(t('errors.invalid_data'));
      return;
    }
    mutation.mutate(body);
  }
  return (
    <Modal
      open={open}
      width={720}
      destroyOnHidden
      title={editing ? t('console.catalog.revisePlanTitle', { code: editing.code, version: editing.version }) : t('console.catalog.createPlanTitle')}
      onCancel={onClose}
      okText={editing ? t('console.catalog.saveVersion') : t('common.create')}
      okButtonProps={{ loading: mutation.isPending, 'data-testid': 'plan-submit' }}
      onOk={() => void submit()}
    >
      {editing && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('console.catalog.reviseNote')} data-testid="plan-revise-note" />}
      <Form<PlanFormValues>
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={editing ? fromPlan(editing) : { tier: 1, dataMb: 0, voiceMinutes: 0, smsCount: 0, contractMonths: 0, monthlyFee: '', dataPerGb: '', voicePerMinute: '', smsEach: '' }}
      >
        <Space wrap size="middle" align="start">
          <Form.Item name="code" label={t('console.catalog.code')} rules={[schemaRule(p.code, t('validation.code'), { requiredMessage: t('validation.code') })]}>
            <Input id="plan-code" data-testid="plan-code" disabled={!!editing} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('console.catalog.nameZh')} rules={[schemaRule(p.nameZh, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
            <Input id="plan-name-zh" data-testid="plan-name-zh" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('console.catalog.nameEn')} rules={[schemaRule(p.nameEn, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
            <Input id="plan-name-en" data-testid="plan-name-en" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="tier" label={t('console.catalog.tier')} rules={[schemaRule(p.tier, t('validation.tier'))]}>
            <InputNumber id="plan-tier" data-testid="plan-tier" min={1} max={9} precision={0} />
          </Form.Item>
          <Form.Item name="monthlyFee" label={t('console.catalog.monthlyFee')} rules={[yuan]}>
            <Yuan id="plan-fee" />
          </Form.Item>
          <Form.Item name="contractMonths" label={t('console.catalog.contractMonths')} rules={[schemaRule(p.contractMonths, t('validation.contractMonths'))]}>
            <InputNumber id="plan-contract" data-testid="plan-contract" min={0} max={60} precision={0} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('console.catalog.allowances')}</Typography.Title>
        <Space wrap size="middle" align="start">
          <Form.Item name="dataMb" label={t('console.catalog.dataMb')} rules={[{ required: true, message: t('validation.quantity') }]}>
            <InputNumber id="plan-data" data-testid="plan-data" min={0} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="voiceMinutes" label={t('console.catalog.voiceMinutes')} rules={[{ required: true, message: t('validation.quantity') }]}>
            <InputNumber id="plan-voice" data-testid="plan-voice" min={0} precision={0} />
          </Form.Item>
          <Form.Item name="smsCount" label={t('console.catalog.smsCount')} rules={[{ required: true, message: t('validation.quantity') }]}>
            <InputNumber id="plan-sms" data-testid="plan-sms" min={0} precision={0} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>{t('console.catalog.overage')}</Typography.Title>
        <Space wrap size="middle" align="start">
          <Form.Item name="dataPerGb" label={t('console.catalog.dataPerGb')} rules={[yuan]}>
            <Yuan id="plan-data-rate" />
          </Form.Item>
          <Form.Item name="voicePerMinute" label={t('console.catalog.voicePerMinute')} rules={[yuan]}>
            <Yuan id="plan-voice-rate" />
          </Form.Item>
          <Form.Item name="smsEach" label={t('console.catalog.smsEach')} rules={[yuan]}>
            <Yuan id="plan-sms-rate" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

function AddonModal({ editing, open, onClose }: { editing: Addon | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const [form] = Form.useForm<AddonFormValues>();
  const kind = Form.useWatch('kind', form) ?? editing?.kind ?? 'data';
  const yuan = useYuanRule();
  const mutation = useMutation({
    mutationFn: (body: AddonInput) => (editing ? reviseAddon(editing.id, body) : createAddon(body)),
    onSuccess: async (a) => {
      void message.success(editing ? t('console.catalog.revised', { version: a.version }) : t('console.catalog.created'));
      await qc.invalidateQueries({ queryKey: queryKeys.catalog.all });
      onClose();
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const p = AddonInput.properties;
  async function submit() {
    const body = toAddonInput(await form.validateFields());
    if (!conforms(AddonInput, body)) {
      void message.error(t('errors.invalid_data'));
      return;
    }
    mutation.mutate(body);
  }
  return (
    <Modal
      open={open}
      width={640}
      destroyOnHidden
      title={editing ? t('console.catalog.reviseAddonTitle', { code: editing.code, version: editing.version }) : t('console.catalog.createAddonTitle')}
      onCancel={onClose}
      okText={editing ? t('console.catalog.saveVersion') : t('common.create')}
      okButtonProps={{ loading: mutation.isPending, 'data-testid': 'addon-submit' }}
      onOk={() => void submit()}
    >
      {editing && <Alert type="info" showIcon style={{ marginBottom: 16 }} message={t('console.catalog.reviseAddonNote')} />}
      <Form<AddonFormValues> form={form} layout="vertical" preserve={false} initialValues={editing ? fromAddon(editing) : { kind: 'data', validityDays: 30, price: '' }}>
        <Space wrap size="middle" align="start">
          <Form.Item name="code" label={t('console.catalog.code')} rules={[schemaRule(p.code, t('validation.code'), { requiredMessage: t('validation.code') })]}>
            <Input id="addon-code" data-testid="addon-code" disabled={!!editing} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="nameZh" label={t('console.catalog.nameZh')} rules={[schemaRule(p.nameZh, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
            <Input id="addon-name-zh" data-testid="addon-name-zh" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="nameEn" label={t('console.catalog.nameEn')} rules={[schemaRule(p.nameEn, t('validation.name'), { requiredMessage: t('validation.nameRequired') })]}>
            <Input id="addon-name-en" data-testid="addon-name-en" style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="kind" label={t('console.lineDetail.kind')}>
            <Select<Kind>
              id="addon-kind"
              style={{ width: 120 }}
              options={(['data', 'voice', 'sms'] as const).map((k) => ({ value: k, label: t(`usage.kind.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="quantity"
            label={t(`console.catalog.quantityIn.${kind}`)}
            rules={[{ required: true, type: 'integer', min: 1, message: t('validation.quantity') }]}
          >
            <InputNumber id="addon-quantity" data-testid="addon-quantity" min={1} precision={0} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="validityDays" label={t('console.catalog.validityDays')} rules={[schemaRule(p.validityDays, t('validation.validityDays'), { requiredMessage: t('validation.validityDays') })]}>
            <InputNumber id="addon-validity" data-testid="addon-validity" min={1} max={366} precision={0} />
          </Form.Item>
          <Form.Item name="price" label={t('console.catalog.price')} rules={[yuan]}>
            <Yuan id="addon-price" />
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

export default function Catalog() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const qc = useQueryClient();
  const qty = useQuantityText();
  const plans = useQuery(adminPlansQuery());
  const addons = useQuery(adminAddonsQuery());
  const [planModal, setPlanModal] = useState<{ editing: Plan | null } | null>(null);
  const [addonModal, setAddonModal] = useState<{ editing: Addon | null } | null>(null);
  const toggle = useMutation({
    mutationFn: (p: Plan) => setPlanActive(p.id, !p.active),
    onSuccess: (p) => {
      void message.success(p.active ? t('console.catalog.reactivated') : t('console.catalog.retired'));
      return qc.invalidateQueries({ queryKey: queryKeys.catalog.all });
    },
    onError: (err) => void message.error(errorMessage(t, err)),
  });
  const name = (x: { nameZh: string; nameEn: string }) => (i18n.language === 'en' ? x.nameEn : x.nameZh);
  const activeTag = (active: boolean) => (active ? <Tag color="green">{t('console.catalog.onSale')}</Tag> : <Tag>{t('console.catalog.offSale')}</Tag>);
  const sorted = <T extends { code: string; version: number }>(xs: T[]) => [...xs].sort((a, b) => a.code.localeCompare(b.code) || b.version - a.version);

  const planTable = plans.error && !plans.data ? (
    <QueryError error={plans.error} onRetry={() => void plans.refetch()} />
  ) : (
    <>
      <div className="th-toolbar">
        <Button type="primary" onClick={() => setPlanModal({ editing: null })} data-testid="plan-create">
          {t('console.catalog.createPlan')}
        </Button>
      </div>
      <Table<Plan>
        rowKey="id"
        size="middle"
        loading={plans.isLoading}
        dataSource={sorted(plans.data ?? [])}
        pagination={false}
        scroll={{ x: 1100 }}
        onRow={(p) => ({ 'data-testid': `plan-row-${p.code}-v${p.version}` }) as object}
        columns={[
          { title: t('console.catalog.code'), render: (_, p) => <><Typography.Text code>{p.code}</Typography.Text> v{p.version}</> },
          { title: t('console.catalog.name'), render: (_, p) => name(p) },
          { title: t('console.catalog.tier'), dataIndex: 'tier', width: 60 },
          { title: t('console.catalog.monthlyFee'), render: (_, p) => formatMoney(p.monthlyFee.amount) },
          { title: t('console.catalog.allowances'), render: (_, p) => `${qty('data', p.dataBytes)} / ${qty('voice', p.voiceSeconds)} / ${qty('sms', p.smsCount)}` },
          {
            title: t('console.catalog.overage'),
            render: (_, p) => t('console.catalog.overageText', { data: formatMoney(p.overage.dataPerGb.amount), voice: formatMoney(p.overage.voicePerMinute.amount), sms: formatMoney(p.overage.smsEach.amount) }),
          },
          { title: t('console.catalog.contractMonths'), dataIndex: 'contractMonths', width: 90 },
          { title: t('fields.status'), render: (_, p) => activeTag(p.active) },
          {
            title: t('common.actions'),
            render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => setPlanModal({ editing: p })} data-testid="plan-revise">
                  {t('console.catalog.revise')}
                </Button>
                <Popconfirm
                  title={p.active ? t('console.catalog.retireConfirm', { code: p.code, version: p.version }) : t('console.catalog.reactivateConfirm', { code: p.code, version: p.version })}
                  onConfirm={() => toggle.mutate(p)}
                  okText={t('common.confirm')}
                  cancelText={t('common.cancel')}
                >
                  <Button size="small" danger={p.active} data-testid="plan-toggle-active">
                    {p.active ? t('console.catalog.retire') : t('console.catalog.reactivate')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </>
  );

  const addonTable = addons.error && !addons.data ? (
    <QueryError error={addons.error} onRetry={() => void addons.refetch()} />
  ) : (
    <>
      <div className="th-toolbar">
        <Button type="primary" onClick={() => setAddonModal({ editing: null })} data-testid="addon-create">
          {t('console.catalog.createAddon')}
        </Button>
      </div>
      <Table<Addon>
        rowKey="id"
        size="middle"
        loading={addons.isLoading}
        dataSource={sorted(addons.data ?? [])}
        pagination={false}
        onRow={(a) => ({ 'data-testid': `addon-row-${a.code}-v${a.version}` }) as object}
        columns={[
          { title: t('console.catalog.code'), render: (_, a) => <><Typography.Text code>{a.code}</Typography.Text> v{a.version}</> },
          { title: t('console.catalog.name'), render: (_, a) => name(a) },
          { title: t('console.lineDetail.kind'), render: (_, a) => t(`usage.kind.${a.kind}`) },
          { title: t('console.lineDetail.quantity'), render: (_, a) => qty(a.kind, a.quantity) },
          { title: t('console.catalog.validityDays'), dataIndex: 'validityDays' },
          { title: t('console.catalog.price'), render: (_, a) => formatMoney(a.price.amount) },
          { title: t('fields.status'), render: (_, a) => activeTag(a.active) },
          {
            title: t('common.actions'),
            render: (_, a) => (
              <Button size="small" onClick={() => setAddonModal({ editing: a })} data-testid="addon-revise">
                {t('console.catalog.revise')}
              </Button>
            ),
          },
        ]}
      />
    </>
  );

  return (
    <Card title={t('console.catalog.title')}>
      <Typography.Paragraph type="secondary">{t('console.catalog.versioning')}</Typography.Paragraph>
      <Tabs
        items={[
          { key: 'plans', label: <span data-testid="catalog-tab-plans">{t('console.catalog.plans')}</span>, children: planTable },
          { key: 'addons', label: <span data-testid="catalog-tab-addons">{t('console.catalog.addons')}</span>, children: addonTable },
        ]}
      />
      {planModal && <PlanModal editing={planModal.editing} open onClose={() => setPlanModal(null)} />}
      {addonModal && <AddonModal editing={addonModal.editing} open onClose={() => setAddonModal(null)} />}
    </Card>
  );
}
