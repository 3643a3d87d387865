import { Button, Card, ErrorBlock, List, NoticeBar, Tag, Toast } from 'antd-mobile';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { checkIn, pointHistoryQuery, pointsQuery } from '../../../api/loyalty';
import { queryKeys } from '../../../api/keys';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { maskPhone } from '../../../lib/mask';
import { formatMoney } from '../../../lib/money';
import { errorMessage } from '../../../shared/errors';
import { QueryState } from '../../components/QueryState';
import { SubPage } from '../../components/SubPage';
import { useSelectedLine } from '../../hooks/useSelectedLine';
import { eventLabel } from './labels';

/** The selected line's points: balance, tier, what expires when, daily check-in, history with the rule behind each entry. */
export default function Points() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { lines, line } = useSelectedLine();
  const points = useQuery({ ...pointsQuery(line?.id ?? ''), enabled: !!line });
  const history = useQuery({ ...pointHistoryQuery(line?.id ?? ''), enabled: !!line });
  const check = useMutation({
    mutationFn: () => checkIn(line!.id),
    onSuccess: async (r) => {
      Toast.show({ icon: 'success', content: <span data-testid="checkin-toast">{t('loyalty.checkedIn', { points: r.points, streak: r.streak })}</span> });
      await qc.invalidateQueries({ queryKey: queryKeys.loyalty.all });
    },
    onError: (err) => Toast.show({ content: errorMessage(t, err) }),
  });

  if (!line) {
    return (
      <SubPage title={t('loyalty.title')} back="/">
        {lines.data ? <ErrorBlock status="empty" title={t('home.noLine')} description="" /> : <QueryState error={lines.error} onRetry={() => void lines.refetch()} />}
      </SubPage>
    );
  }
  const p = points.data;
  return (
    <SubPage title={t('loyalty.title')} back="/">
      {!p ? <QueryState error={points.error} onRetry={() => void points.refetch()} /> : (
        <>
          {p.frozen && <NoticeBar content={t('loyalty.frozen')} color="alert" data-testid="points-frozen" />}
          <Card className="th-card" title={maskPhone(line.msisdn)} extra={<Tag color="warning" data-testid="points-tier">{t(`loyalty.tier.${p.tier}` as 'loyalty.tier.normal')}</Tag>}>
            <div className="th-points-balance" data-testid="points-balance">{p.balance.toLocaleString()}</div>
            <div className="th-muted">{t('loyalty.tierSpend', { amount: formatMoney(p.tierSpend.amount) })}</div>
            {p.shortfall > 0 && <div className="th-negative" data-testid="points-shortfall">{t('loyalty.shortfall', { points: p.shortfall })}</div>}
            <div className="th-points-actions">
              <Button color="primary" disabled={!p.checkin.available || p.checkin.checkedInToday || p.frozen} loading={check.isPending} onClick={() => check.mutate()} data-testid="checkin">
                {p.checkin.checkedInToday ? t('loyalty.checkedInToday', { streak: p.checkin.streak }) : t('loyalty.checkin')}
              </Button>
              <Button onClick={() => void navigate('/rewards')} data-testid="link-rewards">{t('loyalty.mall')}</Button>
              <Button onClick={() => void navigate('/coupons')} data-testid="link-coupons">{t('loyalty.myCoupons')}</Button>
            </div>
          </Card>
          <List header={t('loyalty.expiring')} mode="card" data-testid="points-expiring">
            {p.expiring.length === 0 ? <List.Item>{t('loyalty.noneExpiring')}</List.Item> : p.expiring.map((e) => (
              <List.Item key={e.expiresAt} extra={e.points.toLocaleString()}>{t('loyalty.expiresOn', { date: formatDate(e.expiresAt, lang) })}</List.Item>
            ))}
          </List>
        </>
      )}
      <List header={t('loyalty.history')} mode="card" data-testid="points-history">
        {!history.data ? <QueryState error={history.error} onRetry={() => void history.refetch()} /> : history.data.length === 0 ? <List.Item>{t('loyalty.noHistory')}</List.Item> : history.data.map((e) => (
          <List.Item key={e.id} description={formatDateTime(e.createdAt, lang)} extra={<span className={e.points < 0 ? 'th-negative' : 'th-positive'}>{e.points > 0 ? `+${e.points}` : e.points}</span>}>
            {eventLabel(t, e, lang)}
          </List.Item>
        ))}
      </List>
    </SubPage>
  );
}
