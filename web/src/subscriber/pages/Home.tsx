import { Badge, Card, Grid, NoticeBar, Selector, Tag } from 'antd-mobile';
import { BillOutline, FileOutline, GiftOutline, LockOutline, MessageOutline, PayCircleOutline, TextOutline, UserSetOutline } from 'antd-mobile-icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import type { Line } from '@telehall/contracts';
import { balanceQuery, recommendationQuery, unreadQuery, usageQuery } from '../../api/charging';
import { profileQuery } from '../../api/me';
import { myOffersQuery } from '../../api/campaigns';
import { OfferCard } from '../components/OfferCard';
import { formatDate } from '../../lib/dates';
import { maskPhone } from '../../lib/mask';
import { formatMoney } from '../../lib/money';
import { daysUntil } from '../../lib/units';
import { Gauge } from '../components/Gauge';
import { QueryState } from '../components/QueryState';
import { planName, useSelectedLine } from '../hooks/useSelectedLine';

function Shortcut({ to, icon, label, testId, badge }: { to: string; icon: React.ReactNode; label: string; testId: string; badge?: number }) {
  const navigate = useNavigate();
  return (
    <button type="button" className="th-quick-link" data-testid={testId} onClick={() => void navigate(to)}>
      <span className="th-quick-link-icon">
        {badge ? (
          <Badge content={badge > 99 ? '99+' : badge} data-testid="home-unread">
            {icon}
          </Badge>
        ) : (
          icon
        )}
      </span>
      <span>{label}</span>
    </button>
  );
}

function LineStatus({ line }: { line: Line }) {
  const { t, i18n } = useTranslation();
  if (line.status === 'active') return <Tag color="success" data-testid="home-line-status">{t('line.status.active')}</Tag>;
  const reasonKey = `line.statusReason.${line.statusReason ?? ''}`;
  const reason = line.statusReason ? (i18n.exists(reasonKey) ? t(reasonKey as 'line.statusReason.credit_limit') : line.statusReason) : '';
  return (
    <Tag color="danger" data-testid="home-line-status">
      {t(`line.status.${line.status}`)}
      {reason ? ` · ${reason}` : ''}
    </Tag>
  );
}

function LineOverview({ line }: { line: Line }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const lang = i18n.language;
  const balance = useQuery(balanceQuery(line.id));
  const usage = useQuery(usageQuery(line.id));
  const rec = useQuery(recommendationQuery(line.id));
  const money = balance.data?.balance.amount ?? line.balance.amount;
  const credit = balance.data?.creditLimit.amount ?? line.creditLimit.amount;
  const cycleEnd = usage.data?.cycleEnd ?? line.cycleEnd;

  return (
    <>
      {line.status === 'suspended' && (
        <NoticeBar
          color="error"
          wrap
          data-testid="home-suspended"
          content={t('line.suspendedNotice', {
            reason: line.statusReason && i18n.exists(`line.statusReason.${line.statusReason}`)
              ? t(`line.statusReason.${line.statusReason}` as 'line.statusReason.credit_limit')
              : (line.statusReason ?? ''),
          })}
        />
      )}
      <Card className="th-card th-balance-card" data-testid="home-balance-card">
        <div className="th-balance-head">
          <span>{t('home.balance')}</span>
          <LineStatus line={line} />
        </div>
        <div className={`th-balance-amount${money < 0 ? ' th-negative' : ''}`} data-testid="home-balance">
          {formatMoney(money)}
        </div>
        <div className="th-balance-sub">
          <span data-testid="home-credit-limit">{t('home.creditLimit', { amount: formatMoney(credit) })}</span>
        </div>
      </Card>

      <Card
        className="th-card"
        title={<span data-testid="home-plan-name">{planName(line.plan, lang)}</span>}
        extra={<span className="th-muted" data-testid="home-reset-days">{t('home.resetIn', { count: daysUntil(cycleEnd), date: formatDate(cycleEnd, lang) })}</span>}
      >
        {usage.data ? (
          <div className="th-gauges">
            {usage.data.totals.map((total) => (
              <Gauge key={total.kind} kind={total.kind} allowance={total.allowance} remaining={total.remaining} />
            ))}
          </div>
        ) : (
          <QueryState error={usage.error} onRetry={() => void usage.refetch()} />
        )}
        {line.scheduledPlan && (
          <div className="th-scheduled" data-testid="home-scheduled-plan">
            {t('home.scheduledPlan', { name: planName(line.scheduledPlan, lang), date: formatDate(line.cycleEnd, lang) })}
          </div>
        )}
      </Card>

      {rec.data?.recommended && (
        <Card className="th-card th-recommend" data-testid="home-recommendation" onClick={() => void navigate(`/plans?plan=${rec.data?.recommended?.id ?? ''}`)}>
          <div>
            {t('home.recommendation', {
              name: planName(rec.data.recommended, lang),
              saving: formatMoney(rec.data.monthlySaving.amount),
            })}
          </div>
          <div className="th-muted">{t('home.recommendationBasis', { count: rec.data.cyclesConsidered })}</div>
        </Card>
      )}
    </>
  );
}

