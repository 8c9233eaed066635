import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Descriptions, Drawer, Space, Spin, Tabs, Tag, Timeline, Typography, Upload } from 'antd';
import { PaperClipOutlined, UploadOutlined } from '@ant-design/icons';
import { api, errorText, get, getBlob, post } from '../../api/client.ts';
import type { Attachment, LinkageItem, OrderText, Reminder, WorkOrder, WorkOrderDetail } from '../../api/types.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { fmtSize, fmtTime, readableReason } from '../../shared/format.ts';
import { PeerText } from '../bridge/PeerText.tsx';
import { ActionModal, ACTION_FORMS } from './ActionModal.tsx';
import { RemindModal } from '../supervision/RemindModal.tsx';
import { CallLegs, callLegItems, mergeByTime, readsCallLegs, useCallLegs } from '../telephony/CallLegs.tsx';

const ACCEPT = '.jpg,.jpeg,.png,.webp,.pdf,.doc,.docx,.xls,.xlsx';
const SEATS = new Set(['call_taker', 'specialist_seat', 'admin']);
const CONCLUDED = new Set(['replied', 'followed_up', 'archived', 'merged']);

/** The knowledge article an answer was taken from (details.knowledge of 直接答复), named in the history. */
function citation(k: unknown): string {
  if (!k || typeof k !== 'object') return '';
  const { title, version } = k as { title?: unknown; version?: unknown };
  return typeof title === 'string' && typeof version === 'number' ? `（依据知识：${title}，第 ${version} 版）` : '';
}

const TEXT_STATUS_COLOURS: Record<OrderText['status'], string> = {
  not_sent: 'default',
  queued: 'blue',
  sent: 'cyan',
  failed: 'red',
  delivered: 'green',
  undelivered: 'orange',
};

