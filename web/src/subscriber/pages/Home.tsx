import { Card, Grid, List } from 'antd-mobile';
import { BillOutline, LockOutline, PayCircleOutline, TextOutline, UserSetOutline } from 'antd-mobile-icons';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { profileQuery } from '../../api/me';
import { formatDate } from '../../lib/dates';
import { maskPhone } from '../../lib/mask';
import { QueryState } from '../components/QueryState';

export default function Home() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const profile = useQuery(profileQuery());

  if (!profile.data) return <QueryState error={profile.error} onRetry={() => void profile.refetch()} />;
  const me = profile.data;
  const links = [
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
        <div className="th-hero-sub">{maskPhone(me.phone)}</div>
      </div>
      <Card title={t('home.quickLinks')} className="th-card">
        <Grid columns={3} gap={8}>
          {links.map((link) => (
            <Grid.Item key={link.to}>
              <button type="button" className="th-quick-link" data-testid={link.testId} onClick={() => void navigate(link.to)}>
                <span className="th-quick-link-icon">{link.icon}</span>
                <span>{link.label}</span>
              </button>
            </Grid.Item>
          ))}
        </Grid>
      </Card>
      <List header={t('home.profileSummary')} mode="card">
          <List.Item extra={maskPhone(me.phone)}>{t('fields.phone')}</List.Item>
          <List.Item extra={me.name || t('common.notSet')}>{t('fields.name')}</List.Item>
          <List.Item extra={me.email ?? t('common.notSet')}>{t('fields.email')}</List.Item>
          <List.Item extra={formatDate(me.createdAt, i18n.language)}>{t('home.memberSince')}</List.Item>
      </List>
    </div>
  );
}
