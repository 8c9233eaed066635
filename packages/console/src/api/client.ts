/**
 * The console's one way to the server: JSON over fetch with the session token. Every error answer of
 * the server is {code, message}; it becomes an ApiError whose message is shown to the user as is.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/*
 * The session lives in localStorage, which every tab of the same desk shares (a desk is its own origin:
 * the 12345 desk and the 110 desk never see each other's): a reload or a new tab finds it, and a log-out
 * in one tab ends it in all (the `storage` event, AuthContext). Beside the token: when the session was
 * last used by any tab, which is what the server's idle timeout counts from (SessionGuard).
 */
const TOKEN_KEY = 'liandong.session.token';
const USED_KEY = 'liandong.session.used';

export const session = {
  TOKEN_KEY,
  USED_KEY,
  get token(): string | null {
    return localStorage.getItem(TOKEN_KEY);
  },
  set(token: string | null) {
    if (token) {
      localStorage.setItem(TOKEN_KEY, token);
      session.used();
    } else {
      localStorage.removeItem(TOKEN_KEY);
      localStorage.removeItem(USED_KEY);
    }
  },
  /** The session's last use by any tab of this desk (ms since the epoch), or null. */
  get lastUsed(): number | null {
    const v = Number(localStorage.getItem(USED_KEY));
    return Number.isFinite(v) && v > 0 ? v : null;
  },
  /** The server counted a request as use: so does every tab. */
  used() {
    localStorage.setItem(USED_KEY, String(Date.now()));
  },
};

let onUnauthorized: () => void = () => undefined;
export function setUnauthorizedHandler(fn: () => void) {
  onUnauthorized = fn;
}

type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>;

export function toQuery(q: Query = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) for (const x of v) p.append(k, String(x));
    else p.append(k, String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

export async function api<T = unknown>(
  method: string,
  path: string,
  body?: unknown,
  init: { query?: Query; raw?: Blob; contentType?: string; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  let payload: BodyInit | undefined;
  if (init.raw) {
    payload = init.raw;
    headers['content-type'] = init.contentType || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['content-type'] = 'application/json';
  }
  let res: Response;
  try {
    res = await fetch(`${path}${toQuery(init.query)}`, { method, headers, body: payload, signal: init.signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK_ERROR', '无法连接服务器，请检查网络后重试');
  }
  if (headers.authorization && res.status !== 401) session.used();
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  if (!res.ok) throw refusal(res, path, json);
  return json as T;
}

const SESSION_OVER = new Set([
  'AUTH_REQUIRED',
  'AUTH_SESSION_EXPIRED',
  'AUTH_SESSION_IDLE',
  'AUTH_WRONG_DESK',
  'AUTH_USER_DISABLED',
]);

function refusal(res: Response, path: string, json: unknown): ApiError {
  const err = json as { code?: string; message?: string; details?: unknown } | null;
  // The session is over (expired, idle, revoked, the user disabled or moved off this desk): back to the
  // log-in page. A 401 of the log-in's own steps or of a code check (a wrong password or code) is an answer.
  const code = err?.code ?? '';
  if (
    !path.startsWith('/api/auth/login') &&
    (SESSION_OVER.has(code) || (res.status === 401 && !path.startsWith('/api/auth/')))
  )
    onUnauthorized();
  return new ApiError(
    res.status,
    err?.code ?? `HTTP_${res.status}`,
    err?.message ?? `请求失败（${res.status}）`,
    err?.details,
  );
}

/** A file the server serves to a logged-in user (attachments), as a blob; refusals as for `api`. */
export async function getBlob(path: string): Promise<Blob> {
  const res = await fetch(path, { headers: session.token ? { authorization: `Bearer ${session.token}` } : {} });
  if (!res.ok) throw refusal(res, path, await res.json().catch(() => null));
  return res.blob();
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) =>
  api<T>('GET', path, undefined, { query, signal });
export const post = <T>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/**
 * What the user reads when an action fails: the server's message, in Chinese. The code stays in
 * ApiError.code for the program (and in the server's log), not on the screen.
 */
export function errorText(e: unknown): string {
  return e instanceof ApiError ? e.message : (e as Error).message;
}
