import type { ReactNode } from 'react';
import {
  AlertOutlined,
  AuditOutlined,
  FileSearchOutlined,
  BarChartOutlined,
  BookOutlined,
  CalculatorOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FundOutlined,
  PhoneFilled,
  FileTextOutlined,
  PhoneOutlined,
  ReadOutlined,
  ProfileOutlined,
  SettingOutlined,
  SwapOutlined,
  ThunderboltOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import type { DeskInfo } from '../api/types.ts';

type Desk = DeskInfo['desk'];
export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  /** The permissions (from the server's /api/auth/me) a user needs, all of them, to see the page. */
  needs: string[];
  /** And one of these, when given. */
  needsAny?: string[];
  desks: Desk[];
}

/**
 * Who sees which page: a user sees the pages whose permissions they hold (the server's one table of role
 * permissions, returned by /api/auth/me), on the desk this console serves. No role is named here.
 */
export const MENU: MenuEntry[] = [
  {
    path: '/intake',
    label: '来电受理',
    icon: <PhoneOutlined />,
    needs: ['work_order.create', 'work_order.assign'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/incidents',
    label: '接警调度',
    icon: <AlertOutlined />,
    needs: ['incident.create', 'incident.dispatch'],
    desks: ['dispatch', 'both'],
  },
  {
    path: '/incident-search',
    label: '警情查询',
    icon: <FileSearchOutlined />,
    needs: ['incident.query'],
    desks: ['dispatch', 'both'],
  },
  {
    path: '/linkage',
    label: '联动事项',
    icon: <SwapOutlined />,
    needs: ['linkage.queue'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/bridge-problems',
    label: '死信与拒收',
    icon: <WarningOutlined />,
    needs: ['bridge.outbox'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/my-orders',
    label: '我的工单',
    icon: <ProfileOutlined />,
    needs: ['work_order.unit_queue'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/work-orders',
    label: '工单查询',
    icon: <FileTextOutlined />,
    needs: ['work_order.query'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/follow-up',
    label: '回访',
    icon: <AuditOutlined />,
    needs: ['work_order.follow_up_queue'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/supervision',
    label: '督办',
    icon: <ThunderboltOutlined />,
    needs: ['reminder.send'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/dashboard',
    label: '数据总览',
    icon: <DashboardOutlined />,
    needs: ['analytics.read'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/reports',
    label: '统计报表',
    icon: <BarChartOutlined />,
    needs: ['analytics.read'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/call-backs',
    label: '漏接回拨',
    icon: <PhoneFilled />,
    needs: ['telephony.agent'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/wallboard',
    label: '话务监控',
    icon: <CustomerServiceOutlined />,
    needs: ['telephony.supervise'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/hotline-assessment',
    label: '热线评估',
    icon: <FundOutlined />,
    needs: ['telephony.records'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/capacity',
    label: '接话能力',
    icon: <CalculatorOutlined />,
    needs: ['telephony.records'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/knowledge',
    label: '知识库',
    icon: <ReadOutlined />,
    needs: ['knowledge.read'],
    needsAny: ['knowledge.edit', 'knowledge.propose'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/training',
    label: '培训记录',
    icon: <BookOutlined />,
    needs: ['training.manage'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/admin',
    label: '系统管理',
    icon: <SettingOutlined />,
    needs: ['admin.users'],
    desks: ['hotline', 'dispatch', 'both'],
  },
];

export const menuFor = (can: (permission: string) => boolean, desk: Desk) =>
  MENU.filter((m) => m.needs.every(can) && (!m.needsAny || m.needsAny.some(can)) && m.desks.includes(desk));
