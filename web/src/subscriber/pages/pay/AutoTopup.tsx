import { useEffect, useState } from 'react';
import { Button, Input, List, Stepper, Switch, Toast } from 'antd-mobile';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { autoTopupQuery, myLinesQuery, saveAutoTopup } from '../../../api/payments';
import { queryKeys } from '../../../api/keys';
import { maskPhone } from '../../../lib/mask';
import { formatMoney, parseYuan } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';

const yuanText = (fen: number) => formatMoney(fen).replace(/[¥,]/g, '');

/** "When my balance is below X, top up Y", with a daily cap. */
export default function AutoTopup() {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const lines = useQuery(myLinesQuery());
  const line = lines.data?.[0];
  const settings = useQuery({ ...autoTopupQuery(line?.id ?? ''), enabled: !!line });
  const [form, setForm] = useState({ enabled: false, threshold: '', amount: '', count: 1, max: '' });
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const s = settings.data;
    if (s) setForm({ enabled: s.enabled, threshold: yuanText(s.threshold), amount: yuanText(s.amount), count: s.dailyMaxCount, max: yuanText(s.dailyMaxAmount) });
  }, [settings.data]);
  if (!line || !settings.data) return <SubPage title={t('pay.autoTitle')} back="/topup"><QueryState error={lines.error ?? settings.error} onRetry={() => void settings.refetch()} /></SubPage>;

  const threshold = parseYuan(form.threshold), amount = parseYuan(form.amount), max = parseYuan(form.max);
  const invalid = threshold === null || amount === null || max === null || amount < 100 || max < amount;

  async function save() {
    if (invalid || !line) return;
    setBusy(true);
    try {
      await saveAutoTopup({ lineId: line.id, enabled: form.enabled, threshold, amount, dailyMaxCount: form.count, dailyMaxAmount: max });
      await qc.invalidateQueries({ queryKey: queryKeys.payments.autoTopup(line.id) });
      Toast.show({ icon: 'success', content: t('common.saved') });
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <SubPage title={t('pay.autoTitle')} back="/topup">
      <List mode="card" header={maskPhone(line.msisdn)}>
        <List.Item extra={<Switch checked={form.enabled} onChange={(v) => setForm({ ...form, enabled: v })} data-testid="auto-enabled" />} description={t('pay.autoHelp')}>{t('pay.autoEnabled')}</List.Item>
        <List.Item title={t('pay.autoThreshold')}><Input value={form.threshold} onChange={(v) => setForm({ ...form, threshold: v })} inputMode="decimal" data-testid="auto-threshold" /></List.Item>
        <List.Item title={t('pay.autoAmount')}><Input value={form.amount} onChange={(v) => setForm({ ...form, amount: v })} inputMode="decimal" data-testid="auto-amount" /></List.Item>
        <List.Item extra={<Stepper min={1} max={10} value={form.count} onChange={(v) => setForm({ ...form, count: v })} />}>{t('pay.autoCount')}</List.Item>
        <List.Item title={t('pay.autoMax')}><Input value={form.max} onChange={(v) => setForm({ ...form, max: v })} inputMode="decimal" data-testid="auto-max" /></List.Item>
      </List>
      {invalid && <div className="th-error-text th-pad">{t('pay.autoInvalid')}</div>}
      <div className="th-form-footer">
        <Button block color="primary" loading={busy} disabled={invalid} onClick={() => void save()} data-testid="auto-save">{t('common.save')}</Button>
      </div>
    </SubPage>
  );
}
