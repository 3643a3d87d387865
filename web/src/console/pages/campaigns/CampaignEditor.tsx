import { useEffect, useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Statistic, Switch, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { CampaignInput, type Audience, type AudienceRule, type Campaign, type CampaignChannel, type Offer, type Schedule, type Variant } from '@telehall/contracts';
import { segmentationQuery } from '../../../api/analytics';
import { audiencePreviewQuery, campaignQuery, createCampaign, updateCampaign } from '../../../api/campaigns';
import { addonsQuery, plansQuery } from '../../../api/charging';
import { adminRewardsQuery } from '../../../api/loyalty';
import { queryKeys } from '../../../api/keys';
import { formatMoney } from '../../../lib/money';
import { conforms } from '../../../lib/validate';
import { errorMessage } from '../../../shared/errors';
import { QueryError } from '../../components/QueryError';

const CHANNELS: CampaignChannel[] = ['inapp', 'sms', 'email', 'push'];
const CATEGORIES = ['regular', 'student', 'enterprise', 'other'];

/** The form's shape: each audience rule has an on/off switch; the rest maps 1:1 onto CampaignInput. */
interface Values {
  name: string;
  combine: 'and' | 'or';
  segmentOn: boolean;
  segments: number[];
  scoreOn: boolean;
  scoreTarget: 'churn' | 'purchase';
  scoreMin: number;
  scoreMax: number;
  planOn: boolean;
  planCodes: string[];
  categoryOn: boolean;
  categories: string[];
  tierOn: boolean;
  tiers: ('normal' | 'silver' | 'gold' | 'diamond')[];
  usageOn: boolean;
  usageResource: 'data' | 'voice' | 'sms';
  usageMin: number;
  usageMax: number;
  offerKind: Offer['kind'];
  addonId?: string;
  discountPct: number;
  rewardId?: string;
  points: number;
  variants: Variant[];
  channels: CampaignChannel[];
  scheduleKind: 'once' | 'recurring' | 'data_exhausted' | 'churn_threshold';
  /** datetime-local input value (local time), empty for "on launch" */
  at?: string;
  everyDays: number;
  threshold: number;
  holdoutPct: number;
  attributionDays: number;
}

const defaultVariant = (key: string): Variant => ({
  key, weight: 1, titleZh: '{{name}}，专属流量包优惠', titleEn: 'A data pack deal for you, {{name}}', bodyZh: '{{offer}}限时仅需{{price}}，点击一键领取。', bodyEn: '{{offer}} for only {{price}} — take it in one tap.',
});

const DEFAULTS: Values = {
  name: '', combine: 'and', segmentOn: false, segments: [], scoreOn: false, scoreTarget: 'churn', scoreMin: 0.5, scoreMax: 1, planOn: false, planCodes: [],
  categoryOn: false, categories: [], tierOn: false, tiers: [], usageOn: false, usageResource: 'data', usageMin: 80, usageMax: 100, offerKind: 'addon', discountPct: 30, points: 100,
  variants: [defaultVariant('A')], channels: ['inapp', 'push'], scheduleKind: 'once', at: '', everyDays: 7, threshold: 0.7, holdoutPct: 10, attributionDays: 14,
};

function audienceOf(v: Values, segmentationId: string | undefined): Audience {
  const rules: AudienceRule[] = [];
  if (v.segmentOn && segmentationId && v.segments.length) rules.push({ kind: 'segment', segmentationId, segments: v.segments });
  if (v.scoreOn) rules.push({ kind: 'score', target: v.scoreTarget, min: v.scoreMin, max: v.scoreMax });
  if (v.planOn && v.planCodes.length) rules.push({ kind: 'plan', planCodes: v.planCodes });
  if (v.categoryOn && v.categories.length) rules.push({ kind: 'category', categories: v.categories });
  if (v.usageOn) rules.push({ kind: 'usage', resource: v.usageResource, minPct: v.usageMin, maxPct: v.usageMax });
  if (v.tierOn && v.tiers.length) rules.push({ kind: 'tier', tiers: v.tiers });
  return { combine: v.combine, rules };
}

function toInput(v: Values, segmentationId: string | undefined): CampaignInput {
  const offer: Offer = v.offerKind === 'addon' ? { kind: 'addon', addonId: v.addonId ?? '', discountPct: v.discountPct } : v.offerKind === 'coupon' ? { kind: 'coupon', rewardId: v.rewardId ?? '' } : { kind: 'points', points: v.points };
  const at = v.at ? new Date(v.at).toISOString() : undefined;
  const schedule: Schedule = v.scheduleKind === 'once' ? { kind: 'once', ...(at ? { at } : {}) }
    : v.scheduleKind === 'recurring' ? { kind: 'recurring', everyDays: v.everyDays, ...(at ? { at } : {}) }
      : v.scheduleKind === 'data_exhausted' ? { kind: 'trigger', event: 'data_exhausted' } : { kind: 'trigger', event: 'churn_threshold', threshold: v.threshold };
  const variants = v.variants.map((x, i) => {
    const out: Variant = { key: String.fromCharCode(65 + i), weight: x.weight, titleZh: x.titleZh, titleEn: x.titleEn, bodyZh: x.bodyZh, bodyEn: x.bodyEn };
    if (x.smsZh) out.smsZh = x.smsZh;
    if (x.smsEn) out.smsEn = x.smsEn;
    if (typeof x.discountPct === 'number') out.discountPct = x.discountPct;
    return out;
  });
  return { name: v.name, audience: audienceOf(v, segmentationId), offer, variants, channels: v.channels, schedule, holdoutPct: v.holdoutPct, attributionDays: v.attributionDays };
}

/** An ISO instant as a datetime-local value in the browser's time zone. */
function localInput(iso: string | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

function fromCampaign(c: Campaign): Values {
  const v: Values = { ...DEFAULTS, name: c.name, combine: c.audience.combine, variants: c.variants, channels: c.channels, holdoutPct: c.holdoutPct, attributionDays: c.attributionDays };
  for (const r of c.audience.rules) {
    if (r.kind === 'segment') Object.assign(v, { segmentOn: true, segments: r.segments });
    if (r.kind === 'score') Object.assign(v, { scoreOn: true, scoreTarget: r.target, scoreMin: r.min ?? 0, scoreMax: r.max ?? 1 });
    if (r.kind === 'plan') Object.assign(v, { planOn: true, planCodes: r.planCodes });
    if (r.kind === 'category') Object.assign(v, { categoryOn: true, categories: r.categories });
    if (r.kind === 'tier') Object.assign(v, { tierOn: true, tiers: r.tiers });
    if (r.kind === 'usage') Object.assign(v, { usageOn: true, usageResource: r.resource, usageMin: r.minPct ?? 0, usageMax: r.maxPct ?? 100 });
  }
  const o = c.offer;
  v.offerKind = o.kind;
  if (o.kind === 'addon') Object.assign(v, { addonId: o.addonId, discountPct: o.discountPct });
  if (o.kind === 'coupon') v.rewardId = o.rewardId;
  if (o.kind === 'points') v.points = o.points;
  const s = c.schedule;
  if (s.kind === 'once') Object.assign(v, { scheduleKind: 'once', at: localInput(s.at) });
  else if (s.kind === 'recurring') Object.assign(v, { scheduleKind: 'recurring', everyDays: s.everyDays, at: localInput(s.at) });
  else if (s.event === 'data_exhausted') v.scheduleKind = 'data_exhausted';
  else Object.assign(v, { scheduleKind: 'churn_threshold', threshold: s.threshold });
  return v;
}

/** Live audience size: recomputed (debounced) as the rules change. */
function AudienceSize({ audience, channels }: { audience: Audience; channels: CampaignChannel[] }) {
  const { t } = useTranslation();
  const [debounced, setDebounced] = useState({ audience, channels });
  const key = JSON.stringify({ audience, channels });
  useEffect(() => {
    const h = setTimeout(() => setDebounced({ audience, channels }), 400);
    return () => clearTimeout(h);
  }, [key]); // the rules are compared by value (their JSON), not by object identity
  const q = useQuery({ ...audiencePreviewQuery(debounced.audience, debounced.channels.length ? debounced.channels : ['inapp']) });
  return (
    <Card size="small" data-testid="audience-size-card">
      <Space size="large">
        <Statistic title={t('campaigns.audienceSize')} value={q.data?.size ?? '…'} valueRender={(n) => <span data-testid="audience-size">{n}</span>} />
        <Statistic title={t('campaigns.reachable')} value={q.data?.reachable ?? '…'} />
        {q.data && <Typography.Text type="secondary">{t('campaigns.evaluatedIn', { ms: q.data.ms })}</Typography.Text>}
      </Space>
      {q.error && <QueryError error={q.error} />}
    </Card>
  );
}

/** Build or edit a draft campaign. */
export default function CampaignEditor() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { id } = useParams();
  const existing = useQuery({ ...campaignQuery(id ?? ''), enabled: !!id });
  const seg = useQuery(segmentationQuery('latest'));
  const plans = useQuery(plansQuery());
  const addons = useQuery(addonsQuery());
  const [form] = Form.useForm<Values>();
  const values = Form.useWatch([], form) as Values | undefined;
  const v = { ...DEFAULTS, ...values };
  const rewards = useQuery({ ...adminRewardsQuery(), enabled: v.offerKind === 'coupon' });
  const segmentationId = v.segmentOn ? (existing.data?.audience.rules.find((r) => r.kind === 'segment') as { segmentationId?: string } | undefined)?.segmentationId ?? seg.data?.id : undefined;
  const vKey = JSON.stringify(v);
  // Recomputed when the form's values change by value, not on every render's fresh object.
  const audience = useMemo(() => audienceOf(JSON.parse(vKey) as Values, segmentationId), [vKey, segmentationId]);
  useEffect(() => {
    if (existing.data) form.setFieldsValue(fromCampaign(existing.data));
  }, [existing.data, form]);

  const save = useMutation({
    mutationFn: (body: CampaignInput) => (id ? updateCampaign(id, body) : createCampaign(body)),
    onSuccess: async (c) => {
      await qc.invalidateQueries({ queryKey: queryKeys.campaigns.all });
      message.success(t('campaigns.saved'));
      await navigate(`/campaigns/${c.id}`);
    },
    onError: (err) => message.error(errorMessage(t, err)),
  });
  const submit = (vals: Values) => {
    const body = toInput({ ...DEFAULTS, ...vals }, segmentationId);
    if (!conforms(CampaignInput, body)) {
      message.error(t('campaigns.invalid'));
      return;
    }
    save.mutate(body);
  };
  const lang = i18n.language;
  const addon = addons.data?.find((a) => a.id === v.addonId);

  return (
    <Form form={form} layout="vertical" initialValues={DEFAULTS} onFinish={submit} data-testid="campaign-form">
      <Typography.Title level={3}>{id ? t('campaigns.edit') : t('campaigns.new')}</Typography.Title>
      <Form.Item name="name" label={t('campaigns.name')} rules={[{ required: true, message: t('campaigns.required') }]}>
        <Input data-testid="campaign-name" maxLength={120} />
      </Form.Item>

      <Card title={t('campaigns.audience')} className="th-section" extra={<AudienceSize audience={audience} channels={v.channels} />}>
        <Form.Item name="combine" label={t('campaigns.combine')}>
          <Radio.Group options={[{ value: 'and', label: t('campaigns.combineAnd') }, { value: 'or', label: t('campaigns.combineOr') }]} />
        </Form.Item>
        <Row gutter={16}>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="segmentOn" valuePropName="checked" label={t('campaigns.ruleSegment')}><Switch data-testid="rule-segment" /></Form.Item>
              <Form.Item name="segments" label={seg.data ? t('campaigns.segmentationVersion', { version: seg.data.version }) : t('campaigns.noSegmentation')}>
                <Select mode="multiple" style={{ minWidth: 220 }} disabled={!v.segmentOn || !seg.data} options={seg.data?.segments.map((s) => ({ value: s.idx, label: `${s.idx} · ${lang === 'en' ? s.name.en : s.name.zh} (${s.size})` }))} />
              </Form.Item>
            </Space>
          </Col>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="scoreOn" valuePropName="checked" label={t('campaigns.ruleScore')}><Switch data-testid="rule-score" /></Form.Item>
              <Form.Item name="scoreTarget" label={t('campaigns.scoreTarget')}>
                <Select disabled={!v.scoreOn} style={{ width: 120 }} options={[{ value: 'churn', label: t('campaigns.churn') }, { value: 'purchase', label: t('campaigns.purchase') }]} />
              </Form.Item>
              <Form.Item name="scoreMin" label={t('campaigns.min')}><InputNumber disabled={!v.scoreOn} min={0} max={1} step={0.05} /></Form.Item>
              <Form.Item name="scoreMax" label={t('campaigns.max')}><InputNumber disabled={!v.scoreOn} min={0} max={1} step={0.05} /></Form.Item>
            </Space>
          </Col>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="planOn" valuePropName="checked" label={t('campaigns.rulePlan')}><Switch data-testid="rule-plan" /></Form.Item>
              <Form.Item name="planCodes" label={t('campaigns.plans')}>
                <Select mode="multiple" style={{ minWidth: 220 }} disabled={!v.planOn} data-testid="rule-plan-codes"
                  options={[...new Map((plans.data ?? []).map((p) => [p.code, { value: p.code, label: `${lang === 'en' ? p.nameEn : p.nameZh} (${p.code})` }])).values()]} />
              </Form.Item>
            </Space>
          </Col>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="categoryOn" valuePropName="checked" label={t('campaigns.ruleCategory')}><Switch data-testid="rule-category" /></Form.Item>
              <Form.Item name="categories" label={t('campaigns.categories')}>
                <Select mode="multiple" style={{ minWidth: 220 }} disabled={!v.categoryOn} options={CATEGORIES.map((c) => ({ value: c, label: t(`campaigns.category.${c}` as 'campaigns.category.regular') }))} />
              </Form.Item>
            </Space>
          </Col>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="tierOn" valuePropName="checked" label={t('campaigns.ruleTier')}><Switch data-testid="rule-tier" /></Form.Item>
              <Form.Item name="tiers" label={t('campaigns.tiers')}>
                <Select mode="multiple" style={{ minWidth: 220 }} disabled={!v.tierOn} options={(['normal', 'silver', 'gold', 'diamond'] as const).map((k) => ({ value: k, label: t(`campaigns.tierNames.${k}`) }))} />
              </Form.Item>
            </Space>
          </Col>
          <Col span={12}>
            <Space align="start">
              <Form.Item name="usageOn" valuePropName="checked" label={t('campaigns.ruleUsage')}><Switch data-testid="rule-usage" /></Form.Item>
              <Form.Item name="usageResource" label={t('campaigns.resource')}>
                <Select disabled={!v.usageOn} style={{ width: 120 }} options={(['data', 'voice', 'sms'] as const).map((k) => ({ value: k, label: t(`campaigns.resourceKind.${k}`) }))} />
              </Form.Item>
              <Form.Item name="usageMin" label={t('campaigns.minPct')}><InputNumber disabled={!v.usageOn} min={0} max={100} /></Form.Item>
              <Form.Item name="usageMax" label={t('campaigns.maxPct')}><InputNumber disabled={!v.usageOn} min={0} max={100} /></Form.Item>
            </Space>
          </Col>
        </Row>
      </Card>

      <Card title={t('campaigns.offer')} className="th-section">
        <Space align="start" wrap>
          <Form.Item name="offerKind" label={t('campaigns.offerKind')}>
            <Radio.Group options={(['addon', 'coupon', 'points'] as const).map((k) => ({ value: k, label: t(`campaigns.offerKinds.${k}`) }))} />
          </Form.Item>
          {v.offerKind === 'addon' && (
            <>
              <Form.Item name="addonId" label={t('campaigns.addon')} rules={[{ required: true, message: t('campaigns.required') }]}>
                <Select style={{ width: 260 }} data-testid="offer-addon" options={(addons.data ?? []).map((a) => ({ value: a.id, label: `${lang === 'en' ? a.nameEn : a.nameZh} · ${formatMoney(a.price.amount)}` }))} />
              </Form.Item>
              <Form.Item name="discountPct" label={t('campaigns.discountPct')}><InputNumber min={0} max={100} data-testid="offer-discount" /></Form.Item>
              {addon && <Typography.Text type="secondary">{t('campaigns.priceAfter', { price: formatMoney(Math.floor((addon.price.amount * (100 - v.discountPct)) / 100)) })}</Typography.Text>}
            </>
          )}
          {v.offerKind === 'coupon' && (
            <Form.Item name="rewardId" label={t('campaigns.rewardId')} rules={[{ required: true, message: t('campaigns.required') }]}>
              <Select style={{ width: 320 }} data-testid="offer-reward"
                options={(rewards.data ?? []).filter((r) => r.kind !== 'goods' && r.active).map((r) => ({ value: r.id, label: `${lang === 'en' ? r.nameEn : r.nameZh} (${r.code})` }))} />
            </Form.Item>
          )}
          {v.offerKind === 'points' && <Form.Item name="points" label={t('campaigns.points')}><InputNumber min={1} max={1_000_000} /></Form.Item>}
        </Space>
      </Card>

      <Card title={t('campaigns.messages')} className="th-section">
        <Form.Item name="channels" label={t('campaigns.channels')} rules={[{ required: true, type: 'array', min: 1, message: t('campaigns.required') }]}>
          <Checkbox.Group options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))} />
        </Form.Item>
        <Typography.Paragraph type="secondary">{t('campaigns.variablesHelp')}</Typography.Paragraph>
        <Form.List name="variants">
          {(fields, { add, remove }) => (
            <>
              {fields.map((f, i) => (
                <Card key={f.key} size="small" title={t('campaigns.variant', { key: String.fromCharCode(65 + i) })} className="th-section"
                  extra={fields.length > 1 && <Button size="small" onClick={() => remove(f.name)}>{t('campaigns.removeVariant')}</Button>}>
                  <Row gutter={12}>
                    <Col span={12}><Form.Item name={[f.name, 'titleZh']} label={t('campaigns.titleZh')} rules={[{ required: true, message: t('campaigns.required') }]}><Input maxLength={80} /></Form.Item></Col>
                    <Col span={12}><Form.Item name={[f.name, 'titleEn']} label={t('campaigns.titleEn')} rules={[{ required: true, message: t('campaigns.required') }]}><Input maxLength={80} /></Form.Item></Col>
                    <Col span={12}><Form.Item name={[f.name, 'bodyZh']} label={t('campaigns.bodyZh')} rules={[{ required: true, message: t('campaigns.required') }]}><Input.TextArea maxLength={500} rows={2} /></Form.Item></Col>
                    <Col span={12}><Form.Item name={[f.name, 'bodyEn']} label={t('campaigns.bodyEn')} rules={[{ required: true, message: t('campaigns.required') }]}><Input.TextArea maxLength={500} rows={2} /></Form.Item></Col>
                    <Col span={12}><Form.Item name={[f.name, 'smsZh']} label={t('campaigns.smsZh')}><Input maxLength={140} /></Form.Item></Col>
                    <Col span={12}><Form.Item name={[f.name, 'smsEn']} label={t('campaigns.smsEn')}><Input maxLength={300} /></Form.Item></Col>
                    <Col span={6}><Form.Item name={[f.name, 'weight']} label={t('campaigns.weight')}><InputNumber min={1} max={100} /></Form.Item></Col>
                    {v.offerKind === 'addon' && <Col span={6}><Form.Item name={[f.name, 'discountPct']} label={t('campaigns.variantDiscount')}><InputNumber min={0} max={100} /></Form.Item></Col>}
                  </Row>
                </Card>
              ))}
              {fields.length < 4 && <Button data-testid="add-variant" onClick={() => add(defaultVariant(String.fromCharCode(65 + fields.length)))}>{t('campaigns.addVariant')}</Button>}
            </>
          )}
        </Form.List>
      </Card>

      <Card title={t('campaigns.scheduleAndControl')} className="th-section">
        <Space align="start" wrap>
          <Form.Item name="scheduleKind" label={t('campaigns.schedule')}>
            <Select style={{ width: 280 }} data-testid="schedule-kind" options={(['once', 'recurring', 'data_exhausted', 'churn_threshold'] as const).map((k) => ({ value: k, label: t(`campaigns.scheduleKinds.${k}`) }))} />
          </Form.Item>
          {(v.scheduleKind === 'once' || v.scheduleKind === 'recurring') && <Form.Item name="at" label={t('campaigns.startAt')}><Input type="datetime-local" style={{ width: 220 }} /></Form.Item>}
          {v.scheduleKind === 'recurring' && <Form.Item name="everyDays" label={t('campaigns.everyDays')}><InputNumber min={1} max={90} /></Form.Item>}
          {v.scheduleKind === 'churn_threshold' && <Form.Item name="threshold" label={t('campaigns.threshold')}><InputNumber min={0} max={1} step={0.05} /></Form.Item>}
          <Form.Item name="holdoutPct" label={t('campaigns.holdoutPct')}><InputNumber min={0} max={90} data-testid="holdout" /></Form.Item>
          <Form.Item name="attributionDays" label={t('campaigns.attributionDays')}><InputNumber min={1} max={90} /></Form.Item>
        </Space>
      </Card>

      <Space>
        <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="campaign-save">{t('campaigns.saveDraft')}</Button>
        <Button onClick={() => void navigate(id ? `/campaigns/${id}` : '/campaigns')}>{t('common.cancel')}</Button>
      </Space>
    </Form>
  );
}
