/**
 * 工单 as printed (打印工单): one A4 sheet a centre sends with the order or files — the request, the
 * caller as this reader may see them, the units, the deadline, the reply and the handling record. It
 * opens in its own tab and calls up the browser's print dialog once the order is loaded.
 */
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { errorText, get } from '../../api/client.ts';
import type { WorkOrderDetail } from '../../api/types.ts';
import { fmtTime } from '../../shared/format.ts';

export function OrderSheet() {
  const { id } = useParams();
  const [d, setD] = useState<WorkOrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void get<WorkOrderDetail>(`/api/work-orders/${id ?? ''}`)
      .then(setD)
      .catch((e) => setError(errorText(e)));
  }, [id]);
  useEffect(() => {
    if (!d) return;
    document.title = `工单 ${d.no}`;
    const t = setTimeout(() => window.print(), 300);
    return () => clearTimeout(t);
  }, [d]);
  if (error) return <div className="order-sheet">{error}</div>;
  if (!d) return <div className="order-sheet">正在载入工单…</div>;
  const q = d.request;
  const lead = d.units.find((u) => u.role === 'lead')?.name ?? '—';
  const assist = d.units.filter((u) => u.role === 'assist').map((u) => u.name);
  const place = q ? [q.location.districtName, q.location.streetName, q.location.address].filter(Boolean).join(' ') : '';
  const rows: [string, React.ReactNode, string, React.ReactNode][] = [
    ['工单号', <span translate="no">{d.no}</span>, '状态', d.statusLabel],
    ['受理时间', fmtTime(d.createdAt), '受理渠道', q?.channelLabel ?? '—'],
    ['工单类型', d.orderTypeLabel, '紧急程度', d.urgent ? `紧急（${d.urgentKindLabel ?? ''}）` : '普通'],
    ['来电人', `${q?.caller.name ?? '—'}${q?.confidential ? '（要求保密）' : ''}`, '联系电话', q?.caller.phone ?? '—'],
    ['主办单位', lead, '协办单位', assist.length ? assist.join('、') : '—'],
    ['办理时限', fmtTime(d.dueAt), '满意度', d.satisfactionLabel ?? '—'],
  ];
  return (
    <div className="order-sheet" data-testid="order-sheet">
      <div className="no-print" style={{ textAlign: 'right' }}>
        <button type="button" onClick={() => window.print()}>
          打印
        </button>
      </div>
      <h1>重庆市12345政务服务便民热线 工单</h1>
      <table>
        <tbody>
          {rows.map(([a, b, c, e]) => (
            <tr key={a}>
              <th>{a}</th>
              <td>{b}</td>
              <th>{c}</th>
              <td>{e}</td>
            </tr>
          ))}
          <tr>
            <th>标题</th>
            <td colSpan={3}>{d.title}</td>
          </tr>
          <tr>
            <th>地点</th>
            <td colSpan={3}>{place || '—'}</td>
          </tr>
          <tr>
            <th>诉求内容</th>
            <td colSpan={3} className="tall">
              {q?.content ?? '—'}
            </td>
          </tr>
          <tr>
            <th>办理答复</th>
            <td colSpan={3} className="tall">
              {d.reply ?? '（尚未答复）'}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>处理记录</h2>
      <table>
        <thead>
          <tr>
            <th>时间</th>
            <th>操作</th>
            <th>办理人</th>
            <th>说明</th>
          </tr>
        </thead>
        <tbody>
          {d.actions.map((a) => (
            <tr key={a.id}>
              <td className="nowrap">{fmtTime(a.at)}</td>
              <td className="nowrap">{a.actionLabel}</td>
              <td>{a.actor.name ?? '系统'}</td>
              <td>{noteOf(a.details)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="printed">打印时间 {fmtTime(new Date().toISOString())}</p>
    </div>
  );
}

/** The words an action carries (a note, a reason, a reply), without its codes. */
function noteOf(details: Record<string, unknown>): string {
  for (const k of ['note', 'reason', 'reply']) {
    const v = details[k];
    if (typeof v === 'string' && v.trim()) return v;
  }
  return '';
}
