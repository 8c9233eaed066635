/**
 * 账号安全, from the header: the user changes their own password (the policy is the server's; their other
 * sessions end) and binds or removes the authenticator app that gives their 动态验证码 (TOTP).
 */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Divider, Form, Input, Modal, QRCode, Space, Tooltip, Typography } from 'antd';
import { SafetyOutlined } from '@ant-design/icons';
import { get, post } from '../api/client.ts';

interface Security {
  totp: { enabled: boolean; required: boolean };
}

const grouped = (secret: string) => secret.replace(/(.{4})/g, '$1 ').trim();
const CODE_RULES = [
  { required: true, message: '请输入动态验证码' },
  { pattern: /^\s*\d{6}\s*$/, message: '动态验证码为6位数字' },
];

export function AccountSecurityButton() {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Tooltip title="账号安全">
        <Button
          icon={<SafetyOutlined />}
          aria-label="账号安全"
          onClick={() => setOpen(true)}
          data-testid="account-security"
        />
      </Tooltip>
      {open && <AccountSecurity onClose={() => setOpen(false)} />}
    </>
  );
}

function AccountSecurity({ onClose }: { onClose: () => void }) {
  const { message } = App.useApp();
  const [sec, setSec] = useState<Security | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [enrol, setEnrol] = useState<{ secret: string; otpauthUrl: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [pwForm] = Form.useForm<{ currentPassword: string; newPassword: string; again: string }>();
  const load = () =>
    void get<Security>('/api/auth/me')
      .then(setSec)
      .catch((e) => setError((e as Error).message));
  useEffect(load, []);

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
  const changePassword = (v: { currentPassword: string; newPassword: string }) =>
    run(async () => {
      await post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      pwForm.resetFields();
      message.success('密码已修改，其他设备上的登录已失效');
    });
  const startEnrol = () => run(async () => setEnrol(await post('/api/auth/totp/enrol')));
  const confirm = (v: { code: string }) =>
    run(async () => {
      await post('/api/auth/totp/confirm', { code: v.code.trim() });
      setEnrol(null);
      message.success('已绑定动态验证码，今后登录时须输入');
      load();
    });
  const disable = (v: { code: string }) =>
    run(async () => {
      await post('/api/auth/totp/disable', { code: v.code.trim() });
      message.success('已解除动态验证码');
      load();
    });

  return (
    <Modal open title="账号安全" footer={null} onCancel={onClose} destroyOnHidden data-testid="account-security-dialog">
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="security-error" />}
      <Typography.Title level={5}>修改密码</Typography.Title>
      <Form form={pwForm} layout="vertical" onFinish={changePassword} requiredMark={false}>
        <Form.Item name="currentPassword" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label="新密码"
          extra="须足够长、混合大小写字母、数字和其他字符，不含用户名，不用常见密码"
          rules={[{ required: true, message: '请输入新密码' }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="again"
          label="再次输入新密码"
          dependencies={['newPassword']}
          rules={[
            { required: true, message: '请再次输入新密码' },
            ({ getFieldValue }) => ({
              validator: (_, v) =>
                !v || v === getFieldValue('newPassword')
                  ? Promise.resolve()
                  : Promise.reject(new Error('两次输入不一致')),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button htmlType="submit" loading={busy}>
          修改密码
        </Button>
      </Form>
      <Divider />
      <Typography.Title level={5}>动态验证码</Typography.Title>
      {!sec ? null : sec.totp.enabled ? (
        <Form layout="inline" onFinish={disable} requiredMark={false}>
          <Typography.Paragraph style={{ width: '100%' }} data-testid="totp-status">
            已绑定：登录时须输入身份验证器应用显示的验证码。
            {sec.totp.required ? '您的角色须使用动态验证码。' : ''}
          </Typography.Paragraph>
          {!sec.totp.required && (
            <>
              <Form.Item name="code" label="当前验证码" rules={CODE_RULES}>
                <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" style={{ width: 120 }} />
              </Form.Item>
              <Button htmlType="submit" danger loading={busy}>
                解除绑定
              </Button>
            </>
          )}
        </Form>
      ) : enrol ? (
        <Form layout="vertical" onFinish={confirm} requiredMark={false} data-testid="totp-enrol">
          <Typography.Paragraph>
            用手机上的身份验证器应用扫描二维码，或手动输入密钥，然后填写应用显示的6位验证码完成绑定。
          </Typography.Paragraph>
          <Space align="center" size="large">
            <QRCode value={enrol.otpauthUrl} size={140} bordered={false} />
            <Typography.Text code copyable={{ text: enrol.secret }} translate="no" data-testid="totp-secret">
              {grouped(enrol.secret)}
            </Typography.Text>
          </Space>
          <Form.Item name="code" label="动态验证码" rules={CODE_RULES} style={{ marginTop: 12 }}>
            <Input inputMode="numeric" maxLength={6} autoComplete="one-time-code" style={{ width: 160 }} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={busy}>
            完成绑定
          </Button>
        </Form>
      ) : (
        <Space direction="vertical">
          <Typography.Paragraph style={{ margin: 0 }} data-testid="totp-status">
            未绑定。绑定后，登录时除密码外还须输入手机上身份验证器应用显示的验证码。
          </Typography.Paragraph>
          <Button onClick={() => void startEnrol()} loading={busy} data-testid="totp-start">
            绑定动态验证码
          </Button>
        </Space>
      )}
    </Modal>
  );
}
