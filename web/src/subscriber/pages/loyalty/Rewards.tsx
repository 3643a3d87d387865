import { useState } from 'react';
import { Button, Dialog, ErrorBlock, List, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Reward } from '@telehall/contracts';
import { pointsQuery, redeem, rewardsQuery } from '../../../api/loyalty';
import { queryKeys } from '../../../api/keys';
import { newIdempotencyKey } from '../../../lib/units';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';
import { useSelectedLine } from '../../hooks/useSelectedLine';
import { couponTerms, rewardName } from './labels';

/** The rewards mall: redeem the selected line's points for coupons or goods. */
export default function Rewards() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { line } = useSelectedLine();
  const rewards = useQuery(rewardsQuery());
  const points = useQuery({ ...pointsQuery(line?.id ?? ''), enabled: !!line });
  const [attempt, setAttempt] = useState<{ reward: Reward; key: string } | null>(null);
  const go = useMutation({
    mutationFn: (a: { reward: Reward; key: string }) => redeem({ lineId: line!.id, rewardId: a.reward.id }, a.key),
    onSuccess: async (r) => {
      setAttempt(null);
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
      void Dialog.alert({
        content: <span data-testid="redeem-done">{r.couponId ? t('loyalty.redeemedCoupon', { balance: r.balance }) : t('loyalty.redeemedGoods', { balance: r.balance })}</span>,
        confirmText: t('common.confirm'),
        onConfirm: () => (r.couponId ? void navigate('/coupons') : undefined),
      });
    },
    onError: (err) => {
      setAttempt(null);
      Toast.show({ content: <span data-testid="redeem-error">{errorMessage(t, err)}</span> });
    },
  });

  const balance = points.data?.balance ?? 0;
  return (
    <SubPage title={t('loyalty.mall')} back="/points">
      <div className="th-addon-balance" data-testid="mall-balance">{t('loyalty.available', { points: balance.toLocaleString() })}</div>
      {!rewards.data ? <QueryState error={rewards.error} onRetry={() => void rewards.refetch()} /> : rewards.data.length === 0 ? <ErrorBlock status="empty" title={t('loyalty.noRewards')} description="" /> : (
        <List mode="card">
          {rewards.data.map((r) => (
            <List.Item
              key={r.id}
              data-testid={`reward-${r.code}`}
              description={<>{couponTerms(t, r)}{r.stock !== null && <> · {t('loyalty.stock', { n: r.stock })}</>}</>}
              extra={
                <Button size="small" color="primary" disabled={r.stock === 0 || balance < r.pointsPrice || points.data?.frozen} data-testid={`redeem-${r.code}`}
                  onClick={() => setAttempt({ reward: r, key: newIdempotencyKey() })}>
                  {t('loyalty.pointsPrice', { points: r.pointsPrice.toLocaleString() })}
                </Button>
              }
            >
              {rewardName(r, lang)} {r.kind === 'goods' && <Tag>{t('loyalty.kind.goods')}</Tag>}
            </List.Item>
          ))}
        </List>
      )}
      <Dialog
        visible={!!attempt}
        title={t('loyalty.confirmRedeem')}
        content={attempt && <div data-testid="redeem-confirm">{t('loyalty.confirmRedeemText', { name: rewardName(attempt.reward, lang), points: attempt.reward.pointsPrice, after: balance - attempt.reward.pointsPrice })}</div>}
        closeOnAction={false}
        onClose={() => !go.isPending && setAttempt(null)}
        actions={[[
          { key: 'cancel', text: t('common.cancel'), disabled: go.isPending, onClick: () => setAttempt(null) },
          { key: 'ok', text: <span data-testid="redeem-confirm-ok">{t('loyalty.redeem')}</span>, bold: true, disabled: go.isPending, onClick: () => {
            if (attempt) go.mutate(attempt);
          } },
        ]]}
      />
    </SubPage>
  );
}
