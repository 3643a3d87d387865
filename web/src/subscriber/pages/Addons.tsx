import { useState } from 'react';
import { Button, Dialog, ErrorBlock, List, Result, Tabs } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Addon, AddonOrder, Coupon } from '@telehall/contracts';
import { couponsQuery } from '../../api/loyalty';
import { ApiError } from '../../api/client';
import { addonsQuery, balanceQuery, buyAddon } from '../../api/charging';
import { queryKeys } from '../../api/keys';
import { formatDate } from '../../lib/dates';
import { formatMoney } from '../../lib/money';
import { newIdempotencyKey } from '../../lib/units';
import { errorMessage } from '../../shared/errors';
import { QueryState } from '../components/QueryState';
import { Quantity } from '../components/Quantity';
import { SubPage } from '../components/SubPage';
import { CouponPicker } from '../components/CouponPicker';
import { useSelectedLine } from '../hooks/useSelectedLine';

const kinds = ['data', 'voice', 'sms'] as const;

/** One purchase attempt: the key is reused if the same attempt is retried after a network failure. */
interface Attempt {
  addon: Addon;
  key: string;
  /** a coupon from the wallet to apply */
  couponId?: string | null;
  /** what the coupon takes off (fen), for the confirmation */
  discount?: number;
  /** set after a failure that may or may not have reached the server */
  uncertain?: string;
}