/** A work order: request, units, allowed actions, history, attachments and reminders. */
export function WorkOrderDrawer({
  id,
  onClose,
  onChanged,
}: {
  id: string;
  onClose: () => void;
  onChanged?: (o: WorkOrder) => void;
}) {
  const { me, can } = useAuth();
  const { message } = App.useApp();
  const [d, setD] = useState<WorkOrderDetail | null>(null);
  const [files, setFiles] = useState<Attachment[]>([]);
  const [reminders, setReminders] = useState<Reminder[]>([]);
  const [texts, setTexts] = useState<OrderText[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<string | null>(null);
  const [remind, setRemind] = useState(false);
  const [uploading, setUploading] = useState(false);
  // The request's calls: their legs stand on the order's timeline among its actions.
  const legs = useCallLegs({ requestId: readsCallLegs(me) ? d?.requestId : null });

  const load = useCallback(async () => {
    try {
      const [detail, att, rem, sms] = await Promise.all([
        get<WorkOrderDetail>(`/api/work-orders/${id}`),
        get<Attachment[]>(`/api/work-orders/${id}/attachments`),
        get<Reminder[]>(`/api/work-orders/${id}/reminders`),
        get<{ items: OrderText[] }>(`/api/work-orders/${id}/texts`),
      ]);
      setD(detail);
      setFiles(att);
      setReminders(rem);
      setTexts(sms.items);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);

  const upload = async (file: File) => {
    setUploading(true);
    try {
      await api('POST', `/api/work-orders/${id}/attachments`, undefined, {
        raw: file,
        contentType: file.type,
        query: { name: file.name },
      });
      message.success(`已上传：${file.name}`);
      await load();
    } catch (e) {
      message.error(`上传失败：${errorText(e)}`);
    } finally {
      setUploading(false);
    }
  };

  const transfer = async () => {
    try {
      const item = await post<LinkageItem>('/api/linkage/items', {
        kind: 'transfer',
        workOrderId: id,
        reason: '经研判属公安职责，转110处置',
      });
      message.success(`已转110（${item.kindLabel}），工单 ${d?.no ?? item.localNo ?? ''}`);
    } catch (e) {
      message.error((e as Error).message);
    }
  };

  const title = d ? (
    <span>
      {d.no} {d.urgent && <Tag color="red">紧急·{d.urgentKindLabel}</Tag>}
      {d.exercise && (
        <Tag color="cyan" data-testid="exercise-tag">
          应急演练（不计入统计）
        </Tag>
      )}
      {d.overdue && <Tag color="red">超期</Tag>}
      {d.supervised && <Tag color="purple">督办</Tag>}
    </span>
  ) : (
    '工单'
  );
  return (
    <Drawer open title={title} onClose={onClose} size={720} destroyOnHidden data-testid="work-order-drawer">
      {error && <Alert type="error" showIcon title={error} />}
      {!d && !error && <Spin />}
      {d && (
        <>
          <Space wrap style={{ marginBottom: 12 }} data-testid="order-actions">
            {d.allowedActions
              .filter((a) => ACTION_FORMS[a])
              .map((a) => (
                <Button key={a} onClick={() => setAction(a)} danger={ACTION_FORMS[a]!.danger} data-testid={`do-${a}`}>
                  {ACTION_FORMS[a]!.title}
                </Button>
              ))}
            {can('reminder.send') && d.leadUnitId && !CONCLUDED.has(d.status) && (
              <Button type="primary" ghost onClick={() => setRemind(true)} data-testid="do-remind">
                催办
              </Button>
            )}
            {me && SEATS.has(me.role) && !CONCLUDED.has(d.status) && (
              <Button onClick={() => void transfer()} data-testid="do-transfer">
                转110
              </Button>
            )}
            <Button onClick={() => window.open(`/print/work-orders/${d.id}`, '_blank')} data-testid="do-print">
              打印工单
            </Button>
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
                  <Tag color="blue" data-testid="order-status">
                    {d.statusLabel}
                  </Tag>
                ),
              },
              { key: 't', label: '类型', children: d.orderTypeLabel },
              { key: 'title', label: '标题', span: 2, children: d.title },
              { key: 'c', label: '诉求', span: 2, children: d.request?.content },
              {
                key: 'a',
                label: '地址',
                span: 2,
                children:
                  [d.request?.location.districtName, d.request?.location.streetName, d.request?.location.address]
                    .filter(Boolean)
                    .join(' ') || '—',
              },
              {
                key: 'caller',
                label: '来电人',
                children: d.request
                  ? `${d.request.caller.name ?? ''} ${d.request.caller.phone ?? ''}`.trim() || '—'
                  : '—',
              },
              { key: 'ch', label: '渠道', children: d.request?.channelLabel },
              {
                key: 'u',
                label: '承办单位',
                span: 2,
                children: d.units.map((u) => (
                  <Tag key={u.id} color={u.role === 'lead' ? 'blue' : 'default'}>
                    {u.role === 'lead' ? '主办' : '协办'}：{u.name}
                  </Tag>
                )),
              },
              { key: 'due', label: '办理时限', children: fmtTime(d.dueAt) },
              { key: 'cr', label: '受理时间', children: fmtTime(d.createdAt) },
              ...(d.pendingExtension
                ? [
                    {
                      key: 'ext',
                      label: '待批延期',
                      span: 2,
                      children: `延至 ${fmtTime(d.pendingExtension.requestedDueAt)}：${d.pendingExtension.reason}`,
                    },
                  ]
                : []),
              ...(d.reply ? [{ key: 'r', label: '答复', span: 2, children: d.reply }] : []),
              ...(d.triage
                ? [
                    {
                      key: 'triage',
                      label: '受理时研判',
                      span: 2,
                      children: (
                        <span data-testid="order-triage">
                          <Tag color={d.triage.emergency ? 'red' : 'blue'}>{d.triage.routeLabel ?? d.triage.route}</Tag>
                          {d.triage.reasons.map(readableReason).join('；')}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Tabs
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'history',
                label: `处理记录（${d.actions.length}）`,
                children: (
                  <Timeline
                    className="timeline-box"
                    data-testid="order-timeline"
                    items={mergeByTime(
                      d.actions.map((a) => ({
                        key: a.id,
                        at: a.at,
                        title: fmtTime(a.at),
                        content: (
                          // a note may hold lines (the conversation a citizen handed over)
                          <span style={{ whiteSpace: 'pre-line' }}>
                            <b>{a.actionLabel}</b> · {a.actor.name ?? '系统'}
                            {typeof a.details.note === 'string' && a.details.note ? (
                              <>
                                ：<PeerText text={a.details.note} />
                              </>
                            ) : (
                              ''
                            )}
                            {typeof a.details.reply === 'string' ? `：${a.details.reply}` : ''}
                            {typeof a.details.reason === 'string' ? `：${a.details.reason}` : ''}
                            {citation(a.details.knowledge)}
                          </span>
                        ),
                      })),
                      callLegItems(legs),
                    )}
                  />
                ),
              },
              ...(readsCallLegs(me)
                ? [{ key: 'calls', label: '通话', children: <CallLegs legs={legs} showEmpty /> }]
                : []),
              {
                key: 'files',
                label: `附件（${files.length}）`,
                children: (
                  <div data-testid="attachments">
                    {can('work_order.attach') && (
                      <Upload
                        accept={ACCEPT}
                        showUploadList={false}
                        beforeUpload={(f) => {
                          void upload(f);
                          return false;
                        }}
                      >
                        <Button icon={<UploadOutlined />} loading={uploading} data-testid="upload-button">
                          上传照片或文件（10 MB 以内）
                        </Button>
                      </Upload>
                    )}
                    {files.length === 0 ? (
                      <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
                        暂无附件
                      </Typography.Paragraph>
                    ) : (
                      files.map((f) => (
                        <div key={f.id} style={{ marginTop: 8 }} data-testid="attachment-item">
                          <PaperClipOutlined />{' '}
                          <Typography.Link
                            onClick={() =>
                              openAttachment(f).catch((e: unknown) => message.error(`无法打开附件：${errorText(e)}`))
                            }
                          >
                            {f.fileName}
                          </Typography.Link>
                          <Typography.Text type="secondary">
                            {' '}
                            {fmtSize(f.sizeBytes)} · {f.uploadedBy.name} · {fmtTime(f.uploadedAt)}
                          </Typography.Text>
                        </div>
                      ))
                    )}
                  </div>
                ),
              },
              // 短信: only when the citizen was texted (the tab is absent for an order without texts)
              ...(texts.length
                ? [
                    {
                      key: 'texts',
                      label: `短信（${texts.length}）`,
                      children: (
                        <div data-testid="order-texts">
                          {texts.map((t) => (
                            <div key={t.id} className="reminder-item" data-testid="order-text">
                              {fmtTime(t.sentAt ?? t.queuedAt)} {t.purposeLabel}{' '}
                              <Tag color={TEXT_STATUS_COLOURS[t.status]}>{t.statusLabel}</Tag>
                              {t.answer && (
                                <Typography.Text>
                                  市民回复评价：{t.answer.level}（{fmtTime(t.answer.at)}）
                                </Typography.Text>
                              )}
                            </div>
                          ))}
                        </div>
                      ),
                    },
                  ]
                : []),
              {
                key: 'reminders',
                label: `催办（${reminders.length}）`,
                children:
                  reminders.length === 0 ? (
                    <Typography.Text type="secondary">暂无催办</Typography.Text>
                  ) : (
                    reminders.map((r) => (
                      <div key={r.id} className="reminder-item">
                        {fmtTime(r.sentAt)} {r.sentBy.name}：{r.message}{' '}
                        {r.readAt ? <Tag>已读 {fmtTime(r.readAt)}</Tag> : <Tag color="orange">未读</Tag>}
                      </div>
                    ))
                  ),
              },
            ]}
          />
        </>
      )}
      {d && action && (
        <ActionModal
          order={d}
          action={action}
          onClose={() => setAction(null)}
          onDone={(o) => {
            setAction(null);
            message.success(`${ACTION_FORMS[action]!.title}成功`);
            onChanged?.(o);
            void load();
          }}
        />
      )}
      {d && remind && (
        <RemindModal
          target={{
            kind: 'order',
            id: d.id,
            label: `${d.no}（${d.units.find((u) => u.role === 'lead')?.name ?? ''}）`,
          }}
          onClose={() => setRemind(false)}
          onDone={() => {
            setRemind(false);
            void load();
          }}
        />
      )}
    </Drawer>
  );
}

/** Attachments need the session token, so they are fetched and opened as a blob. */
async function openAttachment(f: Attachment) {
  const url = URL.createObjectURL(await getBlob(f.url));
  const a = document.createElement('a');
  a.href = url;
  a.download = f.fileName;
  a.target = '_blank';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
