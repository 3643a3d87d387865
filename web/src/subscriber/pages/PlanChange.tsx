import { useState } from 'react';
import { Button, Card, Dialog, ErrorBlock, List, Result, Space, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Line, Plan, PlanChange as PlanChangeResult, Reason } from '@telehall/contracts';
import { ApiError } from '../../api/client';
import { changePlan, eligibilityQuery, plansQuery, type Timing } from '../../api/charging';
import { queryKeys } from '../../api/keys';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { newIdempotencyKey } from '../../lib/units';
import { errorMessage } from '../../shared/errors';
import { QueryState } from '../components/QueryState';
import { Quantity } from '../components/Quantity';
import { ReasonList } from '../components/ReasonList';
import { SubPage } from '../components/SubPage';
import { planName, useSelectedLine } from '../hooks/useSelectedLine';

function Allowances({ plan }: { plan: Plan }) {
  const { t } = useTranslation();
  return (
    <div className="th-allowances">
      <span>{t('usage.kind.data')} <Quantity kind="data" quantity={plan.dataBytes} /></span>
      <span>{t('usage.kind.voice')} <Quantity kind="voice" quantity={plan.voiceSeconds} /></span>
      <span>{t('usage.kind.sms')} <Quantity kind="sms" quantity={plan.smsCount} /></span>
    </div>
  );
}

function signed(fen: number): string {
  return fen > 0 ? `+${formatMoney(fen)}` : formatMoney(fen);
}

/** Eligibility for both timings, the price effect, and the confirm buttons. */
function ChangeOptions({ line, plan, onDone }: { line: Line; plan: Plan; onDone: (r: PlanChangeResult) => void }) {
  const { t, i18n } = useTranslation();
  const qc = useQueryClient();
  const now = useQuery(eligibilityQuery(line.id, plan.id, 'now'));
  const next = useQuery(eligibilityQuery(line.id, plan.id, 'next_cycle'));
  const [refused, setRefused] = useState<Reason[] | null>(null);
  const mutation = useMutation({
    mutationFn: ({ when, key }: { when: Timing; key: string }) => changePlan({ lineId: line.id, planId: plan.id, when }, key),
    onSuccess: async (r) => {
      await qc.invalidateQueries({ queryKey: queryKeys.lines.all });
      onDone(r);
    },
    onError: (err) => {
      const reasons = err instanceof ApiError && err.code === 'plan_change_not_allowed' ? (err.details as { reasons?: Reason[] } | undefined)?.reasons : undefined;
      if (reasons) setRefused(reasons);
      else Toast.show({ icon: 'fail', content: errorMessage(t, err) });
      void now.refetch();
      void next.refetch();
    },
  });

  if (!now.data || !next.data) return <QueryState error={now.error ?? next.error} onRetry={() => void (now.refetch(), next.refetch())} />;
  const price = now.data.price;
  // "now" lists every reason (common ones and those only about today); "next_cycle" only the common ones.
  const reasons = now.data.reasons;
  const lang = i18n.language;

  async function confirm(when: Timing) {
    const ok = await Dialog.confirm({
      title: t('planChange.confirmTitle'),
      content: (
        <div data-testid="plan-confirm-content">
          {when === 'now'
            ? t('planChange.confirmNow', { name: planName(plan, lang), charge: formatMoney(price.chargeNow.amount), fee: formatMoney(price.newMonthlyFee.amount) })
            : t('planChange.confirmNext', { name: planName(plan, lang), date: formatDate(line.cycleEnd, lang), fee: formatMoney(price.newMonthlyFee.amount) })}
        </div>
      ),
      confirmText: t('common.confirm'),
      cancelText: t('common.cancel'),
    });
    if (ok) mutation.mutate({ when, key: newIdempotencyKey() });
  }

  return (
    <div className="th-plan-options" data-testid="plan-options">
      <List mode="card" header={t('planChange.priceEffect')}>
        <List.Item extra={<span data-testid="plan-price-current">{formatMoney(price.currentMonthlyFee.amount)}</span>}>{t('planChange.currentFee')}</List.Item>
        <List.Item extra={<span data-testid="plan-price-new">{formatMoney(price.newMonthlyFee.amount)}</span>}>{t('planChange.newFee')}</List.Item>
        <List.Item extra={<span data-testid="plan-price-delta">{signed(price.monthlyDelta.amount)}</span>}>{t('planChange.monthlyDelta')}</List.Item>
        <List.Item extra={<span data-testid="plan-price-charge-now">{formatMoney(price.chargeNow.amount)}</span>} description={t('planChange.chargeNowNote')}>
          {t('planChange.chargeNow')}
        </List.Item>
        <List.Item extra={formatMoney(next.data.price.chargeNow.amount)} description={t('planChange.nextCycleNote', { date: formatDate(line.cycleEnd, lang) })}>
          {t('planChange.chargeNextCycle')}
        </List.Item>
      </List>
      {reasons.length > 0 && (
        <Card className="th-card th-refused" title={now.data.eligible || next.data.eligible ? t('planChange.limits') : t('planChange.refused')}>
          <ReasonList reasons={reasons} testId="plan-reasons" />
        </Card>
      )}
      {refused && (
        <Card className="th-card th-refused" title={t('planChange.refused')}>
          <ReasonList reasons={refused} testId="plan-refused" />
        </Card>
      )}
      <Space direction="vertical" block className="th-plan-actions">
        <Button block color="primary" disabled={!now.data.eligible} loading={mutation.isPending && mutation.variables.when === 'now'} onClick={() => void confirm('now')} data-testid="plan-change-now">
          {t('planChange.changeNow')}
        </Button>
        <Button block color="primary" fill="outline" disabled={!next.data.eligible} loading={mutation.isPending && mutation.variables.when === 'next_cycle'} onClick={() => void confirm('next_cycle')} data-testid="plan-change-next">
          {t('planChange.changeNext', { date: formatDate(line.cycleEnd, lang) })}
        </Button>
      </Space>
    </div>
  );
}