export default function Addons() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const qc = useQueryClient();
  const { lines, line } = useSelectedLine();
  const addons = useQuery(addonsQuery());
  const balance = useQuery({ ...balanceQuery(line?.id ?? ''), enabled: !!line });
  const coupons = useQuery({ ...couponsQuery(line?.id ?? ''), enabled: !!line });
  const [kind, setKind] = useState<(typeof kinds)[number]>('data');
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [order, setOrder] = useState<AddonOrder | null>(null);

  const buy = useMutation({
    mutationFn: (a: Attempt) => buyAddon({ lineId: line!.id, addonId: a.addon.id, ...(a.couponId ? { couponId: a.couponId } : {}) }, a.key),
    onSuccess: async (o) => {
      setAttempt(null);
      setOrder(o);
      await qc.invalidateQueries({ queryKey: queryKeys.lines.all });
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
    },
    onError: (err, a) => {
      const message = errorMessage(t, err);
      // No answer, or a 5xx: the order may have gone through. Offer to retry the same attempt (same key).
      if (err instanceof ApiError && (err.status === 0 || err.status >= 500)) setAttempt({ ...a, uncertain: message });
      else {
        setAttempt(null);
        void Dialog.alert({ title: t('addons.failed'), content: <span data-testid="addon-error">{message}</span>, confirmText: t('common.confirm') });
        void qc.invalidateQueries({ queryKey: queryKeys.lines.all });
      }
    },
  });

  const name = (a: Addon) => (lang === 'en' ? a.nameEn : a.nameZh);
  const current = balance.data?.balance.amount ?? line?.balance.amount ?? 0;

  if (!line) {
    return (
      <SubPage title={t('addons.title')} back="/">
        {lines.data ? <ErrorBlock status="empty" title={t('home.noLine')} description="" /> : <QueryState error={lines.error} onRetry={() => void lines.refetch()} />}
      </SubPage>
    );
  }
  if (order) {
    return (
      <SubPage title={t('addons.title')} back="/">
        <Result
          status="success"
          data-testid="addon-result"
          title={t('addons.bought', { name: name(order.addon) })}
          description={t('addons.boughtDetail', { price: formatMoney(order.price.amount - (order.discount?.amount ?? 0)), balance: formatMoney(order.balanceAfter.amount), date: formatDate(order.validUntil, lang) })}
        />
        <div className="th-padded">
          <Button block onClick={() => setOrder(null)} data-testid="addon-back">
            {t('addons.backToList')}
          </Button>
        </div>
      </SubPage>
    );
  }

  const list = (addons.data ?? []).filter((a) => a.kind === kind);
  const couponList = coupons.data ?? [];
  const after = attempt ? current - attempt.addon.price.amount + (attempt.discount ?? 0) : 0;
  const pick = (c: Coupon | undefined) => {
    if (!attempt) return;
    const price = attempt.addon.price.amount;
    const discount = !c ? 0 : c.kind === 'data_pack' ? price : Math.min(c.value.amount, price);
    // A different coupon is a different purchase: a fresh idempotency key.
    setAttempt({ addon: attempt.addon, key: newIdempotencyKey(), couponId: c?.id ?? null, discount });
  };
  return (
    <SubPage title={t('addons.title')} back="/">
      <div className="th-addon-balance" data-testid="addon-balance">{t('addons.balance', { amount: formatMoney(current) })}</div>
      <Tabs activeKey={kind} onChange={(k) => setKind(k as typeof kind)}>
        {kinds.map((k) => (
          <Tabs.Tab key={k} title={<span data-testid={`addon-tab-${k}`}>{t(`addons.kind.${k}`)}</span>} />
        ))}
      </Tabs>
      {!addons.data ? (
        <QueryState error={addons.error} onRetry={() => void addons.refetch()} />
      ) : list.length === 0 ? (
        <ErrorBlock status="empty" title={t('addons.none')} description="" />
      ) : (
        <List mode="card">
          {list.map((a) => (
            <List.Item
              key={a.id}
              data-testid={`addon-item-${a.code}`}
              description={t('addons.validity', { days: a.validityDays })}
              extra={
                <Button size="small" color="primary" data-testid={`addon-buy-${a.code}`} onClick={() => setAttempt({ addon: a, key: newIdempotencyKey() })}>
                  {formatMoney(a.price.amount)}
                </Button>
              }
            >
              {name(a)} · <Quantity kind={a.kind} quantity={a.quantity} />
            </List.Item>
          ))}
        </List>
      )}
      <Dialog
        visible={!!attempt}
        title={t('addons.confirmTitle')}
        content={
          attempt && (
            <div data-testid="addon-confirm">
              <div>{name(attempt.addon)} · <Quantity kind={attempt.addon.kind} quantity={attempt.addon.quantity} /></div>
              <div>{t('addons.price', { amount: formatMoney(attempt.addon.price.amount) })}</div>
              {line && !attempt.uncertain && (
                <CouponPicker lineId={line.id} value={attempt.couponId ?? null}
                  fits={(c) => (c.kind === 'discount' && c.minSpend.amount <= attempt.addon.price.amount) || (c.kind === 'data_pack' && c.addonCode === attempt.addon.code)}
                  onChange={(id) => pick(id ? couponList.find((c) => c.id === id) : undefined)} />
              )}
              {!!attempt.discount && <div data-testid="addon-discount">{t('loyalty.discount', { amount: formatMoney(attempt.discount) })}</div>}
              <div data-testid="addon-balance-after" className={after < 0 ? 'th-negative' : undefined}>
                {t('addons.balanceAfter', { amount: formatMoney(after) })}
              </div>
              {after < 0 && <div className="th-negative">{t('addons.mayBeRefused')}</div>}
              {attempt.uncertain && <div className="th-negative" data-testid="addon-uncertain">{t('addons.uncertain', { reason: attempt.uncertain })}</div>}
            </div>
          )
        }
        closeOnAction={false}
        onClose={() => !buy.isPending && setAttempt(null)}
        actions={[
          [
            { key: 'cancel', text: t('common.cancel'), disabled: buy.isPending, onClick: () => setAttempt(null) },
            {
              key: 'buy',
              text: <span data-testid="addon-confirm-buy">{buy.isPending ? t('addons.buying') : attempt?.uncertain ? t('common.retry') : t('addons.buy')}</span>,
              bold: true,
              disabled: buy.isPending,
              onClick: () => {
                if (attempt) buy.mutate(attempt);
              },
            },
          ],
        ]}
      />
    </SubPage>
  );
}
