/** 系统管理: the administrator's pages, one tab each; the tab is in the address (?tab=…) so a reload keeps it. */
import { Card, Tabs } from 'antd';
import { useSearchParams } from 'react-router';
import { UsersPanel } from './UsersPanel.tsx';
import { CalendarPanel } from './CalendarPanel.tsx';
import { AuditPanel } from './AuditPanel.tsx';
import { UnitsPanel } from './UnitsPanel.tsx';
import { CategoriesPanel } from './CategoriesPanel.tsx';
import { ImportPanel } from './ImportPanel.tsx';
import { CataloguePanel } from './CataloguePanel.tsx';
import { IvrPanel } from './IvrPanel.tsx';
import { ConnectorsPanel } from './ConnectorsPanel.tsx';
import { DispatchModelsPanel } from './DispatchModelsPanel.tsx';
import { PhrasesPanel } from './PhrasesPanel.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';

const TABS = [
  { key: 'users', label: '用户与角色', render: () => <UsersPanel /> },
  { key: 'units', label: '单位', render: () => <UnitsPanel /> },
  { key: 'categories', label: '派单目录', render: () => <CategoriesPanel /> },
  { key: 'calendar', label: '节假日与时限', render: () => <CalendarPanel /> },
  { key: 'catalogue', label: '职责清单版本', render: () => <CataloguePanel /> },
  { key: 'import', label: '批量导入', render: () => <ImportPanel /> },
  // The 12345 call-takers' 常用语 (Alt+P in the intake).
  { key: 'phrases', label: '常用语', render: () => <PhrasesPanel />, hotlineOnly: true },
  // The 12345 desk's voice navigation (the 110 desk has none here).
  { key: 'ivr', label: '导航流程', render: () => <IvrPanel />, hotlineOnly: true },
  // 智能派单 dispatches 12345 orders: its model lives on the 12345 desk.
  { key: 'dispatch-models', label: '派单模型', render: () => <DispatchModelsPanel />, hotlineOnly: true },
  { key: 'connectors', label: '外部接口', render: () => <ConnectorsPanel /> },
  { key: 'audit', label: '审计日志', render: () => <AuditPanel /> },
];

export function AdminPage() {
  const [params, setParams] = useSearchParams();
  const { desk } = useAuth();
  const tabs = TABS.filter((t) => !('hotlineOnly' in t) || desk?.desk !== 'dispatch');
  const active = tabs.some((t) => t.key === params.get('tab')) ? params.get('tab')! : tabs[0]!.key;
  return (
    <Card size="small" data-testid="admin-page">
      <Tabs
        activeKey={active}
        destroyOnHidden
        onChange={(k) => setParams({ tab: k })}
        items={tabs.map((t) => ({ key: t.key, label: t.label, children: t.render() }))}
      />
    </Card>
  );
}
