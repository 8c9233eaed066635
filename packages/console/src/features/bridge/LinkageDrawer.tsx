import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Space, Spin, Tag, Timeline, Typography } from 'antd';
import { get } from '../../api/client.ts';
import type { LinkageEvent, LinkageItem } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtDuration, fmtTime } from '../../shared/format.ts';
import { Countdown } from '../../shared/Countdown.tsx';
import { useNow } from '../../shared/useNow.ts';
import { useReference } from '../../shared/reference.tsx';
import { RemindModal } from '../supervision/RemindModal.tsx';
import { MESSAGE_LABELS, STEP_PATHS, usePeerLabel, itemNo, linkageNo } from './linkage-labels.ts';
import { PeerText } from './PeerText.tsx';
import { StepModal } from './StepModal.tsx';
import { CallLegs, callLegItems, mergeByTime, readsCallLegs, useCallLegs } from '../telephony/CallLegs.tsx';

const SEATS = new Set(['specialist_seat', 'call_taker', 'dispatcher', 'admin']);

/** The live call the item's opening message moved with it (bridge-protocol 1.1 `callRef`). */
const callRefOf = (timeline: LinkageEvent[]) => {
  const ref = timeline[0]?.payload?.callRef;
  return typeof ref === 'string' ? ref : null;
};

