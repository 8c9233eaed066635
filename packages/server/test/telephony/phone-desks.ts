/**
 * Two desks with their switches on loopback for telephony tests: the 12345 desk and the 110 desk,
 * each its own app on its own fresh database, each the other's SIP peer; seats created through the
 * admin API and registered by SIPp. The 12345 desk has a bridge to a 110 that is never reached: its
 * linkage items stay in its outbox.
 */
import { buildApp } from '../../src/app.ts';
import { createTestDatabase, insertUsers, PASSWORD, UNREACHED_PEER_BRIDGE, USERS } from '../helpers.ts';
import { freeSipPort, registerSeat } from './sipp.ts';

export const SEAT_PASSWORD = 'seat-pass-2026';

export async function phoneDesk(desk: 'hotline' | 'dispatch', sipPort: number, peerPort: number) {
  const database = await createTestDatabase();
  await insertUsers(database.db);
  const app = await buildApp({
    db: database.db,
    config: {
      sessionTtlHours: 1,
      bodyLimitBytes: 1024 * 1024,
      logLevel: 'warn',
      desk,
      deskId: desk === 'dispatch' ? 'cq-110' : 'cq-12345',
      sip: {
        host: '127.0.0.1',
        port: sipPort,
        peer: { host: '127.0.0.1', port: peerPort, protocol: 'UDP' },
        // a transfer nobody answers is given up after 5 s here (30 s by default)
        transferRingSeconds: 5,
      },
      // The 12345 desk's transfers open linkage items (kept in its outbox: the bridge itself is not under test here).
      ...(desk === 'hotline' ? { bridge: UNREACHED_PEER_BRIDGE } : {}),
    },
    logger: false,
  });
  const tokens = {} as Record<keyof typeof USERS, string>;
  for (const [key, u] of Object.entries(USERS)) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: PASSWORD },
    });
    tokens[key as keyof typeof USERS] = res.json<{ token: string }>().token;
  }
  const as = (who: keyof typeof USERS) => ({ authorization: `Bearer ${tokens[who]}` });
  const center = app.services.telephony.center!;
  return {
    app,
    db: database.db,
    sipPort,
    center,
    as,
    /** Creates the seat, registers its phone (SIPp) to answer on `contactPort`, and signs `who` in at it. */
    async seat(extension: string, who: keyof typeof USERS, contactPort: number) {
      const put = await app.inject({
        method: 'PUT',
        url: `/api/admin/telephony/seats/${extension}`,
        headers: as('admin'),
        payload: { label: `坐席${extension}`, password: SEAT_PASSWORD },
      });
      if (put.statusCode !== 204) throw new Error(put.body);
      const reg = await registerSeat(sipPort, extension, SEAT_PASSWORD, contactPort);
      if (reg.code !== 0) throw new Error(`register ${extension}: ${reg.stderr}`);
      const res = await app.inject({
        method: 'POST',
        url: '/api/telephony/agent/sign-in',
        headers: as(who),
        payload: { extension },
      });
      if (res.statusCode !== 200) throw new Error(res.body);
    },
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

export async function twoPhoneDesks() {
  const [p12345, p110] = [await freeSipPort(), await freeSipPort()];
  const hotline = await phoneDesk('hotline', p12345, p110);
  const dispatch = await phoneDesk('dispatch', p110, p12345);
  return {
    hotline,
    dispatch,
    async close() {
      await hotline.close();
      await dispatch.close();
    },
  };
}
