/**
 * 审计日志: who changed what in the administration, newest first (the log is append-only); 登录记录 apart:
 * log-ins, failures and lock-outs, which would otherwise drown the changes.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, Segmented, Select, Space, Table } from 'antd';
import { get } from '../../api/client.ts';
import { useReference } from '../../shared/reference.tsx';
import { fmtTime } from '../../shared/format.ts';
import { AUDIT_ACTION, CALENDAR_KIND, LIMIT_UNIT, LOGIN_FAILURE, messageOf } from './labels.ts';

interface AuditEntry {
  id: number;
  action: string;
  target: string;
  targetName: string | null;
  details: Record<string, unknown>;
  at: string;
  actorName: string | null;
}

const yes = (b: unknown) => (b ? '是' : '否');

export function AuditPanel() {
  const { enums } = useReference();
  const [rows, setRows] = useState<AuditEntry[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<string | undefined>();
  const [kind, setKind] = useState<'admin' | 'auth'>('admin');
  const load = useCallback(() => {
    void get<AuditEntry[]>('/api/admin/audit', { limit: 1000, kind })
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [kind]);
  useEffect(load, [load]);
  const shown = useMemo(() => rows.filter((r) => !action || r.action === action), [rows, action]);

  /** What changed, in words: the details the server recorded, with their values' labels. */
  const describe = (e: AuditEntry): string => {
    const d = e.details;
    const role = (r: unknown) => enums.roles?.[String(r)] ?? '';
    switch (e.action) {
      case 'user.create':
        return `角色：${role(d.role)}`;
      case 'user.update': {
        const parts: string[] = [];
        if (d.displayName) parts.push(`姓名改为“${String(d.displayName)}”`);
        if (d.role) parts.push(`角色：${role(d.role)}`);
        if ('unitId' in d) parts.push('调整所属单位');
        if ('districtCode' in d) parts.push('调整区县');
        if (d.active === false) parts.push('停用');
        if (d.active === true) parts.push('启用');
        if (d.passwordReset) parts.push('重置密码');
        return parts.join('；') || '—';
      }
      case 'auth.login':
        return `来自 ${String(d.address ?? '')}${d.secondFactor ? '，已验证动态验证码' : ''}`;
      case 'auth.login_failed':
        return `${LOGIN_FAILURE[String(d.reason)] ?? '登录失败'}，来自 ${String(d.address ?? '')}`;
      case 'auth.lockout':
        return `锁定至 ${fmtTime(String(d.until))}`;
      case 'caller.reveal':
        return `理由：${String(d.reason ?? '')}`;
      case 'calendar.set':
        return `${CALENDAR_KIND[String(d.kind)] ?? ''}：${String(d.name ?? '')}`;
      case 'time_limit.set':
        return `时限：${String(d.amount)}${LIMIT_UNIT[String(d.unit)] ?? ''}`;
      case 'catalogue.publish':
        return `生效日期 ${String(d.effectiveFrom)}，条目 ${String(d.entries)} 条，依据：${String(d.source)}`;
      case 'catalogue.draft_create':
        return `底稿第${String(d.basedOn)}版，依据：${String(d.source)}`;
      case 'catalogue.draft_update':
        return `生效日期 ${String(d.effectiveFrom)}，依据：${String(d.source)}`;
      case 'catalogue.draft_entry_set':
        return `${d.added ? '新增' : '修改'}条目“${String(d.name)}”`;
      case 'catalogue.draft_entry_remove':
        return `删除条目“${String(d.name)}”`;
      case 'catalogue.draft_discard':
        return `底稿第${String(d.basedOn)}版`;
      case 'connector.set':
        return `启用：${yes(d.active ?? true)}`;
      case 'unit.create':
        return `类型：${enums.unitKinds?.[String(d.kind)] ?? ''}`;
      case 'unit.update':
      case 'category.update':
        return d.active === false
          ? '停用'
          : d.active === true
            ? '启用'
            : d.name
              ? `名称改为“${String(d.name)}”`
              : '调整设置';
      case 'category.create':
        return d.parentCode ? '下级目录' : '一级目录';
      default:
        return typeof d.rows === 'number'
          ? `共${d.rows}行，新增${String(d.created)}条，更新${String(d.updated)}条`
          : '—';
    }
  };
  const target = (e: AuditEntry) => {
    if (e.action === 'time_limit.set') {
      const [type, urgency] = e.target.split('/');
      return `${type === '*' ? '全部类型' : (enums.workOrderTypes?.[type ?? ''] ?? '')}（${urgency === 'urgent' ? '紧急' : '普通'}）`;
    }
    if (e.action === 'catalogue.publish') return `职责清单第${e.target}版`;
    if (e.action === 'auth.lockout') {
      const [what, who] = [e.target.slice(0, e.target.indexOf(':')), e.target.slice(e.target.indexOf(':') + 1)];
      return (
        <>
          {what === 'address' ? '地址 ' : '账号 '}
          <span translate="no">{who}</span>
        </>
      );
    }
    if (e.action.startsWith('catalogue.draft_')) return '职责清单草稿';
    if (e.targetName) return e.targetName;
    return <span translate="no">{e.target}</span>;
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      {error && <Alert type="error" showIcon message={error} />}
      <Space>
        <Segmented
          value={kind}
          onChange={(v) => {
            setKind(v as 'admin' | 'auth');
            setAction(undefined);
          }}
          options={[
            { value: 'admin', label: '管理操作' },
            { value: 'auth', label: '登录记录' },
          ]}
          data-testid="audit-kind"
        />
        <Select
          placeholder="全部操作"
          allowClear
          value={action}
          onChange={setAction}
          style={{ width: 220 }}
          showSearch={{ optionFilterProp: 'label' }}
          options={Object.entries(AUDIT_ACTION)
            .filter(([value]) => value.startsWith('auth.') === (kind === 'auth'))
            .map(([value, label]) => ({ value, label }))}
          data-testid="audit-action"
        />
        <Button onClick={load}>刷新</Button>
      </Space>
      <Table
        size="small"
        rowKey="id"
        dataSource={shown}
        data-testid="audit"
        pagination={{ pageSize: 15, showSizeChanger: false, showTotal: (n) => `共${n}条` }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 150, render: fmtTime },
          { title: '操作人', dataIndex: 'actorName', width: 110, render: (n: string | null) => n ?? '系统' },
          {
            title: '操作',
            dataIndex: 'action',
            width: 150,
            render: (a: string) => AUDIT_ACTION[a] ?? <span translate="no">{a}</span>,
          },
          {
            title: '对象',
            key: 'target',
            width: 200,
            // No cell title: Ant Design would copy a log-in name or code into it, outside translate="no".
            ellipsis: { showTitle: false },
            render: (_: unknown, e: AuditEntry) => target(e),
          },
          { title: '内容', key: 'details', ellipsis: true, render: (_: unknown, e: AuditEntry) => describe(e) },
        ]}
      />
    </Space>
  );
}
