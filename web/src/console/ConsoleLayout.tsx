import { Suspense } from 'react';
import { Button, Layout, Menu, Space, Spin, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { staffLogout } from '../api/auth';
import { staffMeQuery } from '../api/staff';
import { LanguageSelect } from './components/LanguageSelect';
import { QueryError } from './components/QueryError';
import { hasPermission } from './components/RequirePermission';

const { Header, Sider, Content } = Layout;

export function ConsoleLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const me = useQuery(staffMeQuery());

  const items = [
    { key: '/', label: t('console.nav.dashboard'), permission: null },
    { key: '/lines', label: t('console.nav.lines'), permission: 'customers.read' },
    { key: '/catalog', label: t('console.nav.catalog'), permission: 'catalog.manage' },
    { key: '/analytics', label: t('console.nav.analytics'), permission: 'analytics.run' },
    { key: '/models', label: t('console.nav.models'), permission: 'analytics.run' },
    { key: '/campaigns', label: t('console.nav.campaigns'), permission: 'campaigns.read' },
    { key: '/users', label: t('console.nav.users'), permission: 'staff.manage' },
    { key: '/messages', label: t('console.nav.messages'), permission: 'messages.read' },
    { key: '/audit', label: t('console.nav.audit'), permission: 'audit.read' },
    { key: '/payments', label: t('console.nav.payments'), permission: 'customers.read' },
    { key: '/reconciliation', label: t('console.nav.reconciliation'), permission: 'payments.refund' },
    { key: '/tickets', label: t('console.nav.tickets'), permission: 'tickets.handle' },
    { key: '/faq', label: t('console.nav.faq'), permission: 'tickets.handle' },
    { key: '/canned-replies', label: t('console.nav.canned'), permission: 'tickets.handle' },
    { key: '/customers', label: t('console.nav.customers'), permission: 'customers.read' },
    { key: '/orders', label: t('console.nav.orders'), permission: 'customers.read' },
    { key: '/crm-dashboard', label: t('console.nav.crmDashboard'), permission: 'customers.read' },
    { key: '/imports', label: t('console.nav.imports'), permission: 'imports.run' },
    { key: '/loyalty', label: t('console.nav.loyalty'), permission: 'loyalty.manage' },
  ]
    .filter((item) => item.permission === null || hasPermission(me.data?.permissions, item.permission))
    .map(({ key, label }) => ({ key, label: <span data-testid={`nav-${key === '/' ? 'dashboard' : key.slice(1)}`}>{label}</span> }));

  async function logout() {
    await staffLogout();
    await navigate('/login', { replace: true });
  }

  return (
    <Layout className="th-console">
      <Sider breakpoint="lg" collapsedWidth={0} width={208} theme="dark">
        <div className="th-console-brand">{t('console.brand')}</div>
        <Menu theme="dark" mode="inline" selectedKeys={[pathname.startsWith('/lines/') ? '/lines' : pathname.startsWith('/campaigns/') ? '/campaigns' : pathname]} items={items} onClick={({ key }) => void navigate(key)} />
      </Sider>
      <Layout>
        <Header className="th-console-header">
          <Space size="middle">
            {me.data && (
              <>
                <Typography.Text strong data-testid="header-user">{me.data.displayName}</Typography.Text>
                <Tag color="blue" data-testid="header-role">{t(`roles.${me.data.role}`)}</Tag>
              </>
            )}
            <LanguageSelect />
            <Button data-testid="logout" onClick={() => void logout()}>
              {t('console.logout')}
            </Button>
          </Space>
        </Header>
        <Content className="th-console-content">
          {me.data ? (
            <Suspense fallback={<Spin />}>
              <Outlet />
            </Suspense>
          ) : me.error ? (
            <QueryError error={me.error} onRetry={() => void me.refetch()} />
          ) : (
            <Spin />
          )}
        </Content>
      </Layout>
    </Layout>
  );
}
