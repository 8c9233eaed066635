import { lazy, Suspense } from 'react';
import { Spin } from 'antd';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { AuthProvider, useAuth } from './auth/AuthContext.tsx';
import { LoginPage } from './auth/LoginPage.tsx';
import { SessionGuard } from './auth/SessionGuard.tsx';
import { AppLayout } from './layout/AppLayout.tsx';
import { menuFor, type MenuEntry } from './layout/menus.tsx';
import { ReferenceProvider } from './shared/reference.tsx';
import { IntakePage } from './features/hotline/IntakePage.tsx';
import { WorkOrdersPage } from './features/hotline/WorkOrdersPage.tsx';
import { IncidentDesk } from './features/dispatch/IncidentDesk.tsx';
import { IncidentsQueryPage } from './features/dispatch/IncidentsQueryPage.tsx';
import { LinkageQueue } from './features/bridge/LinkageQueue.tsx';
import { DeadLettersPage } from './features/bridge/DeadLettersPage.tsx';
import { SupervisionPage } from './features/supervision/SupervisionPage.tsx';
import { WallboardPage } from './features/telephony/WallboardPage.tsx';
import { CallBacksPage } from './features/telephony/CallBacksPage.tsx';
import { AssessmentPage } from './features/telephony/AssessmentPage.tsx';
import { CapacityPage } from './features/telephony/CapacityPage.tsx';
import { TrainingPage } from './features/telephony/TrainingPage.tsx';
import { AdminPage } from './features/admin/AdminPage.tsx';
import { KnowledgePage } from './features/knowledge/KnowledgePage.tsx';
import { FollowUpPage } from './features/follow-up/FollowUpPage.tsx';
import { OrderSheet } from './features/hotline/OrderSheet.tsx';
import './app.css';

// ECharts and the district map load only when the dashboard is opened.
const Dashboard = lazy(() => import('./features/analytics/Dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const ReportsPage = lazy(() => import('./features/reports/ReportsPage.tsx').then((m) => ({ default: m.ReportsPage })));

const PAGES: Record<string, () => React.ReactNode> = {
  '/intake': () => <IntakePage />,
  '/incidents': () => <IncidentDesk />,
  '/incident-search': () => <IncidentsQueryPage />,
  '/linkage': () => <LinkageQueue />,
  '/bridge-problems': () => <DeadLettersPage />,
  '/my-orders': () => <WorkOrdersPage mine />,
  '/work-orders': () => <WorkOrdersPage />,
  '/follow-up': () => <FollowUpPage />,
  '/supervision': () => <SupervisionPage />,
  '/call-backs': () => <CallBacksPage />,
  '/wallboard': () => <WallboardPage />,
  '/hotline-assessment': () => <AssessmentPage />,
  '/capacity': () => <CapacityPage />,
  '/training': () => <TrainingPage />,
  '/admin': () => <AdminPage />,
  '/knowledge': () => <KnowledgePage />,
  '/dashboard': () => (
    <Suspense fallback={<Spin />}>
      <Dashboard />
    </Suspense>
  ),
  '/reports': () => (
    <Suspense fallback={<Spin />}>
      <ReportsPage />
    </Suspense>
  ),
};

function Routed() {
  const { me, desk, loading, can } = useAuth();
  if (loading)
    return (
      <div className="center">
        <Spin size="large" />
      </div>
    );
  if (!me || !desk) return <LoginPage />;
  const allowed: MenuEntry[] = menuFor(can, desk.desk);
  return (
    <ReferenceProvider>
      <SessionGuard />
      <Routes>
        <Route path="/print/work-orders/:id" element={<OrderSheet />} />
        <Route element={<AppLayout />}>
          {allowed.map((m) => (
            <Route key={m.path} path={m.path} element={PAGES[m.path]!()} />
          ))}
          <Route
            path="*"
            element={
              allowed[0] ? (
                <Navigate to={allowed[0].path} replace />
              ) : (
                <div className="center">您的角色在本平台没有可用的功能</div>
              )
            }
          />
        </Route>
      </Routes>
    </ReferenceProvider>
  );
}

export function App() {
  return (
    <BrowserRouter>
      <AuthProvider>
        <Routed />
      </AuthProvider>
    </BrowserRouter>
  );
}
