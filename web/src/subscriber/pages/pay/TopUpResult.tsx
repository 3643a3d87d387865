import { Button, List, Result } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { myLinesQuery, paymentQuery } from '../../../api/payments';
import { formatDateTime } from '../../../lib/dates';
import { maskPhone } from '../../../lib/mask';
import { formatMoney } from '../../../lib/money';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';

/** The receipt after the gateway: waits while the payment is pending. */
export default function TopUpResult() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { id = '' } = useParams();
  const payment = useQuery({ ...paymentQuery(id), refetchInterval: (q) => (q.state.data?.status === 'pending' ? 1500 : false) });
  const lines = useQuery({ ...myLinesQuery(), enabled: payment.data?.status === 'captured' });
  if (!payment.data) return <SubPage title={t('pay.receipt')} back="/topup"><QueryState error={payment.error} onRetry={() => void payment.refetch()} /></SubPage>;
  const p = payment.data;
  const status = p.status === 'captured' ? 'success' : p.status === 'pending' ? 'waiting' : 'error';
  const balance = lines.data?.find((l) => l.id === p.lineId)?.balance;
  return (
    <SubPage title={t('pay.receipt')} back="/topup">
      <Result status={status} title={<span data-testid="receipt-status">{t(`pay.status.${p.status}`)}</span>} description={formatMoney(p.amount.amount)} />
      <List mode="card">
        <List.Item extra={maskPhone(p.msisdn)}>{t('pay.line')}</List.Item>
        <List.Item extra={formatMoney(p.amount.amount)}>{t('pay.amount')}</List.Item>
        {p.refunded.amount > 0 && <List.Item extra={formatMoney(p.refunded.amount)}>{t('pay.refunded')}</List.Item>}
        <List.Item extra={formatDateTime(p.capturedAt ?? p.createdAt, i18n.language)}>{t('pay.time')}</List.Item>
        <List.Item extra={<span className="th-mono">{p.id.slice(0, 18)}</span>}>{t('pay.paymentNo')}</List.Item>
        {balance && <List.Item extra={<span data-testid="receipt-balance">{formatMoney(balance.amount)}</span>}>{t('pay.balanceNow')}</List.Item>}
      </List>
      <div className="th-form-footer">
        <Button block color="primary" onClick={() => void navigate('/')} data-testid="receipt-home">{t('pay.backHome')}</Button>
        <Button block onClick={() => void navigate('/payments')} className="th-mt">{t('pay.history')}</Button>
      </div>
    </SubPage>
  );
}
