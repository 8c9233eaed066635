/** The seat in the header: sign in at an extension, ready / break / sign out, and the caller pop-up. */
import { useState } from 'react';
import { App, Button, Checkbox, Input, Space, Tag, Tooltip } from 'antd';
import { PhoneOutlined } from '@ant-design/icons';
import { post } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { CallerPopup } from './CallerPopup.tsx';
import { AGENT_STATE_COLOR, AGENT_STATE_LABEL, messageOf } from './labels.ts';
import { useLiveCall } from './LiveCallContext.tsx';
import type { Agent } from './types.ts';

export function AgentBar() {
  const { message } = App.useApp();
  const { me } = useAuth();
  const { status, agent, call, setAgent } = useLiveCall();
  const [extension, setExtension] = useState('');
  const [standby, setStandby] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!status) return null;
  if (!status.enabled)
    return (
      <Tooltip title="本平台未设置 SIP 话务端口：来电弹屏、坐席状态和话务监控不可用，其余功能照常">
        <Tag data-testid="telephony-off">话务未启用</Tag>
      </Tooltip>
    );
  const act = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
    } catch (e) {
      message.error(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  const setState = (state: 'ready' | 'break' | 'offline') =>
    act(async () => setAgent((await post<{ agent: Agent | null }>('/api/telephony/agent/state', { state })).agent));
  if (!agent)
    return (
      <Space size={4} data-testid="agent-sign-in">
        <Input
          size="small"
          style={{ width: 96 }}
          placeholder="分机号"
          value={extension}
          maxLength={8}
          onChange={(e) => setExtension(e.target.value.replace(/\D/g, ''))}
          aria-label="坐席分机号"
        />
        {me?.role !== 'specialist_seat' && (
          <Checkbox checked={standby} onChange={(e) => setStandby(e.target.checked)}>
            备用组
          </Checkbox>
        )}
        <Button
          size="small"
          type="primary"
          icon={<PhoneOutlined />}
          loading={busy}
          disabled={extension.length < 3}
          onClick={() =>
            act(async () => setAgent(await post<Agent>('/api/telephony/agent/sign-in', { extension, standby })))
          }
        >
          签入
        </Button>
      </Space>
    );
  const talking = agent.state === 'busy' || agent.state === 'ringing';
  return (
    <Space size={4} data-testid="agent-bar">
      <Tag color={AGENT_STATE_COLOR[agent.state]} data-testid="agent-state">
        分机 {agent.extension} · {AGENT_STATE_LABEL[agent.state]}
      </Tag>
      {agent.state !== 'ready' && (
        <Button size="small" disabled={talking} loading={busy} onClick={() => void setState('ready')}>
          示闲
        </Button>
      )}
      {agent.state !== 'break' && (
        <Button size="small" disabled={talking} onClick={() => void setState('break')}>
          小休
        </Button>
      )}
      <Button size="small" disabled={talking} onClick={() => void setState('offline')}>
        签出
      </Button>
      {call && <CallerPopup call={call} />}
    </Space>
  );
}
