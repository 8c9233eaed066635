/**
 * Issue 17, item 4: every cell of the authorisation matrix (route × role, and anonymous) on each desk,
 * called once with placeholder input. A role the rule (src/auth/route-rules.ts) denies gets 403
 * FORBIDDEN; a role it allows never gets FORBIDDEN nor a 5xx (400/404/409/422 for the placeholder input
 * are fine); an anonymous call to a route that needs a log-in gets 401. Then masking: a caller's phone
 * and name, seeded on each desk, appear in no answer to the analyst and in some answer to a seat.
 */
import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '@liandong/domain';
import { allows, enforceRouteRules, registeredRoutes, type RegisteredRoute } from '../../src/auth/route-rules.ts';
import {
  createTestApp,
  PASSWORD,
  sampleIncident,
  sampleOrder,
  UNREACHED_PEER_BRIDGE,
  USERS,
  type TestApp,
} from '../helpers.ts';

type Who = keyof typeof USERS;
/** One user per role. */
const ROLE_USERS: Record<Role, Who> = {
  call_taker: 'callTaker',
  dispatcher: 'dispatcher',
  specialist_seat: 'seat',
  district_agency: 'yuzhong',
  department_handler: 'chengguan',
  supervisor: 'supervisor',
  analyst: 'analyst',
  admin: 'admin',
};
const ROLES = Object.keys(ROLE_USERS) as Role[];

/**
 * Answers that say a feature is not set up in the test app (no switch, no bridge on 110) or that its peer
 * is never reached (the 12345 desk's bridge points at a closed port): not failures of this desk.
 */
const NOT_HERE = new Set(['BRIDGE_NOT_CONFIGURED', 'TELEPHONY_OFF', 'TELEPHONY_NO_PEER', 'SHARE_PULL_FAILED']);
const PHONE = '13912340987';
const NAME = '欧阳测试';

type Params = Record<string, string>;
const placeholder = (name: string, known: Params) =>
  known[name] ??
  (name === 'format' ? 'json' : name === 'date' ? '2026-01-05' : name === 'kind' ? 'units' : randomUUID());
const fill = (url: string, known: Params) =>
  url.replace(/:([A-Za-z]+)/g, (_m, n: string) => placeholder(n, known)).replace(/\*$/, 'x');

interface Cell {
  route: RegisteredRoute;
  who: Role | 'anonymous';
  status: number;
  code: string | undefined;
  body: string;
}

async function call(t: TestApp, route: RegisteredRoute, who: Role | 'anonymous', known: Params = {}): Promise<Cell> {
  const headers = who === 'anonymous' ? {} : t.as(ROLE_USERS[who]);
  const withBody = route.method !== 'GET' && route.method !== 'DELETE';
  const res = await t.app.inject({
    method: route.method as 'GET',
    url: fill(route.url, known) + (route.url === '/api/callers' && known.number ? `?phone=${known.number}` : ''),
    headers,
    ...(withBody ? { payload: {} } : {}),
    // A stream answers with its headers and stays open: read the status and let it go.
    ...(route.stream ? { payloadAsStream: true } : {}),
  });
  let body = '';
  if (!route.stream) body = res.body;
  else if (res.statusCode < 400) res.stream().destroy();
  else for await (const chunk of res.stream()) body += String(chunk);
  let code: string | undefined;
  try {
    code = (JSON.parse(body) as { code?: string }).code;
  } catch {
    code = undefined;
  }
  return { route, who, status: res.statusCode, code, body };
}

/** Every cell of a desk, in modest concurrent batches; log-out last (it ends the caller's session). */
async function callEveryCell(t: TestApp): Promise<Cell[]> {
  const routes = registeredRoutes(t.app).filter((r) => r.method !== 'HEAD');
  const [last, first] = [
    routes.filter((r) => r.url === '/api/auth/logout'),
    routes.filter((r) => r.url !== '/api/auth/logout'),
  ];
  const cells: Cell[] = [];
  for (const group of [first, last]) {
    const jobs = group.flatMap((r) => [...ROLES, 'anonymous' as const].map((who) => () => call(t, r, who)));
    for (let i = 0; i < jobs.length; i += 24) cells.push(...(await Promise.all(jobs.slice(i, i + 24).map((j) => j()))));
  }
  return cells;
}

