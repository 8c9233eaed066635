import type { ReactNode } from 'react';
import {
  AlertOutlined,
  BookOutlined,
  CalculatorOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FundOutlined,
  PhoneFilled,
  FileTextOutlined,
  PhoneOutlined,
  ProfileOutlined,
  SwapOutlined,
  ThunderboltOutlined,
} from '@ant-design/icons';
import type { DeskInfo, Role } from '../api/types.ts';

type Desk = DeskInfo['desk'];
export interface MenuEntry {
  path: string;
  label: string;
  icon: ReactNode;
  roles: Role[];
  desks: Desk[];
}

/** Who sees which page: a user sees only the menus of their role, on the desk this console serves. */
export const MENU: MenuEntry[] = [
  {
    path: '/intake',
    label: '来电受理',
    icon: <PhoneOutlined />,
    roles: ['call_taker', 'admin'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/incidents',
    label: '接警调度',
    icon: <AlertOutlined />,
    roles: ['dispatcher', 'admin'],
    desks: ['dispatch', 'both'],
  },
  {
    path: '/linkage',
    label: '联动事项',
    icon: <SwapOutlined />,
    roles: ['specialist_seat', 'call_taker', 'dispatcher', 'supervisor', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/my-orders',
    label: '我的工单',
    icon: <ProfileOutlined />,
    roles: ['district_agency', 'department_handler'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/work-orders',
    label: '工单查询',
    icon: <FileTextOutlined />,
    roles: ['call_taker', 'specialist_seat', 'supervisor', 'analyst', 'admin'],
    desks: ['hotline', 'both'],
  },
  {
    path: '/supervision',
    label: '督办',
    icon: <ThunderboltOutlined />,
    roles: ['supervisor', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/dashboard',
    label: '数据总览',
    icon: <DashboardOutlined />,
    roles: ['supervisor', 'analyst', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/call-backs',
    label: '漏接回拨',
    icon: <PhoneFilled />,
    roles: ['call_taker', 'dispatcher', 'specialist_seat'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/wallboard',
    label: '话务监控',
    icon: <CustomerServiceOutlined />,
    roles: ['supervisor', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/hotline-assessment',
    label: '热线评估',
    icon: <FundOutlined />,
    roles: ['supervisor', 'analyst', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/capacity',
    label: '接话能力',
    icon: <CalculatorOutlined />,
    roles: ['supervisor', 'analyst', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
  {
    path: '/training',
    label: '培训记录',
    icon: <BookOutlined />,
    roles: ['supervisor', 'admin'],
    desks: ['hotline', 'dispatch', 'both'],
  },
];

export const menuFor = (role: Role, desk: Desk) => MENU.filter((m) => m.roles.includes(role) && m.desks.includes(desk));
