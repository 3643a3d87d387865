import { useState } from 'react';
import { Button, Card, Input, List, Radio, Selector, Space, Toast } from 'antd-mobile';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { MAX_TOPUP_FEN, TOPUP_PRESETS_FEN, type PaymentMethod } from '@telehall/contracts';
import { myLinesQuery, newKey, startTopup } from '../../../api/payments';
import { maskPhone } from '../../../lib/mask';
import { formatMoney, parseYuan } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import './pay.css';
import { SubPage } from '../../components/SubPage';
import { CouponPicker } from '../../components/CouponPicker';

/** Top up a line: preset or custom amount, then the gateway's page. */
export default function TopUp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const lines = useQuery(myLinesQuery());
  const [lineId, setLineId] = useState<string>();
  const [preset, setPreset] = useState<number | 'custom'>(TOPUP_PRESETS_FEN[1]);
  const [custom, setCustom] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('redirect');
  const [busy, setBusy] = useState(false);
  const [key] = useState(newKey);
  const [couponId, setCouponId] = useState<string | null>(null);

  if (!lines.data) return <SubPage title={t('pay.topupTitle')} back="/"><QueryState error={lines.error} onRetry={() => void lines.refetch()} /></SubPage>;
  const line = lines.data.find((l) => l.id === lineId) ?? lines.data[0];
  const amount = preset === 'custom' ? parseYuan(custom) : preset;
  const invalid = amount === null || amount < 100 || amount > MAX_TOPUP_FEN;

  async function pay() {
    if (!line || invalid) return;
    setBusy(true);
    try {
      const r = await startTopup({ lineId: line.id, amount, method, ...(couponId ? { couponId } : {}) }, `${key}-${line.id}-${amount}-${method}-${couponId ?? 'none'}`);
      window.location.assign(r.gateway.redirectUrl);
    } catch (err) {
      Toast.show({ content: errorMessage(t, err) });
      setBusy(false);
    }
  }

  return (
    <SubPage title={t('pay.topupTitle')} back="/">
      {!line ? <Card className="th-card">{t('pay.noLines')}</Card> : (
        <>
          <List header={t('pay.line')} mode="card">
            {lines.data.map((l) => (
              <List.Item key={l.id} onClick={() => setLineId(l.id)} extra={<span data-testid="topup-balance">{formatMoney(l.balance.amount)}</span>}
                description={l.id === line.id ? t('pay.selected') : undefined}>
                {maskPhone(l.msisdn)}
              </List.Item>
            ))}
          </List>
          <Card title={t('pay.amount')} className="th-card">
            <Selector
              columns={3}
              value={[String(preset)]}
              onChange={(v) => v[0] && setPreset(v[0] === 'custom' ? 'custom' : Number(v[0]))}
              options={[...TOPUP_PRESETS_FEN.map((f) => ({ label: <span data-testid={`preset-${f / 100}`}>{formatMoney(f)}</span>, value: String(f) })), { label: <span data-testid="preset-custom">{t('pay.custom')}</span>, value: 'custom' }]}
            />
            {preset === 'custom' && (
              <Input className="th-topup-custom" placeholder={t('pay.customPlaceholder')} value={custom} onChange={setCustom} inputMode="decimal" data-testid="topup-custom" />
            )}
            {preset === 'custom' && custom !== '' && invalid && <div className="th-error-text">{t('pay.amountInvalid')}</div>}
          </Card>
          <Card className="th-card">
            <CouponPicker key={line.id} lineId={line.id} value={couponId} onChange={setCouponId} fits={(c) => c.kind === 'topup_bonus' && amount !== null && c.minSpend.amount <= amount} />
          </Card>
          <List header={t('pay.method')} mode="card">
            <List.Item>
              <Radio.Group value={method} onChange={(v) => setMethod(v as PaymentMethod)}>
                <Space direction="vertical">
                  <Radio value="redirect">{t('pay.methodRedirect')}</Radio>
                  <Radio value="qr">{t('pay.methodQr')}</Radio>
                </Space>
              </Radio.Group>
            </List.Item>
          </List>
          <div className="th-form-footer">
            <Button block color="primary" size="large" loading={busy} disabled={invalid} onClick={() => void pay()} data-testid="topup-submit">
              {amount !== null && !invalid ? t('pay.payAmount', { amount: formatMoney(amount) }) : t('pay.pay')}
            </Button>
            <Space block justify="center" className="th-pay-links">
              <a onClick={() => void navigate('/payments')} data-testid="link-payments">{t('pay.history')}</a>
              <a onClick={() => void navigate('/topup/auto')} data-testid="link-auto-topup">{t('pay.autoTitle')}</a>
              <a onClick={() => void navigate('/bills')} data-testid="link-bills">{t('bills.title')}</a>
            </Space>
          </div>
        </>
      )}
    </SubPage>
  );
}
