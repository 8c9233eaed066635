/**
 * The call legs of a request or a linkage item (offered, answered, transferred …): the calls in short,
 * and their events as timeline entries that the request's and the item's timelines merge with their own.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { Empty, Tag, Timeline, Typography } from 'antd';
import { get } from '../../api/client.ts';
import { fmtDuration, fmtTime } from '../../shared/format.ts';
import { CALL_EVENT_LABEL, QUEUE_LABEL } from './labels.ts';
import type { CallEvent, CallRecordRow } from './types.ts';

export type Legs = { calls: CallRecordRow[]; events: CallEvent[] };

/** Seats that work the request and those who keep the records read its calls. */
export const readsCallLegs = (me: { permissions: string[] } | null) =>
  !!me && (me.permissions.includes('telephony.agent') || me.permissions.includes('telephony.records'));

/** `callRef`: a call moved with a linkage item (this desk's, or the peer's moved here); `requestId`: a request's calls. */
export function useCallLegs({
  callRef,
  requestId,
  version,
}: {
  callRef?: string | null;
  requestId?: string | null;
  /** read again when this changes (the item or order was updated) */
  version?: string | undefined;
}) {
  const [legs, setLegs] = useState<Legs | null>(null);
  useEffect(() => {
    setLegs(null);
    const url = callRef
      ? `/api/telephony/calls/by-ref/${encodeURIComponent(callRef)}`
      : requestId
        ? `/api/requests/${requestId}/calls`
        : null;
    if (!url) return;
    void get<Legs>(url)
      .then(setLegs)
      .catch(() => setLegs(null));
  }, [callRef, requestId, version]);
  return legs;
}

/** A timeline entry, with its time for merging with another timeline's entries. */
export interface TimedItem {
  key: string | number;
  at: string;
  color?: string;
  title: ReactNode;
  content: ReactNode;
}

/** The call events as timeline entries (tagged 通话). */
export function callLegItems(legs: Legs | null): TimedItem[] {
  return (legs?.events ?? []).map((e) => ({
    key: `call-${e.id}`,
    at: e.at,
    color: e.type === 'transferred' ? 'green' : e.type === 'ended' ? 'gray' : 'blue',
    title: fmtTime(e.at),
    content: (
      <span data-testid="call-leg-event">
        <Tag color="cyan">通话</Tag>
        <b>{CALL_EVENT_LABEL[e.type] ?? e.type}</b>
        {e.agent ? ` · ${e.agent}` : e.extension ? ` · 分机${e.extension}` : ''}
      </span>
    ),
  }));
}

/** Two timelines as one, in time order (entries at the same moment keep their order, the first list's first). */
export function mergeByTime(a: TimedItem[], b: TimedItem[]) {
  return [...a, ...b]
    .map((item, i) => ({ item, i, t: Date.parse(item.at) }))
    .sort((x, y) => x.t - y.t || x.i - y.i)
    .map(({ item: { at: _at, ...rest } }) => rest);
}

/** The calls in short (who called, which queue, moved or not, how long), and their legs unless `merged` elsewhere. */
export function CallLegs({ legs, showEmpty, merged }: { legs: Legs | null; showEmpty?: boolean; merged?: boolean }) {
  if (!legs) return null;
  if (!legs.calls.length)
    return showEmpty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有关联的通话记录" /> : null;
  return (
    <div data-testid="call-legs">
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        通话记录
      </Typography.Title>
      {legs.calls.map((c) => (
        <Typography.Paragraph key={c.id} type="secondary" style={{ marginBottom: 4 }}>
          来电 {c.caller ?? '未显示号码'} · {c.queue ? (QUEUE_LABEL[c.queue] ?? c.queue) : c.line}
          {c.peerCallRef ? ' · 对方平台转来' : ''}
          {c.transferredTo ? ' · 已转接对方平台专席' : ''}
          {c.talkSeconds !== null ? ` · 通话 ${fmtDuration(c.talkSeconds)}` : ''}
        </Typography.Paragraph>
      ))}
      {!merged && <Timeline className="timeline-box" items={callLegItems(legs).map(({ at: _at, ...rest }) => rest)} />}
    </div>
  );
}
