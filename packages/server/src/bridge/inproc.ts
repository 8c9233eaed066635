/**
 * The in-process channel of the `both` deployment: the peer desk's app is called with inject(), so a
 * message takes exactly the path it takes between two deployments (signed, verified, validated,
 * stored) — only the transport differs.
 */
export type InProcessCall = (req: {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  payload?: string;
}) => Promise<{ statusCode: number; body: string }>;

const peers = new Map<string, InProcessCall>();

export function registerInProcessPeer(deskId: string, call: InProcessCall): void {
  peers.set(deskId, call);
}

export async function inProcessFetch(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
): Promise<{ status: number; json(): Promise<unknown>; ok: boolean }> {
  const m = /^inproc:\/\/([^/]+)(\/.*)$/.exec(url);
  const call = m && peers.get(m[1]!);
  if (!m || !call) throw new Error(`no in-process peer for ${url}`);
  const res = await call({ method: init.method, url: m[2]!, headers: init.headers, payload: init.body });
  return {
    status: res.statusCode,
    ok: res.statusCode >= 200 && res.statusCode < 300,
    json: async () => JSON.parse(res.body) as unknown,
  };
}
