import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { QueryClientProvider } from '@tanstack/react-query';
import { ConfigProvider, DotLoading } from 'antd-mobile';
import enUS from 'antd-mobile/es/locales/en-US';
import zhCN from 'antd-mobile/es/locales/zh-CN';
import { useTranslation } from 'react-i18next';
import { subscriberTokens } from '../api/tokens';
import { useTokens } from '../shared/auth';
import { createQueryClient } from '../shared/query-client';
import { TabLayout } from './TabLayout';
import './subscriber.css';

const Login = lazy(() => import('./pages/Login'));
const Register = lazy(() => import('./pages/Register'));
const ForgotPassword = lazy(() => import('./pages/ForgotPassword'));
const Home = lazy(() => import('./pages/Home'));
const Me = lazy(() => import('./pages/Me'));
const ProfileEdit = lazy(() => import('./pages/ProfileEdit'));
const ChangePassword = lazy(() => import('./pages/ChangePassword'));
const Devices = lazy(() => import('./pages/Devices'));
const Support = lazy(() => import('./pages/support/Support'));
const TicketNew = lazy(() => import('./pages/support/TicketNew'));
const TicketDetail = lazy(() => import('./pages/support/TicketDetail'));
const Faq = lazy(() => import('./pages/support/Faq'));
const NotificationSettings = lazy(() => import('./pages/support/NotificationSettings'));
const UsageRecords = lazy(() => import('./pages/UsageRecords'));
const PlanChange = lazy(() => import('./pages/PlanChange'));
const Addons = lazy(() => import('./pages/Addons'));
const Inbox = lazy(() => import('./pages/Inbox'));
const Offers = lazy(() => import('./pages/Offers'));
const TopUp = lazy(() => import('./pages/pay/TopUp'));
const TopUpResult = lazy(() => import('./pages/pay/TopUpResult'));
const Payments = lazy(() => import('./pages/pay/Payments'));
const AutoTopup = lazy(() => import('./pages/pay/AutoTopup'));
const Bills = lazy(() => import('./pages/pay/Bills'));
const Orders = lazy(() => import('./pages/Orders'));
const BillDetail = lazy(() => import('./pages/pay/BillDetail'));
const Points = lazy(() => import('./pages/loyalty/Points'));
const Rewards = lazy(() => import('./pages/loyalty/Rewards'));
const Coupons = lazy(() => import('./pages/loyalty/Coupons'));

const queryClient = createQueryClient();
// Whoever signs out (or fails to refresh), nothing of theirs stays cached for the next person.
subscriberTokens.subscribe(() => {
  if (!subscriberTokens.get()) queryClient.clear();
});

function RequireAuth({ children }: { children: ReactNode }) {
  const tokens = useTokens(subscriberTokens);
  const location = useLocation();
  if (!tokens) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

function PublicOnly({ children }: { children: ReactNode }) {
  const tokens = useTokens(subscriberTokens);
  return tokens ? <Navigate to="/" replace /> : children;
}

function Loading() {
  return (
    <div className="th-loading">
      <DotLoading color="primary" />
    </div>
  );
}

export function App() {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.title = t('app.name');
  }, [t, i18n.language]);
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN}>
      <QueryClientProvider client={queryClient}>
        <BrowserRouter>
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/login" element={<PublicOnly><Login /></PublicOnly>} />
              <Route path="/register" element={<PublicOnly><Register /></PublicOnly>} />
              <Route path="/forgot-password" element={<ForgotPassword />} />
              <Route element={<RequireAuth><TabLayout /></RequireAuth>}>
                <Route index element={<Home />} />
                <Route path="me" element={<Me />} />
              </Route>
              <Route path="/me/profile" element={<RequireAuth><ProfileEdit /></RequireAuth>} />
              <Route path="/me/password" element={<RequireAuth><ChangePassword /></RequireAuth>} />
              <Route path="/me/devices" element={<RequireAuth><Devices /></RequireAuth>} />
              <Route path="/me/orders" element={<RequireAuth><Orders /></RequireAuth>} />
              <Route path="/support" element={<RequireAuth><Support /></RequireAuth>} />
              <Route path="/support/new" element={<RequireAuth><TicketNew /></RequireAuth>} />
              <Route path="/support/:id" element={<RequireAuth><TicketDetail /></RequireAuth>} />
              <Route path="/faq" element={<Faq />} />
              <Route path="/me/notification-settings" element={<RequireAuth><NotificationSettings /></RequireAuth>} />
              <Route path="/usage" element={<RequireAuth><UsageRecords /></RequireAuth>} />
              <Route path="/plans" element={<RequireAuth><PlanChange /></RequireAuth>} />
              <Route path="/addons" element={<RequireAuth><Addons /></RequireAuth>} />
              <Route path="/inbox" element={<RequireAuth><Inbox /></RequireAuth>} />
              <Route path="/offers" element={<RequireAuth><Offers /></RequireAuth>} />
              <Route path="/topup" element={<RequireAuth><TopUp /></RequireAuth>} />
              <Route path="/topup/result/:id" element={<RequireAuth><TopUpResult /></RequireAuth>} />
              <Route path="/topup/auto" element={<RequireAuth><AutoTopup /></RequireAuth>} />
              <Route path="/payments" element={<RequireAuth><Payments /></RequireAuth>} />
              <Route path="/bills" element={<RequireAuth><Bills /></RequireAuth>} />
              <Route path="/bills/:id" element={<RequireAuth><BillDetail /></RequireAuth>} />
              <Route path="/points" element={<RequireAuth><Points /></RequireAuth>} />
              <Route path="/rewards" element={<RequireAuth><Rewards /></RequireAuth>} />
              <Route path="/coupons" element={<RequireAuth><Coupons /></RequireAuth>} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </Routes>
          </Suspense>
        </BrowserRouter>
      </QueryClientProvider>
    </ConfigProvider>
  );
}
