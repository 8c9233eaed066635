/**
 * The server ends a session unused for SESSION_IDLE_MINUTES (docs/security.md, "Sessions"). Every tab
 * of the desk records each request the server counted as use (api/client.ts), so this knows when the
 * session will idle out: some minutes before, it warns, and 继续工作 renews it (POST /api/auth/renew);
 * at the end it logs out here too, and the log-in page says why. What was typed stays (shared/drafts.ts).
 *
 * A session also ends SESSION_TTL_HOURS after its log-in however busy it is, and nothing renews that:
 * fifteen minutes before, it says when and offers to log in again now (between two calls rather than
 * in the middle of one); 稍后提醒 puts the notice off to the last three minutes.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { App, Button, Modal, Typography } from 'antd';
import { ClockCircleOutlined } from '@ant-design/icons';
import { errorText, post, session } from '../api/client.ts';
import { useNow } from '../shared/useNow.ts';
import { useAuth } from './AuthContext.tsx';

/** How long before the end the warning shows: three minutes, or a third of a short timeout. */
export const warnLeadMs = (idleMs: number) => Math.min(3 * 60_000, idleMs / 3);
/** How long before the end of its lifetime a session says so, and how late a put-off notice comes back. */
export const LIFETIME_LEAD_MS = 15 * 60_000;
export const LIFETIME_LAST_MS = 3 * 60_000;

const clock = (t: number) =>
  new Date(t).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });

const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)} 分 ${String(s % 60).padStart(2, '0')} 秒`;
};

/** A notice the person must answer (no close button, no click outside, no Esc). */
function Notice({
  title,
  width,
  footer,
  rootClassName,
  children,
}: {
  title: string;
  width: number;
  footer: ReactNode[];
  rootClassName: string;
  children: ReactNode;
}) {
  return (
    <Modal
      open
      closable={false}
      maskClosable={false}
      keyboard={false}
      width={width}
      title={
        <span>
          <ClockCircleOutlined style={{ color: '#faad14', marginRight: 8 }} />
          {title}
        </span>
      }
      footer={footer}
      rootClassName={rootClassName}
    >
      {children}
    </Modal>
  );
}

export function SessionGuard() {
  const { me, expire, logout, sessionEndsAt } = useAuth();
  const { message } = App.useApp();
  const now = useNow(1000);
  const [renewing, setRenewing] = useState(false);
  const [putOff, setPutOff] = useState<number | null>(null);
  const idleMs = (me?.idleMinutes ?? 0) * 60_000;
  const used = session.lastUsed;
  const left = idleMs && used ? used + idleMs - now : Infinity;
  const over = left <= 0;
  const lifeLeft = sessionEndsAt !== null ? sessionEndsAt - now : Infinity;
  const lifeOver = lifeLeft <= 0;

  useEffect(() => {
    if (lifeOver) void expire('lifetime');
    else if (over) void expire();
  }, [over, lifeOver, expire]);

  if (!me || over || lifeOver) return null;
  const idleWarning = idleMs > 0 && left <= warnLeadMs(idleMs);
  if (!idleWarning || lifeLeft < left) {
    const putOffNow = putOff === sessionEndsAt && lifeLeft > LIFETIME_LAST_MS;
    if (lifeLeft > LIFETIME_LEAD_MS || putOffNow) return null;
    return (
      <Notice
        title="本次登录即将到期"
        width={440}
        footer={[
          <Button key="now" onClick={() => void expire('relogin')}>
            现在重新登录
          </Button>,
          <Button key="later" type="primary" onClick={() => setPutOff(sessionEndsAt)} autoFocus>
            稍后提醒
          </Button>,
        ]}
        rootClassName="session-lifetime-warning"
      >
        <Typography.Paragraph>
          为保障安全，每次登录最长有效 {me.sessionHours ?? 12} 小时。本次登录将于{' '}
          <b data-testid="session-life-end">{clock(sessionEndsAt!)}</b> 到期，还剩{' '}
          <b data-testid="session-life-left">{mmss(lifeLeft)}</b>，到期后需重新登录。
        </Typography.Paragraph>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
          建议在处理完当前来电后重新登录；未提交的受理内容会保留在本机，重新登录后自动恢复。
        </Typography.Paragraph>
      </Notice>
    );
  }
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
    <Notice
      title="登录即将过期"
      width={420}
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
    </Notice>
  );
}
