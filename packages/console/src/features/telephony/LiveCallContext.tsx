/**
 * The agent's seat and live call, for the whole console: the header's agent bar shows and changes the
 * state, the caller pop-up shows who is calling, and pages (intake) read the live call to carry it along.
 */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { get } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { useEventStream } from '../../shared/useEventStream.ts';
import type { Agent, LiveCall, TelephonyStatus } from './types.ts';

interface LiveCallState {
  status: TelephonyStatus | null;
  agent: Agent | null;
  call: LiveCall | null;
  setAgent(a: Agent | null): void;
  reload(): void;
}

const Ctx = createContext<LiveCallState>({
  status: null,
  agent: null,
  call: null,
  setAgent: () => undefined,
  reload: () => undefined,
});

export const useLiveCall = () => useContext(Ctx);

export function LiveCallProvider({ children }: { children: ReactNode }) {
  const { me } = useAuth();
  const isAgent = me?.permissions.includes('telephony.agent') ?? false;
  const [status, setStatus] = useState<TelephonyStatus | null>(null);
  const [agent, setAgent] = useState<Agent | null>(null);
  const [call, setCall] = useState<LiveCall | null>(null);
  const reload = useCallback(() => {
    void get<{ agent: Agent | null; call: LiveCall | null }>('/api/telephony/me')
      .then((r) => {
        setAgent(r.agent);
        setCall(r.call);
      })
      .catch(() => undefined);
  }, []);
  useEffect(() => {
    if (!isAgent) return;
    void get<TelephonyStatus>('/api/telephony/status')
      .then(setStatus)
      .catch(() => undefined);
    reload();
  }, [isAgent, reload]);
  useEventStream<{ event: string; agent: Agent; call: LiveCall | null }>(
    isAgent && status?.enabled ? '/api/telephony/stream' : null,
    'agent',
    (u) => {
      setAgent(u.agent.state === 'offline' ? null : u.agent);
      setCall(u.call && u.call.phase !== 'ended' && u.call.phase !== 'transferred' ? u.call : null);
    },
    reload,
  );
  return <Ctx.Provider value={{ status, agent, call, setAgent, reload }}>{children}</Ctx.Provider>;
}
