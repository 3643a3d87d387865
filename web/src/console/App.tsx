import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { useTranslation } from 'react-i18next';
import { staffTokens } from '../api/tokens';
import { useTokens } from '../shared/auth';
import { createQueryClient } from '../shared/query-client';
import { ConsoleLayout } from './ConsoleLayout';
import { RequirePermission } from './components/RequirePermission';
import './console.css';

const Login = lazy(() => import('./pages/Login'));
const Dashboard = lazy(() => import('./pages/Dashboard'));
const StaffUsers = lazy(() => import('./pages/StaffUsers'));
const Messages = lazy(() => import('./pages/Messages'));
const AuditLog = lazy(() => import('./pages/AuditLog'));
const Tickets = lazy(() => import('./pages/support/Tickets'));
const FaqAdmin = lazy(() => import('./pages/support/FaqAdmin'));
const CannedReplies = lazy(() => import('./pages/support/CannedReplies'));
const Lines = lazy(() => import('./pages/Lines'));
const LineDetail = lazy(() => import('./pages/LineDetail'));
const Catalog = lazy(() => import('./pages/Catalog'));
const Payments = lazy(() => import('./pages/Payments'));
const Reconciliation = lazy(() => import('./pages/Reconciliation'));
const Customers = lazy(() => import('./pages/Customers'));
const Customer360 = lazy(() => import('./pages/Customer360'));
const Imports = lazy(() => import('./pages/Imports'));
const CustomerDashboard = lazy(() => import('./pages/CustomerDashboard'));
const Analytics = lazy(() => import('./pages/Analytics'));
const Models = lazy(() => import('./pages/Models'));
const Campaigns = lazy(() => import('./pages/campaigns/Campaigns'));
const CampaignEditor = lazy(() => import('./pages/campaigns/CampaignEditor'));
const CampaignDetail = lazy(() => import('./pages/campaigns/CampaignDetail'));
const Loyalty = lazy(() => import('./pages/loyalty/Loyalty'));
const Orders = lazy(() => import('./pages/Orders'));

const queryClient = createQueryClient();
staffTokens.subscribe(() => {
  if (!staffTokens.get()) queryClient.clear();
});

function RequireStaff({ children }: { children: ReactNode }) {
  const tokens = useTokens(staffTokens);
  const location = useLocation();
  if (!tokens) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

function PublicOnly({ children }: { children: ReactNode }) {
  return useTokens(staffTokens) ? <Navigate to="/" replace /> : children;
}

export function App() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('console.brand');
  }, [t, i18n.language]);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <QueryClientProvider client={queryClient}>
          <BrowserRouter basename="/console">
            <Suspense fallback={<Spin fullscreen />}>
              <Routes>
                <Route path="/login" element={<PublicOnly><Login /></PublicOnly>} />
                <Route element={<RequireStaff><ConsoleLayout /></RequireStaff>}>
                  <Route index element={<Dashboard />} />
                  <Route path="users" element={<RequirePermission permission="staff.manage"><StaffUsers /></RequirePermission>} />
                  <Route path="messages" element={<RequirePermission permission="messages.read"><Messages /></RequirePermission>} />
                  <Route path="audit" element={<RequirePermission permission="audit.read"><AuditLog /></RequirePermission>} />
                  <Route path="tickets" element={<RequirePermission permission="tickets.handle"><Tickets /></RequirePermission>} />
                  <Route path="faq" element={<RequirePermission permission="tickets.handle"><FaqAdmin /></RequirePermission>} />
                  <Route path="canned-replies" element={<RequirePermission permission="tickets.handle"><CannedReplies /></RequirePermission>} />
                  <Route path="lines" element={<RequirePermission permission="customers.read"><Lines /></RequirePermission>} />
                  <Route path="lines/:id" element={<RequirePermission permission="customers.read"><LineDetail /></RequirePermission>} />
                  <Route path="catalog" element={<RequirePermission permission="catalog.manage"><Catalog /></RequirePermission>} />
                  <Route path="payments" element={<RequirePermission permission="customers.read"><Payments /></RequirePermission>} />
                  <Route path="reconciliation" element={<RequirePermission permission="payments.refund"><Reconciliation /></RequirePermission>} />
                  <Route path="customers" element={<RequirePermission permission="customers.read"><Customers /></RequirePermission>} />
                  <Route path="customers/:id" element={<RequirePermission permission="customers.read"><Customer360 /></RequirePermission>} />
                  <Route path="orders" element={<RequirePermission permission="customers.read"><Orders /></RequirePermission>} />
                  <Route path="crm-dashboard" element={<RequirePermission permission="customers.read"><CustomerDashboard /></RequirePermission>} />
                  <Route path="imports" element={<RequirePermission permission="imports.run"><Imports /></RequirePermission>} />
                  <Route path="campaigns" element={<RequirePermission permission="campaigns.read"><Campaigns /></RequirePermission>} />
                  <Route path="campaigns/new" element={<RequirePermission permission="campaigns.manage"><CampaignEditor /></RequirePermission>} />
                  <Route path="campaigns/:id" element={<RequirePermission permission="campaigns.read"><CampaignDetail /></RequirePermission>} />
                  <Route path="campaigns/:id/edit" element={<RequirePermission permission="campaigns.manage"><CampaignEditor /></RequirePermission>} />
                  <Route path="analytics" element={<RequirePermission permission="analytics.run"><Analytics /></RequirePermission>} />
                  <Route path="models" element={<RequirePermission permission="analytics.run"><Models /></RequirePermission>} />
                  <Route path="loyalty" element={<RequirePermission permission="loyalty.manage"><Loyalty /></RequirePermission>} />
                </Route>
                <Route path="*" element={<Navigate to="/" replace />} />
              </Routes>
            </Suspense>
          </BrowserRouter>
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  );
}
