import { useState } from 'react';
import { Alert, Button, Card, Form, Input, QRCode, Typography } from 'antd';
import { LockOutlined, SafetyOutlined, UserOutlined } from '@ant-design/icons';
import { useAuth, type SecondFactor } from './AuthContext.tsx';

/** The secret in groups of four, as authenticator apps show it for typing in. */
const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();

export function LoginPage() {
  const { login, verifyCode, desk, ended } = useAuth();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [step, setStep] = useState<SecondFactor | null>(null);
  const run = async (f: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await f();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const submit = (v: { username: string; password: string }) =>
    run(async () => setStep(await login(v.username.trim(), v.password)));
  const submitCode = (v: { code: string }) => run(() => verifyCode(step!.challenge, v.code.trim()));
  return (
    <div className="login-page">
      <Card className="login-card">
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          联动工作台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }} data-testid="desk-name">
          {desk?.name ?? ''}
        </Typography.Paragraph>
        {ended && !error && (
          <Alert
            type="warning"
            showIcon
            title={
              ended === 'idle'
                ? '因长时间未操作，已自动退出登录'
                : ended === 'lifetime'
                  ? '本次登录已达最长有效时间，已自动退出登录'
                  : ended === 'relogin'
                    ? '已退出本次登录，请重新登录'
                    : '登录已失效'
            }
            description="请重新登录；未提交的受理内容已保留，登录后自动恢复。"
            style={{ marginBottom: 16 }}
            data-testid="session-ended"
          />
        )}
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
        {!step ? (
          <Form layout="vertical" onFinish={submit} requiredMark={false}>
            <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
              <Input prefix={<UserOutlined />} autoComplete="username" autoFocus />
            </Form.Item>
            <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              登录
            </Button>
          </Form>
        ) : (
          <Form layout="vertical" onFinish={submitCode} requiredMark={false} data-testid="totp-step">
            {step.enrol ? (
              <div data-testid="totp-enrol" style={{ marginBottom: 16 }}>
                <Typography.Paragraph>
                  您的角色须使用动态验证码。请用手机上的身份验证器应用扫描下方二维码，或手动输入密钥，然后填写应用显示的6位验证码。
                </Typography.Paragraph>
                <div style={{ display: 'flex', justifyContent: 'center', marginBottom: 8 }}>
                  <QRCode value={step.enrol.otpauthUrl} size={160} bordered={false} />
                </div>
                <Typography.Paragraph style={{ textAlign: 'center' }}>
                  密钥：
                  <Typography.Text code copyable={{ text: step.enrol.secret }} translate="no" data-testid="totp-secret">
                    {grouped(step.enrol.secret)}
                  </Typography.Text>
                </Typography.Paragraph>
              </div>
            ) : (
              <Typography.Paragraph>请输入身份验证器应用显示的6位动态验证码。</Typography.Paragraph>
            )}
            <Form.Item
              name="code"
              label="动态验证码"
              rules={[
                { required: true, message: '请输入动态验证码' },
                { pattern: /^\s*\d{6}\s*$/, message: '动态验证码为6位数字' },
              ]}
            >
              <Input
                prefix={<SafetyOutlined />}
                autoComplete="one-time-code"
                inputMode="numeric"
                maxLength={6}
                autoFocus
              />
            </Form.Item>
            <Button type="primary" htmlType="submit" block loading={busy}>
              验证并登录
            </Button>
            <Button
              type="link"
              block
              onClick={() => {
                setStep(null);
                setError(null);
              }}
            >
              返回重新登录
            </Button>
          </Form>
        )}
      </Card>
    </div>
  );
}
