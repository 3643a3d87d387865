import { Suspense, useEffect } from 'react';
import { useQuery } from '@tanstack/react-query';
import { profileQuery } from '../api/me';
import { currentLanguage, hasChosenLanguage, setLanguage } from '../i18n';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { DotLoading, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';

/** Bottom tab bar around the signed-in tabs. */
export function TabLayout() {
  const { t } = useTranslation();
  const profile = useQuery(profileQuery());
  const profileLocale = profile.data?.locale;
  // On a device where nobody chose a language yet, follow the account's preference.
  useEffect(() => {
    if (profileLocale && !hasChosenLanguage() && profileLocale !== currentLanguage()) void setLanguage(profileLocale);
  }, [profileLocale]);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const tabs = [
    { key: '/', title: t('tabs.home'), icon: <AppOutline />, testId: 'tab-home' },
    { key: '/me', title: t('tabs.me'), icon: <UserOutline />, testId: 'tab-me' },
  ];
  return (
    <div className="th-tabs-page">
      <main className="th-tabs-body">
        <Suspense fallback={<div className="th-loading"><DotLoading color="primary" /></div>}>
          <Outlet />
        </Suspense>
      </main>
      <TabBar className="th-tabbar" activeKey={pathname === '/me' ? '/me' : '/'} onChange={(key) => void navigate(key)}>
        {tabs.map((tab) => (
          <TabBar.Item key={tab.key} icon={tab.icon} title={<span data-testid={tab.testId}>{tab.title}</span>} />
        ))}
      </TabBar>
    </div>
  );
}
