/**
 * The two desks in this test process, each its own app on its own database, linked by the in-process
 * channel (signed and verified exactly as over HTTP, as `npm start` runs them): cheap enough to share per file.
 */
import { registerInProcessPeer } from '../../src/bridge/inproc.ts';
import { buildApp } from '../../src/app.ts';
import { BRIDGE_DEFAULTS, type BridgeConfig } from '../../src/config.ts';
import { createTestDatabase, insertUsers, PASSWORD, USERS } from '../helpers.ts';

export const SHARE_KEYS = {
  h2d: ['t-h2d', 'hotline-to-dispatch-share-test-1'],
  d2h: ['t-d2h', 'dispatch-to-hotline-share-test-1'],
} as const;

const bridge = (peerId: string, out: readonly [string, string], inb: readonly [string, string]): BridgeConfig => ({
  peerUrl: `inproc://${peerId}`,
  peerId,
  keyId: out[0],
  key: out[1],
  inboundKeys: new Map([[inb[0], inb[1]]]),
  alg: 'hmac-sha256',
  ...BRIDGE_DEFAULTS,
  shareKey: 'share-pseudonym-test-key',
});

async function desk(name: 'hotline' | 'dispatch') {
  const database = await createTestDatabase();
  await insertUsers(database.db);
  const hotline = name === 'hotline';
  const app = await buildApp({
    db: database.db,
    config: {
      sessionTtlHours: 1,
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'warn',
      desk: name,
      deskId: hotline ? 'cq-12345' : 'cq-110',
      bridge: hotline
        ? bridge('cq-110', SHARE_KEYS.h2d, SHARE_KEYS.d2h)
        : bridge('cq-12345', SHARE_KEYS.d2h, SHARE_KEYS.h2d),
    },
    logger: false,
  });
  const tokens = new Map<string, string>();
  const as = async (who: keyof typeof USERS) => {
    if (!tokens.has(who)) {
      const r = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: USERS[who].username, password: PASSWORD },
      });
      tokens.set(who, r.json<{ token: string }>().token);
    }
    return { authorization: `Bearer ${tokens.get(who)}` };
  };
  return { app, db: database.db, url: database.url, as, drop: database.drop };
}

export type InprocDesk = Awaited<ReturnType<typeof desk>>;

export async function makeInprocDesks() {
  const hotline = await desk('hotline');
  const dispatch = await desk('dispatch');
  registerInProcessPeer('cq-12345', (r) => hotline.app.inject(r));
  registerInProcessPeer('cq-110', (r) => dispatch.app.inject(r));
  return {
    hotline,
    dispatch,
    async close() {
      await hotline.app.close();
      await dispatch.app.close();
      await hotline.drop();
      await dispatch.drop();
    },
  };
}