export default function Home() {
  const { t, i18n } = useTranslation();
  const profile = useQuery(profileQuery());
  const { lines, items, line, select } = useSelectedLine();
  const unread = useQuery(unreadQuery());
  const offers = useQuery(myOffersQuery());
  // An offer still to take first; once taken, it stays on the card (marked taken) until it expires.
  const offer = offers.data?.find((o) => !o.taken) ?? offers.data?.[0];

  if (!profile.data) return <QueryState error={profile.error} onRetry={() => void profile.refetch()} />;
  const me = profile.data;
  const services = [
    { to: '/usage', icon: <FileOutline />, label: t('home.linkUsage'), testId: 'home-link-usage' },
    { to: '/plans', icon: <BillOutline />, label: t('home.linkPlans'), testId: 'home-link-plans' },
    { to: '/addons', icon: <PayCircleOutline />, label: t('home.linkAddons'), testId: 'home-link-addons' },
    { to: '/points', icon: <GiftOutline />, label: t('home.linkPoints'), testId: 'home-link-points' },
  ];
  const account = [
    { to: '/me/profile', icon: <UserSetOutline />, label: t('home.linkProfile'), testId: 'home-link-profile' },
    { to: '/me/password', icon: <LockOutline />, label: t('home.linkPassword'), testId: 'home-link-password' },
    { to: '/me/devices', icon: <TextOutline />, label: t('home.linkDevices'), testId: 'home-link-devices' },
    { to: '/topup', icon: <PayCircleOutline />, label: t('pay.topupTitle'), testId: 'home-link-topup' },
    { to: '/bills', icon: <BillOutline />, label: t('bills.title'), testId: 'home-link-bills' },
  ];

  return (
    <div className="th-page">
      <div className="th-hero">
        <div className="th-hero-greeting" data-testid="home-greeting">
          {me.name ? t('home.greeting', { name: me.name }) : t('home.greetingNoName')}
        </div>
        <div className="th-hero-sub">{maskPhone(line?.msisdn ?? me.phone)}</div>
      </div>

      {items.length > 1 && line && (
        <div className="th-line-switcher" data-testid="line-switcher">
          <Selector
            columns={2}
            value={[line.id]}
            onChange={(v) => v[0] && select(v[0])}
            options={items.map((l) => ({ value: l.id, label: maskPhone(l.msisdn), description: planName(l.plan, i18n.language) }))}
          />
        </div>
      )}

      {line ? (
        <LineOverview key={line.id} line={line} />
      ) : lines.data ? (
        <Card className="th-card" data-testid="home-no-line">
          <div className="th-empty">{t('home.noLine')}</div>
        </Card>
      ) : (
        <QueryState error={lines.error} onRetry={() => void lines.refetch()} />
      )}

      {offer && (
        <>
          <OfferCard offer={offer} />
          {(offers.data?.length ?? 0) > 1 && <Shortcut to="/offers" icon={<PayCircleOutline />} label={t('offers.all')} testId="home-link-offers" />}
        </>
      )}

      <Card title={t('home.services')} className="th-card">
        <Grid columns={4} gap={8}>
          {line &&
            services.map((s) => (
              <Grid.Item key={s.to}>
                <Shortcut {...s} />
              </Grid.Item>
            ))}
          <Grid.Item>
            <Shortcut to="/inbox" icon={<MessageOutline />} label={t('home.linkInbox')} testId="home-link-inbox" badge={unread.data} />
          </Grid.Item>
        </Grid>
      </Card>

      <Card title={t('home.quickLinks')} className="th-card">
        <Grid columns={3} gap={8}>
          {account.map((link) => (
            <Grid.Item key={link.to}>
              <Shortcut {...link} />
            </Grid.Item>
          ))}
        </Grid>
      </Card>
    </div>
  );
}
