import { Suspense } from 'react';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { DotLoading, TabBar } from 'antd-mobile';
import { AppOutline, UserOutline } from 'antd-mobile-icons';
import { useTranslation } from 'react-i18next';

/** Bottom tab bar around the signed-in tabs. */
export function TabLayout() {
  const { t } = useTranslation();
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