export default function PlanChange() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const { lines, line } = useSelectedLine();
  const plans = useQuery(plansQuery());
  const [params, setParams] = useSearchParams();
  const chosenId = params.get('plan');
  const [result, setResult] = useState<PlanChangeResult | null>(null);

  if (!line) {
    return (
      <SubPage title={t('planChange.title')} back="/">
        {lines.data ? <ErrorBlock status="empty" title={t('home.noLine')} description="" /> : <QueryState error={lines.error} onRetry={() => void lines.refetch()} />}
      </SubPage>
    );
  }
  if (result) {
    return (
      <SubPage title={t('planChange.title')} back="/">
        <Result
          status="success"
          data-testid="plan-change-result"
          title={result.status === 'applied' ? t('planChange.applied', { name: planName(result.toPlan, lang) }) : t('planChange.scheduled', { name: planName(result.toPlan, lang) })}
          description={
            result.status === 'applied'
              ? t('planChange.appliedDetail', { charge: formatMoney(result.charged.amount) })
              : t('planChange.scheduledDetail', { date: formatDate(result.effectiveAt, lang) })
          }
        />
        <div className="th-padded">
          <Button block onClick={() => { setResult(null); setParams({}); }} data-testid="plan-change-back">
            {t('planChange.backToPlans')}
          </Button>
        </div>
      </SubPage>
    );
  }

  const chosen = plans.data?.find((p) => p.id === chosenId);
  return (
    <SubPage title={t('planChange.title')} back="/">
      <div className="th-current-plan" data-testid="plan-current">
        {t('planChange.current', { name: planName(line.plan, lang) })}
        {line.scheduledPlan && <div className="th-muted">{t('home.scheduledPlan', { name: planName(line.scheduledPlan, lang), date: formatDate(line.cycleEnd, lang) })}</div>}
      </div>
      {!plans.data ? (
        <QueryState error={plans.error} onRetry={() => void plans.refetch()} />
      ) : (
        <List mode="card" header={t('planChange.onSale')}>
          {plans.data.map((p) => (
            <List.Item
              key={p.id}
              data-testid={`plan-item-${p.code}`}
              className={p.id === chosenId ? 'th-selected' : undefined}
              onClick={() => setParams(p.id === chosenId ? {} : { plan: p.id })}
              description={<Allowances plan={p} />}
              extra={<span className="th-price">{t('planChange.perMonth', { fee: formatMoney(p.monthlyFee.amount) })}</span>}
            >
              {planName(p, lang)} {p.code === line.plan.code && <Tag color="primary">{t('planChange.currentTag')}</Tag>}
            </List.Item>
          ))}
        </List>
      )}
      {chosen && <ChangeOptions key={chosen.id} line={line} plan={chosen} onDone={setResult} />}
    </SubPage>
  );
}
