import { useState } from 'react';
import { Button, List, Toast } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { billPdf, billQuery } from '../../../api/payments';
import { formatDate } from '../../../lib/dates';
import { maskPhone } from '../../../lib/mask';
import { formatMoney } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';

/** One bill: opening balance, every kind of movement, closing balance; PDF download. */
export default function BillDetail() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const q = useQuery(billQuery(id));
  const [busy, setBusy] = useState(false);
  if (!q.data) return <SubPage title={t('bills.title')} back="/bills"><QueryState error={q.error} onRetry={() => void q.refetch()} /></SubPage>;
  const b = q.data;

  async function download() {
    setBusy(true);
    try {
      const blob = await billPdf(b.id);
      const url = URL.createObjectURL(blob);
      const a = document.createElement('a');
      a.href = url;
      a.download = `bill-${b.cycle}-${b.msisdn}.pdf`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
    } finally {
      setBusy(false);
    }
  }

  const rows: [string, number, string][] = [
    [t('bills.opening'), b.openingBalance.amount, 'opening'],
    [t('bills.planFees'), -b.planFees.amount, 'plan'],
    [t('bills.addons'), -b.addons.amount, 'addons'],
    [t('bills.overageData'), -b.overage.data.amount, 'data'],
    [t('bills.overageVoice'), -b.overage.voice.amount, 'voice'],
    [t('bills.overageSms'), -b.overage.sms.amount, 'sms'],
    [t('bills.adjustments'), b.adjustments.amount, 'adjustments'],
    [t('bills.payments'), b.payments.amount, 'payments'],
    [t('bills.refunds'), -b.refunds.amount, 'refunds'],
    [t('bills.other'), b.other.amount, 'other'],
  ];
  return (
    <SubPage title={t('bills.cycle', { cycle: b.cycle })} back="/bills">
      <List mode="card" header={`${maskPhone(b.msisdn)} · ${formatDate(b.cycleStart, i18n.language)} – ${formatDate(new Date(Date.parse(b.cycleEnd) - 1).toISOString(), i18n.language)}`}>
        {rows.filter(([, v, k]) => v !== 0 || k === 'opening').map(([label, v, k]) => (
          <List.Item key={k} extra={<span data-testid={`bill-row-${k}`}>{formatMoney(v)}</span>}>{label}</List.Item>
        ))}
        <List.Item extra={<strong data-testid="bill-closing">{formatMoney(b.closingBalance.amount)}</strong>}><strong>{t('bills.closingLabel')}</strong></List.Item>
      </List>
      <div className="th-form-footer">
        <Button block color="primary" loading={busy} onClick={() => void download()} data-testid="bill-pdf">{t('bills.downloadPdf')}</Button>
        <div className="th-hint">{t('bills.pdfNote')}</div>
      </div>
    </SubPage>
  );
}
