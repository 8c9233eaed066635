/** The public page's calls: no log-in, the server's {code, message} answers shown as they are. */
export class PublicError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function call<T>(method: 'GET' | 'POST', url: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
      signal,
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new PublicError(0, 'NETWORK', '网络连接失败，请检查网络后重试；如遇紧急情况请直接拨打110');
  }
  const json = (await res.json().catch(() => null)) as { code?: string; message?: string } | null;
  if (!res.ok) throw new PublicError(res.status, json?.code ?? 'ERROR', json?.message ?? '提交失败，请稍后重试');
  return json as T;
}

export interface Meta {
  districts: { code: string; name: string }[];
  categories: { code: string; name: string; parentCode: string | null }[];
  orderTypes: string[];
}

export interface Filed {
  requestNo: string;
  queryCode: string;
  emergency: boolean;
  callNow: string[];
  escalated: boolean;
}

export interface PublicStatus {
  requestNo: string;
  receivedAt: string;
  category: string;
  place: string;
  content: string;
  statusText: string;
  dueAt: string;
  history: { at: string; text: string }[];
  reply: string | null;
  repliedAt: string | null;
  emergency: boolean;
}

/** A turn of a conversation handed over with a request (转人工). */
export interface ChatTurn {
  from: 'citizen' | 'assistant';
  text: string;
  articleTitle?: string;
}

/** What the self-service answering says (POST /api/public/chat). */
export type ChatReply =
  | {
      kind: 'answer';
      answer: {
        articleId: string;
        version: number;
        title: string;
        text: string;
        department: string;
        effectiveFrom: string;
        expiresAt: string | null;
        source: { name: string; docNo: string; issuer: string; issuedOn: string } | null;
        demo: boolean;
      };
      related: { articleId: string; title: string }[];
    }
  | { kind: 'unknown'; message: string }
  | { kind: 'emergency'; message: string; callNow: string[] };
