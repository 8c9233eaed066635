import { useCallback, useEffect, useState } from 'react';
import { App, Badge, Button, Drawer, Empty, Tag, Typography } from 'antd';
import { BellOutlined } from '@ant-design/icons';
import { get, post } from '../api/client.ts';
import type { Reminder } from '../api/types.ts';
import { fmtTime } from '../shared/format.ts';
import { useEventStream } from '../shared/useEventStream.ts';

/** 催办 addressed to my unit or my post: a live badge, a notification when one arrives, and the list. */
export function ReminderBell() {
  const { notification } = App.useApp();
  const [items, setItems] = useState<Reminder[]>([]);
  const [unread, setUnread] = useState(0);
  const [open, setOpen] = useState(false);
  const load = useCallback(
    () =>
      get<{ items: Reminder[]; unread: number }>('/api/reminders')
        .then((r) => {
          setItems(r.items);
          setUnread(r.unread);
        })
        .catch(() => undefined),
    [],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEventStream<Reminder>(
    '/api/reminders/stream',
    'reminder',
    (r) => {
      setItems((xs) => [r, ...xs.filter((x) => x.id !== r.id)]);
      setUnread((n) => n + 1);
      notification.warning({
        title: `催办：${r.subject}`,
        description: `${r.message}（${r.sentBy.name ?? '督办员'}）`,
        duration: 0,
        key: r.id,
        placement: 'bottomRight',
        actions: (
          <Button
            size="small"
            type="primary"
            onClick={() => {
              notification.destroy(r.id);
              setOpen(true);
            }}
          >
            查看
          </Button>
        ),
      });
    },
    () => void load(),
  );
  const markRead = async (id: string) => {
    await post(`/api/reminders/${id}/read`);
    notification.destroy(id);
    await load();
  };
  return (
    <>
      <Badge count={unread} size="small">
        <Button icon={<BellOutlined />} onClick={() => setOpen(true)} data-testid="reminder-bell">
          催办
        </Button>
      </Badge>
      <Drawer title="催办消息" open={open} onClose={() => setOpen(false)} size={420}>
        {items.length === 0 ? (
          <Empty description="暂无催办" />
        ) : (
          items.map((r) => (
            <div key={r.id} className="reminder-item" data-testid="reminder-item">
              <div>
                <Typography.Text strong>{r.subject}</Typography.Text>{' '}
                {r.readAt ? <Tag>已读</Tag> : <Tag color="red">未读</Tag>}
              </div>
              <div>{r.message}</div>
              <Typography.Text type="secondary">
                {r.sentBy.name ?? '督办员'} · {fmtTime(r.sentAt)}
              </Typography.Text>
              {!r.readAt && (
                <Button size="small" type="link" onClick={() => void markRead(r.id)}>
                  标记已读
                </Button>
              )}
            </div>
          ))
        )}
      </Drawer>
    </>
  );
}