/** A caller to look for in every answer: on 12345 an order transferred to 110 (a linkage item). */
async function seedHotline(t: TestApp): Promise<Params> {
  const { channel: _channel, ...request } = sampleOrder({
    caller: { name: NAME, phone: PHONE },
    categoryCode: undefined,
    content: `${NAME}说隔壁男子拿着刀在楼道里砍门，已经有人受伤，他的电话${PHONE}`,
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/intake',
    headers: t.as('callTaker'),
    payload: { ...request, handling: { kind: 'transfer', callbackConsent: true } },
  });
  if (res.statusCode !== 201) throw new Error(`seed: ${res.body}`);
  const made = res.json<{ workOrder: { id: string }; linkage: { itemId: string } }>();
  return { id: made.workOrder.id, itemId: made.linkage.itemId, number: PHONE };
}

/** …on 110 an incident. */
async function seedDispatch(t: TestApp): Promise<Params> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/incidents',
    headers: t.as('dispatcher'),
    payload: sampleIncident({ channel: 'phone_110', caller: { name: NAME, phone: PHONE } }),
  });
  if (res.statusCode !== 201) throw new Error(`seed: ${res.body}`);
  return { id: res.json<{ id: string }>().id, number: PHONE };
}

/** Log every user in again (the matrix ends with log-outs). */
async function logInAgain(t: TestApp): Promise<void> {
  for (const [key, u] of Object.entries(USERS)) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: u.username, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${u.username}: ${res.body}`);
    t.tokens[key as Who] = res.json<{ token: string }>().token;
  }
}

const describeCell = (c: Cell) => `${c.route.method} ${c.route.url} as ${c.who}: ${c.status} ${c.code ?? ''}`;

/** What the rule says of this cell, and whether the answer agrees. */
function verdict(c: Cell): string | null {
  const { access } = c.route.rule;
  const loggedIn = access.kind === 'authenticated' || access.kind === 'permission';
  // Public, signed (peer, Open311 client) and setting routes: the table lets everyone through to the
  // route's own check (a signature, an api_key); none may fail.
  if (!loggedIn) return c.status >= 500 || c.code === 'FORBIDDEN' ? 'an open route refused or failed' : null;
  if (c.who === 'anonymous')
    return c.status === 401 && c.code === 'AUTH_REQUIRED' ? null : 'anonymous must get 401 AUTH_REQUIRED';
  const allowed = allows(access, {
    id: null,
    username: '',
    displayName: '',
    role: c.who,
    unitId: null,
    districtCode: null,
  });
  if (!allowed)
    return c.status === 403 && c.code === 'FORBIDDEN' ? null : 'denied by the table: must get 403 FORBIDDEN';
  if (c.code === 'FORBIDDEN') return 'allowed by the table but the handler said FORBIDDEN';
  if (c.status === 401) return 'allowed by the table but 401';
  if (c.status >= 500 && !(c.code && NOT_HERE.has(c.code))) return 'allowed: must not fail (5xx)';
  return null;
}

describe('the table is the truth at start-up', () => {
  const noop = async () => ({});
  it('a route without a rule stops the app (so a new endpoint without one fails every test)', async () => {
    const app = Fastify();
    enforceRouteRules(app, 'hotline');
    await expect(app.register(async (a) => void a.get('/api/not-in-the-table', noop))).rejects.toThrow(
      'No authorisation rule for GET /api/not-in-the-table',
    );
    // a plugin's route says where it came from
    const plugged = Fastify();
    enforceRouteRules(plugged, 'hotline');
    await expect(
      plugged.register(async (a) => void a.get('/status', noop), { prefix: '/api/city-plugin' }),
    ).rejects.toThrow(
      'No authorisation rule for GET /api/city-plugin/status (registered by a plugin under the prefix /api/city-plugin)',
    );
  });
  it('a route on a desk its rule does not name, or public against its rule, stops the app', async () => {
    const dispatch = Fastify();
    enforceRouteRules(dispatch, 'dispatch');
    await expect(dispatch.register(async (a) => void a.get('/api/work-orders', noop))).rejects.toThrow(
      'registered on the dispatch desk',
    );
    const hotline = Fastify();
    enforceRouteRules(hotline, 'hotline');
    await expect(
      hotline.register(async (a) => void a.get('/api/work-orders', { config: { public: true } }, noop)),
    ).rejects.toThrow('disagrees with its rule');
  });
});

for (const desk of ['hotline', 'dispatch'] as const) {
  describe(`the authorisation matrix on the ${desk} desk`, () => {
    let t: TestApp;
    let cells: Cell[] = [];
    let seededParams: Params = {};
    beforeAll(async () => {
      // The 12345 desk with a peer that is never reached: a transfer opens a linkage item and stays in the outbox.
      t = await createTestApp(desk === 'hotline' ? { desk, bridge: UNREACHED_PEER_BRIDGE } : { desk });
      seededParams = desk === 'hotline' ? await seedHotline(t) : await seedDispatch(t);
      const started = Date.now();
      cells = await callEveryCell(t);
      console.info(
        `${desk}: ${cells.length} cells over ${cells.length / (ROLES.length + 1)} routes in ${Date.now() - started} ms`,
      );
    });
    afterAll(async () => {
      await t?.close();
    });

    it('every route has its rule, and every cell answers as the rule says', () => {
      expect(cells.length).toBeGreaterThan(100 * (ROLES.length + 1));
      const wrong = cells.flatMap((c) => {
        const v = verdict(c);
        return v ? [`${describeCell(c)} — ${v}`] : [];
      });
      expect(wrong).toEqual([]);
    });

    it('the table denies some roles and allows others on this desk (the matrix is not trivial)', () => {
      const denied = cells.filter((c) => c.who !== 'anonymous' && c.code === 'FORBIDDEN');
      const allowed = cells.filter((c) => c.who !== 'anonymous' && c.status < 400);
      expect(denied.length).toBeGreaterThan(100);
      expect(allowed.length).toBeGreaterThan(100);
    });

    it('masking: no GET answers the analyst with the seeded caller’s phone or name; the seat’s do', async () => {
      await logInAgain(t);
      // Every GET again, with the seeded record's id for :id and its number for :number (and /api/callers).
      const gets = registeredRoutes(t.app).filter((r) => r.method === 'GET' && !r.stream);
      const masked: Role[] = ['analyst'];
      const seat: Role = desk === 'hotline' ? 'call_taker' : 'dispatcher';
      const again: Cell[] = [];
      for (let i = 0; i < gets.length; i += 12)
        again.push(
          ...(await Promise.all(
            gets.slice(i, i + 12).flatMap((r) => [...masked, seat].map((who) => call(t, r, who, seededParams))),
          )),
        );
      const wrong = again.flatMap((c) => (verdict(c) ? [`${describeCell(c)} — ${verdict(c)}`] : []));
      expect(wrong).toEqual([]);
      const read = again.filter((c) => masked.includes(c.who as Role) && c.status === 200);
      expect(read.length).toBeGreaterThan(10);
      // Not the number nor a cut-off piece of it (a 40-character title once ended in 10 of its digits), not the name.
      const leaks = read.filter((c) => c.body.includes(PHONE.slice(0, 7)) || c.body.includes(NAME)).map(describeCell);
      expect(leaks).toEqual([]);
      // The seeded caller is there to be found: the seat reads them in the record's detail.
      const detail = desk === 'hotline' ? 'GET /api/work-orders/:id' : 'GET /api/incidents/:id';
      const seen = again
        .filter((c) => c.who === seat && c.body.includes(PHONE))
        .map((c) => `${c.route.method} ${c.route.url}`);
      expect(seen).toContain(detail);
      // …and the analyst reads the same detail, masked.
      const analystDetail = read.find((c) => `${c.route.method} ${c.route.url}` === detail);
      expect(analystDetail?.body).toContain('139****0987');
    });
  });
}
