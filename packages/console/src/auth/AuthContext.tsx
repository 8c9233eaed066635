import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, session, setUnauthorizedHandler } from '../api/client.ts';
import type { DeskInfo, Me } from '../api/types.ts';
import { clearDrafts } from '../shared/drafts.ts';

/** The password was right; the server asks for the authenticator's code (and, with enrol, sets it up first). */
export interface SecondFactor {
  challenge: string;
  enrol?: { secret: string; otpauthUrl: string };
}

/** Why the log-in page is shown again: the session ran out (idle, at the end of its lifetime, revoked elsewhere). */
export type SessionEnd = 'idle' | 'lifetime' | 'relogin' | 'ended' | null;

interface Auth {
  me: Me | null;
  desk: DeskInfo | null;
  loading: boolean;
  /** Set when the session ended by itself; the log-in page says so. */
  ended: SessionEnd;
  /** When (this browser's clock, ms) the session's lifetime ends, as the server last said; null: unknown. */
  sessionEndsAt: number | null;
  /** null: logged in; otherwise the second step the log-in waits for. */
  login(username: string, password: string): Promise<SecondFactor | null>;
  verifyCode(challenge: string, code: string): Promise<void>;
  logout(): Promise<void>;
  /** The session ran out, unused or at the end of its lifetime (SessionGuard): ended here and on the server, drafts kept. */
  expire(reason?: 'idle' | 'lifetime' | 'relogin'): Promise<void>;
  can(permission: string): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [desk, setDesk] = useState<DeskInfo | null>(null);
  const [loading, setLoading] = useState(true);
  const [ended, setEnded] = useState<SessionEnd>(null);
  const [sessionEndsAt, setSessionEndsAt] = useState<number | null>(null);

  // who the token belongs to, with the idle timeout the server applies
  const loadMe = useCallback(
    () =>
      get<Me>('/api/auth/me')
        .then((m) => {
          setMe(m);
          setEnded(null);
          // counted from this browser's clock on receipt, so a clock that is off does not matter
          setSessionEndsAt(typeof m.sessionSecondsLeft === 'number' ? Date.now() + m.sessionSecondsLeft * 1000 : null);
        })
        .catch(() => undefined),
    [],
  );

  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.set(null);
      setMe((m) => {
        if (m) setEnded('ended');
        return null;
      });
    });
    const deskReq = get<DeskInfo>('/api/desk')
      .then(setDesk)
      .catch(() => setDesk({ desk: 'both', deskId: '', name: '联动平台' }));
    const meReq = session.token ? loadMe() : Promise.resolve();
    void Promise.all([deskReq, meReq]).finally(() => setLoading(false));
    // Another tab of this desk logged in or out: so does this one.
    const onStorage = (e: StorageEvent) => {
      if (e.key !== session.TOKEN_KEY && e.key !== null) return;
      if (session.token) {
        if (e.newValue !== e.oldValue) void loadMe();
      } else {
        setMe(null);
      }
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, [loadMe]);

  const login = useCallback(
    async (username: string, password: string) => {
      const r = await post<{ token: string; user: Me } | ({ secondFactor: 'totp' } & SecondFactor)>('/api/auth/login', {
        username,
        password,
      });
      if ('secondFactor' in r) return { challenge: r.challenge, ...(r.enrol ? { enrol: r.enrol } : {}) };
      session.set(r.token);
      setMe(r.user);
      setEnded(null);
      void loadMe();
      return null;
    },
    [loadMe],
  );

  const verifyCode = useCallback(
    async (challenge: string, code: string) => {
      const r = await post<{ token: string; user: Me }>('/api/auth/login/totp', { challenge, code });
      session.set(r.token);
      setMe(r.user);
      setEnded(null);
      void loadMe();
    },
    [loadMe],
  );

  const logout = useCallback(async () => {
    try {
      await post('/api/auth/logout');
    } catch {
      /* the session may already be gone */
    }
    if (me) clearDrafts(me.id);
    session.set(null);
    setMe(null);
    setSessionEndsAt(null);
    setEnded(null);
  }, [me]);

  const expire = useCallback(async (reason: 'idle' | 'lifetime' | 'relogin' = 'idle') => {
    // the server would refuse it by now anyway; revoking makes sure
    await post('/api/auth/logout').catch(() => undefined);
    session.set(null);
    setMe(null);
    setSessionEndsAt(null);
    setEnded(reason);
  }, []);

  const value = useMemo<Auth>(
    () => ({
      me,
      desk,
      loading,
      ended,
      sessionEndsAt,
      login,
      verifyCode,
      logout,
      expire,
      can: (p) => Boolean(me?.permissions.includes(p)),
    }),
    [me, desk, loading, ended, sessionEndsAt, login, verifyCode, logout, expire],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
