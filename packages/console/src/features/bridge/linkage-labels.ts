import { useCallback, useEffect, useState } from 'react';
import { get } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';

/** An item's own number without the sending desk's id (`cq-12345:LK-2026-000123` → `LK-2026-000123`). */
export const itemNo = (itemId: string) => itemId.slice(itemId.lastIndexOf(':') + 1);

/** An item as people name it: the record it made here (GD…/JJ…), else its own number (not yet signed for). */
export const linkageNo = (i: { localNo: string | null; itemId: string }) => i.localNo ?? itemNo(i.itemId);

/** Chinese names of the bridge messages (bridge-protocol.md §message types) for the timeline. */
export const MESSAGE_LABELS: Record<string, string> = {
  'transfer.request': '转接请求',
  'emergency.escalate': '紧急移交',
  'assist.request': '请求协助',
  'mediation.request': '联合调处请求',
  'transfer.accept': '签收',
  'transfer.reject': '拒收',
  'negotiation.open': '发起协商',
  'negotiation.resolve': '协商结果',
  'status.update': '处置进展',
  feedback: '处置反馈',
  'closure.confirm': '确认闭环',
  'closure.dispute': '对反馈有异议',
  'info.copy': '信息抄送',
  link: '关联',
  'catalogue.publish': '职责清单同步',
  'accept.overdue': '超时未签收',
  'negotiation.expired': '协商超时',
  linked: '同时联动',
  'accept.failed': '自动签收未成功',
};

/** Which seat endpoint answers each message type. */
export const STEP_PATHS: Record<string, { path: string; label: string; danger?: boolean }> = {
  'transfer.accept': { path: 'accept', label: '签收' },
  'transfer.reject': { path: 'reject', label: '拒收', danger: true },
  'negotiation.open': { path: 'negotiate', label: '发起协商' },
  'negotiation.resolve': { path: 'resolve', label: '协商结果' },
  'status.update': { path: 'status', label: '报告进展' },
  feedback: { path: 'feedback', label: '处置反馈' },
  'closure.confirm': { path: 'confirm', label: '确认闭环' },
  'closure.dispute': { path: 'dispute', label: '有异议' },
};

/** Partner lines (119, 120, utilities …) by their connector id, loaded once per session. */
let partnerNames: Promise<Record<string, string>> | null = null;
function loadPartnerNames(): Promise<Record<string, string>> {
  partnerNames ??= get<{ id: string; name: string }[]>('/api/linkage/targets')
    .then((ts) => Object.fromEntries(ts.map((t) => [t.id, t.name])))
    .catch(() => {
      partnerNames = null;
      return {};
    });
  return partnerNames;
}

/** The Chinese name of a peer: the other desk (as this desk names it), or a partner line; its id only if it has no name. */
export function usePeerLabel(): (peer: string) => string {
  const { desk, can } = useAuth();
  const [names, setNames] = useState<Record<string, string>>({});
  // The lines are listed to those who read linkage items; to others a line stays its id (kept untranslated).
  const readsLines = can('linkage.read');
  useEffect(() => {
    if (!readsLines) return undefined;
    let live = true;
    void loadPartnerNames().then((n) => {
      if (live) setNames(n);
    });
    return () => {
      live = false;
    };
  }, [readsLines]);
  const deskPeer = desk?.peer;
  return useCallback(
    (peer: string) => (deskPeer && peer === deskPeer.id ? deskPeer.name : (names[peer] ?? peer)),
    [names, deskPeer],
  );
}
