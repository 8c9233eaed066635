import { Button, Layout, Menu, Space, Tag, Typography } from 'antd';
import { LogoutOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useAuth } from '../auth/AuthContext.tsx';
import { AccountSecurityButton } from '../auth/AccountSecurity.tsx';
import { menuFor } from './menus.tsx';
import { ReminderBell } from './ReminderBell.tsx';
import { AgentBar } from '../features/telephony/AgentBar.tsx';
import { LiveCallProvider } from '../features/telephony/LiveCallContext.tsx';

export function AppLayout() {
  const { me, desk, logout, can } = useAuth();
  const nav = useNavigate();
  const loc = useLocation();
  if (!me || !desk) return null;
  const items = menuFor(can, desk.desk);
  const selected = items.find((m) => loc.pathname.startsWith(m.path))?.path;
  return (
    <LiveCallProvider>
      <Layout style={{ minHeight: '100vh' }}>
        <Layout.Sider width={168} breakpoint="lg" collapsedWidth={56} theme="dark">
          <div className="brand">联动</div>
          <Menu
            theme="dark"
            mode="inline"
            selectedKeys={selected ? [selected] : []}
            data-testid="main-menu"
            items={items.map((m) => ({ key: m.path, icon: m.icon, label: m.label }))}
            onClick={(e) => nav(e.key)}
          />
        </Layout.Sider>
        <Layout>
          <Layout.Header className="app-header">
            <Typography.Text strong className="desk-title" data-testid="desk-title">
              {desk.name}
            </Typography.Text>
            <Space size="middle">
              {me.permissions.includes('telephony.agent') && <AgentBar />}
              {can('reminder.receive') && <ReminderBell />}
              <span data-testid="current-user">
                {me.displayName}
                <Tag style={{ marginLeft: 8 }}>{me.roleLabel}</Tag>
              </span>
              <AccountSecurityButton />
              <Button icon={<LogoutOutlined />} onClick={() => void logout().then(() => nav('/'))}>
                退出
              </Button>
            </Space>
          </Layout.Header>
          <Layout.Content className="app-content">
            <Outlet />
          </Layout.Content>
        </Layout>
      </Layout>
    </LiveCallProvider>
  );
}