/** A linkage item: what was asked, the steps this side may take, and the timeline of both desks. */
export function LinkageDrawer({
  itemId,
  version,
  onClose,
  onChanged,
}: {
  itemId: string;
  version?: string;
  onClose: () => void;
  onChanged?: (i: LinkageItem) => void;
}) {
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const { enums, districts } = useReference();
  const peerLabel = usePeerLabel();
  const now = useNow();
  const [d, setD] = useState<(LinkageItem & { timeline: LinkageEvent[] }) | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [remind, setRemind] = useState(false);
  // The live call the item moved: its legs stand on the item's timeline (read again as the item changes).
  const legs = useCallLegs({ callRef: d && readsCallLegs(me) ? callRefOf(d.timeline) : null, version });
  const load = useCallback(
    () =>
      get<LinkageItem & { timeline: LinkageEvent[] }>(`/api/linkage/items/${encodeURIComponent(itemId)}`)
        .then((x) => {
          setD(x);
          setError(null);
        })
        .catch((e: Error) => setError(e.message)),
    [itemId],
  );
  useEffect(() => {
    void load();
  }, [load, version]);
  const req = d?.opening.request;
  const seat = me && SEATS.has(me.role);
  return (
    <Drawer
      open
      title={
        d ? (
          <>
            {d.kindLabel} · <span translate="no">{linkageNo(d)}</span>
          </>
        ) : (
          '对接事项'
        )
      }
      onClose={onClose}
      size={680}
      destroyOnHidden
      data-testid="linkage-drawer"
    >
      {error && <Alert type="error" showIcon title={error} />}
      {!d && !error && <Spin />}
      {d && (
        <>
          <Space wrap style={{ marginBottom: 12 }}>
            {seat &&
              d.allowedSteps
                .filter((s) => STEP_PATHS[s])
                .map((s) => (
                  <Button
                    key={s}
                    type={s === 'transfer.accept' ? 'primary' : 'default'}
                    danger={STEP_PATHS[s]!.danger}
                    onClick={() => setStep(s)}
                    data-testid={`step-${STEP_PATHS[s]!.path}`}
                  >
                    {STEP_PATHS[s]!.label}
                  </Button>
                ))}
            {can('reminder.send') && d.status !== 'closed' && (
              <Button type="primary" ghost onClick={() => setRemind(true)} data-testid="linkage-remind">
                催办
              </Button>
            )}
          </Space>
          <Descriptions
            size="small"
            bordered
            column={2}
            items={[
              {
                key: 's',
                label: '状态',
                children: (
                  <Tag color="blue" data-testid="linkage-status">
                    {d.statusLabel}
                  </Tag>
                ),
              },
              {
                key: 'dir',
                label: '方向',
                children: d.side === 'receiver' ? `${peerLabel(d.peer)} → 本平台` : `本平台 → ${peerLabel(d.peer)}`,
              },
              {
                key: 'c',
                label: '诉求',
                span: 2,
                children: req?.content ?? d.opening.summary ?? d.opening.need ?? '—',
              },
              {
                key: 'r',
                label: '转接理由',
                span: 2,
                children: d.opening.reason || d.opening.danger || d.opening.need || '—',
              },
              {
                key: 'a',
                label: '地点',
                span: 2,
                children:
                  [districts.find((x) => x.code === d.districtCode)?.name, req?.location?.address]
                    .filter(Boolean)
                    .join(' ') || '—',
              },
              {
                key: 'dl',
                label: '签收时限',
                children:
                  d.status === 'requested' ? (
                    <Countdown deadline={d.acceptDeadline} now={now} />
                  ) : (
                    fmtTime(d.acceptDeadline)
                  ),
              },
              {
                key: 'acc',
                label: '签收用时',
                children: d.secondsToAccept !== null ? fmtDuration(d.secondsToAccept) : '—',
              },
              {
                key: 'fb',
                label: '反馈用时',
                children: d.secondsToFeedback !== null ? fmtDuration(d.secondsToFeedback) : '—',
              },
              { key: 'no', label: '本方编号', children: d.localNo ?? '—' },
              ...(linkedOf(d.opening).length
                ? [
                    {
                      key: 'linked',
                      label: '同时联动',
                      span: 2,
                      children: (
                        <span data-testid="linkage-linked">
                          {linkedOf(d.opening).map((l) => (
                            <Tag key={l.itemId} color="volcano">
                              {peerLabel(l.to)} · <span translate="no">{itemNo(l.itemId)}</span>
                            </Tag>
                          ))}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            双方时间线
          </Typography.Title>
          <Timeline
            className="timeline-box"
            data-testid="linkage-timeline"
            items={mergeByTime(
              d.timeline.map((e) => ({
                key: e.id,
                at: e.at,
                color: e.direction === 'received' ? 'green' : e.direction === 'local' ? 'red' : 'blue',
                title: fmtTime(e.at),
                content: (
                  <span>
                    <Tag>
                      {e.direction === 'received'
                        ? `${peerLabel(d.peer)}`
                        : e.direction === 'local'
                          ? '系统'
                          : '本平台'}
                    </Tag>
                    <b>{MESSAGE_LABELS[e.type] ?? e.type}</b>
                    {e.actor_name ? ` · ${e.actor_name}` : ''}
                    <PeerText text={describe(e, enums)} />
                  </span>
                ),
              })),
              callLegItems(legs),
            )}
          />
          <CallLegs legs={legs} merged />
        </>
      )}
      {d && step && (
        <StepModal
          item={d}
          step={step}
          onClose={() => setStep(null)}
          onDone={(i) => {
            setStep(null);
            message.success(`${STEP_PATHS[step]!.label}成功`);
            onChanged?.(i);
            void load();
          }}
        />
      )}
      {d && remind && (
        <RemindModal
          target={{ kind: 'linkage', id: d.itemId, label: linkageNo(d) }}
          onClose={() => setRemind(false)}
          onDone={() => setRemind(false)}
        />
      )}
    </Drawer>
  );
}

/** The gist of a message: coded values in their Chinese names, then the free text. */
/** The other lines the opening desk notified with the item (its `linked`, protocol 1.1). */
function linkedOf(opening: Record<string, unknown>): { to: string; itemId: string }[] {
  return Array.isArray(opening.linked)
    ? (opening.linked as { to?: unknown; itemId?: unknown }[]).flatMap((l) =>
        typeof l?.to === 'string' && typeof l.itemId === 'string' ? [{ to: l.to, itemId: l.itemId }] : [],
      )
    : [];
}

function describe(e: LinkageEvent, enums: Record<string, Record<string, string>>): string {
  const p = e.payload ?? {};
  const coded: [unknown, string][] = [
    [p.reasonCode, 'rejectReasons'],
    [p.outcome, 'negotiationOutcomes'],
    [p.status, 'bridgeStatusValues'],
    [p.disposition, 'bridgeDispositions'],
  ];
  const parts = [
    ...coded.map(([v, k]) => (typeof v === 'string' ? (enums[k]?.[v] ?? v) : null)),
    p.note,
    p.reason,
    p.summary,
    e.note,
  ].filter((x): x is string => typeof x === 'string' && x.length > 0);
  // The other desk's people are named by their user name in its messages (acceptedBy, decidedBy).
  const who =
    e.direction === 'received'
      ? [p.acceptedBy, p.decidedBy].find((x): x is string => typeof x === 'string' && x.length > 0)
      : undefined;
  // `system`: accepted on receipt, without a seat (an emergency at 110, an urgent item at 12345).
  const by = who === 'system' ? '（对方系统收到即签收）' : who ? `（对方 ${who}）` : '';
  return `${by}${parts.length ? `：${[...new Set(parts)].join('，')}` : ''}`;
}
