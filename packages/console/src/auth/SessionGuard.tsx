/**
 * The server ends a session unused for SESSION_IDLE_MINUTES (docs/security.md, "Sessions"). Every tab
 * of the desk records each request the server counted as use (api/client.ts), so this knows when the
 * session will idle out: some minutes before, it warns, and 继续工作 renews it (POST /api/auth/renew);
 * at the end it logs out here too, and the log-in page says why. What was typed stays (shared/drafts.ts).
 */
import { useEffect, useState } from 'react';
import { App, Button, Modal, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { errorText, post, session } from '../api/client.ts';
import { useNow } from '../shared/useNow.ts';
import { useAuth } from './AuthContext.tsx';

/** How long before the end the warning shows: three minutes, or a third of a short timeout. */
export const warnLeadMs = (idleMs: number) => Math.min(3 * 60_000, idleMs / 3);

const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)} 分 ${String(s % 60).padStart(2, '0')} 秒`;
};

export function SessionGuard() {
  const { me, expire, logout } = useAuth();
  const { message } = App.useApp();
  const now = useNow(1000);
  const [renewing, setRenewing] = useState(false);
  const idleMs = (me?.idleMinutes ?? 0) * 60_000;
  const used = session.lastUsed;
  const left = idleMs && used ? used + idleMs - now : Infinity;
  const over = left <= 0;

  useEffect(() => {
    if (over) void expire();
  }, [over, expire]);

  if (!me || !idleMs || left > warnLeadMs(idleMs) || over) return null;
  const renew = async () => {
    setRenewing(true);
    try {
      await post('/api/auth/renew');
      message.success('已继续，登录有效');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setRenewing(false);
    }
  };
  return (
    <Modal
      open
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={420}
      title={
        <span>
          <ClockCircleOutlined style={{ color: '#faad14', marginRight: 8 }} />
          登录即将过期
        </span>
      }
      footer={[
        <Button key="out" onClick={() => void logout()}>
          退出登录
        </Button>,
        <Button key="renew" type="primary" loading={renewing} onClick={() => void renew()} autoFocus>
          继续工作
        </Button>,
      ]}
      rootClassName="session-expiry-warning"
    >
      <Typography.Paragraph>
        您已较长时间未操作，<b data-testid="session-time-left">{mmss(left)}</b> 后将自动退出登录。
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        未提交的受理内容会保留在本机，重新登录后自动恢复。
      </Typography.Paragraph>
    </Modal>
  );
}
