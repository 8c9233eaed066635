import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { get, post, session, setUnauthorizedHandler } from '../api/client.ts';
import type { DeskInfo, Me } from '../api/types.ts';

/** The password was right; the server asks for the authenticator's code (and, with enrol, sets it up first). */
export interface SecondFactor {
  challenge: string;
  enrol?: { secret: string; otpauthUrl: string };
}

interface Auth {
  me: Me | null;
  desk: DeskInfo | null;
  loading: boolean;
  /** null: logged in; otherwise the second step the log-in waits for. */
  login(username: string, password: string): Promise<SecondFactor | null>;
  verifyCode(challenge: string, code: string): Promise<void>;
  logout(): Promise<void>;
  can(permission: string): boolean;
}

const AuthContext = createContext<Auth | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [desk, setDesk] = useState<DeskInfo | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      session.set(null);
      setMe(null);
    });
    const deskReq = get<DeskInfo>('/api/desk')
      .then(setDesk)
      .catch(() => setDesk({ desk: 'both', deskId: '', name: '联动平台' }));
    const meReq = session.token
      ? get<Me>('/api/auth/me')
          .then(setMe)
          .catch(() => session.set(null))
      : Promise.resolve();
    void Promise.all([deskReq, meReq]).finally(() => setLoading(false));
  }, []);

  const login = useCallback(async (username: string, password: string) => {
    const r = await post<{ token: string; user: Me } | ({ secondFactor: 'totp' } & SecondFactor)>('/api/auth/login', {
      username,
      password,
    });
    if ('secondFactor' in r) return { challenge: r.challenge, ...(r.enrol ? { enrol: r.enrol } : {}) };
    session.set(r.token);
    setMe(r.user);
    return null;
  }, []);

  const verifyCode = useCallback(async (challenge: string, code: string) => {
    const r = await post<{ token: string; user: Me }>('/api/auth/login/totp', { challenge, code });
    session.set(r.token);
    setMe(r.user);
  }, []);

  const logout = useCallback(async () => {
    try {
      await post('/api/auth/logout');
    } catch {
      /* the session may already be gone */
    }
    session.set(null);
    setMe(null);
  }, []);

  const value = useMemo<Auth>(
    () => ({
      me,
      desk,
      loading,
      login,
      verifyCode,
      logout,
      can: (p) => Boolean(me?.permissions.includes(p)),
    }),
    [me, desk, loading, login, verifyCode, logout],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): Auth {
  const a = useContext(AuthContext);
  if (!a) throw new Error('useAuth outside AuthProvider');
  return a;
}
