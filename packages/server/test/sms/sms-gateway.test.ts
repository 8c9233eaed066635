/**
 * SMS and upward links end to end, every part its own process: a 12345 desk, the reference SMS gateway
 * (`liandong sms-gateway`) and two reference receivers standing for 互联网+督查 and 好差评
 * (`liandong connector-receiver`). A citizen files on the public API and gets the receipt text with the
 * query code; the reply and the survey follow; an answer "5" becomes the order's 回访 and reaches 好差评;
 * a gateway that is down only delays the texts; bad inbound texts are refused with a code and change nothing.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../src/bridge/signing.ts';
import { open } from '../../src/crypto/pii.ts';
import { createTestDatabase, insertUsers, PASSWORD, sampleOrder, USERS } from '../helpers.ts';
import { eventually, freePort } from '../bridge/desks.ts';

const DIGITS = '零一二三四五六七八九';
/** Answers the public form's challenge as a person would (一加二等于几？ → 3). */
const solve = (question: string) => {
  const m = /^(.)加(.)等于几？$/.exec(question);
  if (!m) throw new Error(`unexpected challenge: ${question}`);
  return String(DIGITS.indexOf(m[1]!) + DIGITS.indexOf(m[2]!));
};

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const TO_GATEWAY = ['desk-sms-1', 'desk-to-sms-gateway-secret-0001'] as const;
const FROM_GATEWAY = ['sms-desk-1', 'sms-gateway-to-desk-secret-0001'] as const;
const TO_DC = ['desk-dc-1', 'desk-to-duchao-secret-000000001'] as const;
const FROM_DC = ['dc-desk-1', 'duchao-to-desk-secret-000000001'] as const;
const TO_HCP = ['desk-hcp-1', 'desk-to-haochaping-secret-00001'] as const;
const FROM_HCP = ['hcp-desk-1', 'haochaping-to-desk-secret-00001'] as const;

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let desk: ChildProcess;
let deskOutput = '';
let deskUrl: string;
let gateway: ChildProcess | null = null;
let gport: number;
const receivers: ChildProcess[] = [];
let dcPort: number;
let hcpPort: number;
const tokens = new Map<string, string>();

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test helper: JSON answers are checked field by field
async function api(who: keyof typeof USERS | null, method: string, url: string, body?: unknown): Promise<any> {
  let token = who ? tokens.get(who) : undefined;
  if (who && !token) {
    const r = await fetch(`${deskUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USERS[who].username, password: PASSWORD }),
    });
    token = ((await r.json()) as { token: string }).token;
    tokens.set(who, token);
  }
  const res = await fetch(`${deskUrl}${url}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

async function startGateway(): Promise<void> {
  gateway = spawn(
    process.execPath,
    [
      BIN,
      'sms-gateway',
      '--port',
      String(gport),
      '--desk-url',
      deskUrl,
      '--key-id',
      FROM_GATEWAY[0],
      '--key',
      FROM_GATEWAY[1],
      '--desk-key-id',
      TO_GATEWAY[0],
      '--desk-key',
      TO_GATEWAY[1],
    ],
    { stdio: 'ignore' },
  );
  await eventually(async () => (await fetch(`http://127.0.0.1:${gport}/health`).catch(() => null))?.ok, 20_000);
}

async function stopGateway(): Promise<void> {
  const g = gateway;
  if (!g || g.exitCode !== null) return;
  const exited = new Promise((r) => g.once('exit', r));
  g.kill('SIGTERM');
  await exited;
  gateway = null;
}

function startReceiver(id: string, port: number, fromDesk: readonly string[], toDesk: readonly string[]) {
  const r = spawn(
    process.execPath,
    [
      BIN,
      'connector-receiver',
      '--id',
      id,
      '--port',
      String(port),
      '--desk-url',
      deskUrl,
      '--desk-id',
      'cq-12345',
      '--key-id',
      toDesk[0]!,
      '--key',
      toDesk[1]!,
      '--desk-key-id',
      fromDesk[0]!,
      '--desk-key',
      fromDesk[1]!,
    ],
    { stdio: 'ignore' },
  );
  receivers.push(r);
  return eventually(async () => (await fetch(`http://127.0.0.1:${port}/health`).catch(() => null))?.ok, 20_000);
}

interface StoredSms {
  id: string;
  to: string;
  text: string;
  purpose: string;
  replyExpected: boolean;
}
const texts = async (to: string): Promise<StoredSms[]> =>
  (await (await fetch(`http://127.0.0.1:${gport}/messages?to=${to}`)).json()) as StoredSms[];
const textOf = (to: string, purpose: string) =>
  eventually(async () => (await texts(to)).find((m) => m.purpose === purpose), 20_000);
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the reports are checked field by field
const reportsAt = async (port: number): Promise<any[]> =>
  (await (await fetch(`http://127.0.0.1:${port}/reports`)).json()) as unknown[] as never;

/** A filing on the public API; this file makes five, the public channel's limit per address in 10 minutes. */
async function submit(phone: string, extra: Record<string, unknown> = {}) {
  const c = await api(null, 'GET', '/api/public/challenge');
  expect(c.status).toBe(200);
  const r = await api(null, 'POST', '/api/public/requests', {
    content: '渝中区解放碑街道民族路的人行道地砖破损翘起，老人经过容易绊倒，希望尽快修复。',
    address: '渝中区解放碑街道民族路88号',
    phone,
    challengeId: c.json.id,
    challengeAnswer: solve(c.json.question),
    ...extra,
  });
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = (await db.db.query('SELECT id FROM work_orders WHERE no = $1', [r.json.requestNo])).rows[0].id as string;
  return { ...(r.json as { requestNo: string; queryCode: string }), id };
}

async function replyTo(id: string, reply: string) {
  for (const [who, action, body] of [
    ['callTaker', 'assign', { leadUnitId: 'd500103.urban-mgmt' }],
    ['chengguan', 'sign', {}],
    ['chengguan', 'start', {}],
    ['chengguan', 'reply', { reply, result: 'resolved' }],
  ] as const) {
    const r = await api(who, 'POST', `/api/work-orders/${id}/${action}`, body);
    expect(r.status, `${action}: ${JSON.stringify(r.json)}`).toBe(200);
  }
}

/** A signed inbound text straight to the desk (what a gateway posts), with the key given. */
async function inbound(body: Record<string, unknown>, key: readonly string[] = FROM_GATEWAY) {
  const raw = JSON.stringify(body);
  const res = await fetch(`${deskUrl}/api/sms/inbound`, {
    method: 'POST',
    body: raw,
    headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', key[0]!, key[1]!, raw) },
  });
  return { status: res.status, json: (await res.json()) as { code?: string; status?: string } };
}

const counts = async () =>
  (
    await db.db.query(
      `SELECT (SELECT count(*) FROM work_order_actions)::int AS actions,
              (SELECT count(*) FROM bridge_outbox)::int AS outbox,
              (SELECT count(*) FROM sms_messages WHERE answered_at IS NOT NULL)::int AS answered`,
    )
  ).rows[0];

beforeAll(async () => {
  db = await createTestDatabase();
  await insertUsers(db.db);
  const port = await freePort();
  [gport, dcPort, hcpPort] = [await freePort(), await freePort(), await freePort()];
  deskUrl = `http://127.0.0.1:${port}`;
  desk = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      LIANDONG_DESK: 'hotline',
      LIANDONG_DESK_ID: 'cq-12345',
      BRIDGE_TIMEOUT_MS: '3000',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  desk.stdout!.on('data', (c: Buffer) => (deskOutput += c));
  desk.stderr!.on('data', (c: Buffer) => (deskOutput += c));
  await eventually(async () => {
    if (desk.exitCode !== null) throw new Error(`desk exited: ${deskOutput}`);
    return (await fetch(`${deskUrl}/health`).catch(() => null))?.ok;
  }, 60_000);
  await Promise.all([
    startGateway(),
    startReceiver('cq-duchao', dcPort, TO_DC, FROM_DC),
    startReceiver('cq-haochaping', hcpPort, TO_HCP, FROM_HCP),
  ]);
  for (const [id, name, kind, p, out, inb] of [
    ['cq-sms', '重庆市政务短信平台', 'sms_gateway', gport, TO_GATEWAY, FROM_GATEWAY],
    ['cq-duchao', '重庆市互联网+督查平台', 'supervision_platform', dcPort, TO_DC, FROM_DC],
    ['cq-haochaping', '重庆市政务服务好差评系统', 'evaluation_platform', hcpPort, TO_HCP, FROM_HCP],
  ] as const) {
    const put = await api('admin', 'PUT', `/api/admin/connectors/${id}`, {
      name,
      kind,
      endpointUrl: `http://127.0.0.1:${p}`,
      keyId: out[0],
      key: out[1],
      inboundKeyId: inb[0],
      inboundKey: inb[1],
    });
    expect(put.status, JSON.stringify(put.json)).toBe(200);
  }
}, 120_000);

afterAll(async () => {
  await stopGateway();
  for (const r of receivers) r.kill('SIGTERM');
  if (desk && desk.exitCode === null) {
    const exited = new Promise((r) => desk.once('exit', r));
    desk.kill('SIGTERM');
    await exited;
  }
  await db?.drop();
});

describe('SMS to citizens through the gateway', () => {
  let order: { requestNo: string; queryCode: string; id: string };
  let survey: StoredSms;
  const phone = '13900005501';

  it('a request filed on the public API gets its receipt text with the number and the query code', async () => {
    order = await submit(phone);
    const receipt = await textOf(phone, 'receipt');
    expect(receipt.text).toContain(order.requestNo);
    expect(receipt.text).toContain(`查询码${order.queryCode}`);
    expect(receipt.text.startsWith('【重庆12345】')).toBe(true);
    expect(receipt.replyExpected).toBe(false);
    // At rest the number and the text are sealed; the outbox row names the message, not the number.
    // Marked sent and delivered once the gateway's answer is back (a moment after it has the text).
    const row = await eventually(async () => {
      const r = (await db.db.query('SELECT * FROM sms_messages WHERE id = $1', [receipt.id])).rows[0];
      return r?.gateway_ref ? r : null;
    });
    expect(row.phone_sealed).not.toContain(phone);
    expect(row.text_sealed).not.toContain(order.queryCode);
    expect(open(row.phone_sealed, 'caller.phone')).toBe(phone);
    expect(row.gateway_ref).toMatch(/^SMS-/);
    const out = await eventually(async () => {
      const r = (
        await db.db.query('SELECT status, envelope::text AS body FROM bridge_outbox WHERE id = $1', [receipt.id])
      ).rows[0];
      return r?.status === 'delivered' ? r : null;
    });
    expect(out.body).not.toContain(phone);
  });

  it('the reply reaches the citizen, and the survey after it', async () => {
    await replyTo(order.id, '已安排维修人员于当日更换破损地砖，请您监督。');
    const reply = await textOf(phone, 'reply');
    expect(reply.text).toContain(order.requestNo);
    expect(reply.text).toContain('已安排维修人员于当日更换破损地砖');
    survey = await textOf(phone, 'survey');
    expect(survey.replyExpected).toBe(true);
    expect(survey.text).toContain('5非常满意');
  });

  it('the gateway’s delivery reports: the reply delivered, the receipt not; bad reports change nothing', async () => {
    const report = (body: Record<string, unknown>) =>
      fetch(`http://127.0.0.1:${gport}/control/report`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (r) => (await r.json()) as { status: number; body: { status?: string; code?: string } });
    const receipt = await textOf(phone, 'receipt');
    const reply = await textOf(phone, 'reply');
    await eventually(async () =>
      (await db.db.query('SELECT 1 FROM sms_messages WHERE id = $1 AND sent_at IS NOT NULL', [reply.id])).rowCount
        ? true
        : null,
    );
    expect(await report({ messageId: reply.id, status: 'delivered', id: 'RPT-1' })).toEqual({
      status: 200,
      body: { status: 'recorded' },
    });
    expect((await report({ messageId: reply.id, status: 'delivered', id: 'RPT-1' })).body.status).toBe('duplicate');
    // delivered is final: a later failure changes nothing
    expect((await report({ messageId: reply.id, status: 'undelivered', error: '停机' })).body.status).toBe('duplicate');
    expect(
      (await report({ messageId: receipt.id, status: 'undelivered', error: 'UNDELIV 用户关机', id: 'RPT-2' })).body,
    ).toEqual({ status: 'recorded' });
    const before = (await db.db.query('SELECT * FROM sms_messages ORDER BY id')).rows;
    for (const [what, body, status, code] of [
      ['unknown message', { messageId: randomUUID(), status: 'delivered' }, 404, 'SMS_MESSAGE_UNKNOWN'],
      ['not an id', { messageId: 'x\u0000y', status: 'delivered' }, 404, 'SMS_MESSAGE_UNKNOWN'],
      ['a bad status', { messageId: receipt.id, status: 'read' }, 400, 'VALIDATION_FAILED'],
    ] as const) {
      const r = await report(body);
      expect(r.status, what).toBe(status);
      expect(r.body.code, what).toBe(code);
    }
    const unsigned = await fetch(`${deskUrl}/api/sms/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'RPT-9', messageId: receipt.id, status: 'delivered', at: new Date().toISOString() }),
    });
    expect(unsigned.status).toBe(401);
    expect((await db.db.query('SELECT * FROM sms_messages ORDER BY id')).rows).toEqual(before);
    const texts = (await api('callTaker', 'GET', `/api/work-orders/${order.id}/texts`)).json.items as {
      purpose: string;
      status: string;
      statusLabel: string;
      deliveredAt: string | null;
    }[];
    expect(texts.find((x) => x.purpose === 'reply')).toMatchObject({ status: 'delivered', statusLabel: '已送达' });
    expect(texts.find((x) => x.purpose === 'reply')!.deliveredAt).not.toBeNull();
    expect(texts.find((x) => x.purpose === 'receipt')).toMatchObject({ status: 'undelivered', statusLabel: '未送达' });
  });

  it('bad inbound texts are refused with a code and change nothing', async () => {
    const before = await counts();
    const good = { id: `MO-${randomUUID()}`, replyTo: survey.id, from: phone, text: '5' };
    const cases: [string, Promise<{ status: number; json: { code?: string } }>, number, string][] = [
      ['unknown message', inbound({ ...good, replyTo: randomUUID() }), 404, 'SMS_MESSAGE_UNKNOWN'],
      [
        'a receipt, not a survey',
        inbound({ ...good, replyTo: (await textOf(phone, 'receipt')).id }),
        404,
        'SMS_MESSAGE_UNKNOWN',
      ],
      ['another number', inbound({ ...good, from: '13900005599' }), 404, 'SMS_MESSAGE_UNKNOWN'],
      ['a wrong key', inbound(good, [FROM_GATEWAY[0], 'not-the-gateways-secret-000000']), 401, 'SMS_SIGNATURE_INVALID'],
      ['another connector’s key', inbound(good, FROM_HCP), 401, 'SMS_SIGNATURE_INVALID'],
      ['a 6', inbound({ ...good, text: '6' }), 422, 'SMS_REPLY_INVALID'],
      ['a sentence', inbound({ ...good, text: '还行吧，但是太慢了' }), 422, 'SMS_REPLY_INVALID'],
      ['an extra field', inbound({ ...good, phone }), 400, 'VALIDATION_FAILED'],
    ];
    for (const [what, p, status, code] of cases) {
      const r = await p;
      expect(r.status, what).toBe(status);
      expect(r.json.code, what).toBe(code);
    }
    const unsigned = await fetch(`${deskUrl}/api/sms/inbound`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(good),
    });
    expect(unsigned.status).toBe(401);
    expect(await counts()).toEqual(before);
    expect((await api('callTaker', 'GET', `/api/work-orders/${order.id}`)).json.status).toBe('replied');
  });

  it('the answer "5" is the order’s 回访 (satisfied) and reaches 好差评 as 非常满意', async () => {
    const answer = await (
      await fetch(`http://127.0.0.1:${gport}/control/reply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ replyTo: survey.id, text: ' 5 ', id: 'MO-answer-1' }),
      })
    ).json();
    expect(answer).toEqual({ status: 200, body: { status: 'recorded', rating: 5, satisfaction: 'satisfied' } });
    const wo = (await api('callTaker', 'GET', `/api/work-orders/${order.id}`)).json;
    expect(wo.status).toBe('followed_up');
    expect(wo.satisfaction).toBe('satisfied');
    const evaluation = await eventually(async () =>
      (await reportsAt(hcpPort)).find((r) => r.type === 'evaluation' && r.order.no === order.requestNo),
    );
    expect(evaluation.evaluation).toMatchObject({
      rating: 5,
      level: '非常满意',
      satisfaction: 'satisfied',
      source: 'sms',
    });
    expect(evaluation.order.channel).toBe('web');
    expect(JSON.stringify(evaluation)).not.toContain(phone);
    // The same inbound text again is a duplicate; another answer to the same survey is too late.
    const again = await inbound({ id: 'MO-answer-1', replyTo: survey.id, from: phone, text: '5' });
    expect(again).toEqual({ status: 200, json: { status: 'duplicate' } });
    const late = await inbound({ id: 'MO-answer-2', replyTo: survey.id, from: phone, text: '1' });
    expect([late.status, late.json.code]).toEqual([409, 'SMS_SURVEY_CLOSED']);
  });

  it('a 保密 request still gets its texts, and its number shows nowhere else', async () => {
    const secret = '13900005502';
    const o = await submit(secret, { confidential: true, name: '赵保密' });
    expect((await textOf(secret, 'receipt')).text).toContain(o.queryCode);
    // The district's agency sees the order, not who filed it (the 12345 call-taker, who took it, may).
    const seen = await api('yuzhong', 'GET', `/api/work-orders/${o.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.request.caller.masked).toBe(true);
    expect(JSON.stringify(seen.json)).not.toContain(secret);
    const dead = await api('admin', 'GET', '/api/admin/bridge/dead-letters');
    expect(JSON.stringify(dead.json)).not.toContain(secret);
  });

  it('a seat who called back first has the last word: the survey’s answer comes too late, 好差评 hears once', async () => {
    const first = '13900005505';
    const o = await submit(first);
    await replyTo(o.id, '已修复破损地砖。');
    const s = await textOf(first, 'survey');
    const fu = await api('callTaker', 'POST', `/api/work-orders/${o.id}/follow-up`, { satisfaction: 'satisfied' });
    expect(fu.status, JSON.stringify(fu.json)).toBe(200);
    const late = await inbound({ id: `MO-${randomUUID()}`, replyTo: s.id, from: first, text: '1' });
    expect([late.status, late.json.code]).toEqual([409, 'SMS_SURVEY_CLOSED']);
    const evaluations = await eventually(async () => {
      const mine = (await reportsAt(hcpPort)).filter((r) => r.order.no === o.requestNo);
      return mine.length ? mine : null;
    });
    expect(evaluations.map((r) => [r.evaluation.source, r.evaluation.rating])).toEqual([['call_back', 4]]);
    expect((await api('callTaker', 'GET', `/api/work-orders/${o.id}`)).json.satisfaction).toBe('satisfied');
  });

  it('with the gateway down the texts wait in the outbox, and are delivered when it is back', async () => {
    await stopGateway();
    const later = '13900005503';
    const o = await submit(later);
    const waiting = await eventually(async () => {
      const r = (
        await db.db.query(
          `SELECT o.status, o.attempts, o.last_error FROM bridge_outbox o JOIN sms_messages s ON s.id::text = o.id
          WHERE s.work_order_id = $1 AND s.purpose = 'receipt'`,
          [o.id],
        )
      ).rows[0];
      return r && r.attempts >= 1 ? r : null;
    }, 15_000);
    expect(waiting.status).toBe('pending');
    expect(waiting.last_error).toMatch(/no answer/);
    await startGateway();
    const receipt = await textOf(later, 'receipt');
    expect(receipt.text).toContain(o.queryCode);
    // No number in the desk's log, for any of the texts sent.
    for (const p of [phone, '13900005502', later]) expect(deskOutput).not.toContain(p);
  }, 40_000);

  it('a text the gateway refuses (the number unsubscribed) is dead-lettered at once, listed without the number', async () => {
    const gone = '13900005504';
    const o = await submit(gone);
    await textOf(gone, 'receipt');
    await fetch(`http://127.0.0.1:${gport}/control/unsubscribe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ to: gone }),
    });
    await replyTo(o.id, '已修复。');
    const dead = await eventually(async () => {
      const r = await api('admin', 'GET', '/api/admin/bridge/dead-letters');
      const mine = (r.json.items ?? r.json.rows ?? r.json) as { type: string; lastError: string; attempts: number }[];
      const sms = mine.filter((d) => d.type.startsWith('sms.'));
      return sms.length >= 2 ? { sms, body: JSON.stringify(r.json) } : null;
    }, 15_000);
    expect(dead.sms.map((d) => d.type).sort()).toEqual(['sms.reply', 'sms.survey']);
    expect(dead.sms.every((d) => d.attempts === 1 && d.lastError === '400 unsubscribed')).toBe(true);
    expect(dead.body).not.toContain(gone);
    expect(deskOutput).not.toContain(gone);
  });
});

describe('upward reports to 互联网+督查 and 好差评', () => {
  it('an urgent order is reported when it is dispatched, and again when it is put under 督办', async () => {
    const created = await api(
      'callTaker',
      'POST',
      '/api/work-orders',
      sampleOrder({
        urgentKind: 'critical_care',
        orderType: 'help',
        categoryCode: 'YLWS01',
        content: '家中老人突发重病，救护车无法进入小区，请求协调',
      }),
    );
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const no = created.json.no as string;
    const dispatched = await eventually(async () =>
      (await reportsAt(dcPort)).find((r) => r.order.no === no && r.event === 'dispatched'),
    );
    expect(dispatched).toMatchObject({
      v: 1,
      type: 'urgent_order',
      from: 'cq-12345',
      order: { urgent: true, urgentKind: 'critical_care', districtCode: '500103', status: 'assigned' },
    });
    expect(JSON.stringify(dispatched)).not.toContain('13812345678');
    expect(JSON.stringify(dispatched)).not.toContain('张三');
    const sup = await api('supervisor', 'POST', `/api/work-orders/${created.json.id}/supervise`, {
      note: '急件，请区热线办立即协调救护通道',
    });
    expect(sup.status, JSON.stringify(sup.json)).toBe(200);
    const supervised = await eventually(async () =>
      (await reportsAt(dcPort)).find((r) => r.order.no === no && r.event === 'supervised'),
    );
    expect(supervised).toMatchObject({ note: '急件，请区热线办立即协调救护通道', order: { supervised: true } });
    // Nothing of this reached 好差评, and nothing of the SMS reached 督查.
    expect((await reportsAt(hcpPort)).filter((r) => r.order.no === no)).toEqual([]);
    expect((await reportsAt(dcPort)).every((r) => r.type === 'urgent_order')).toBe(true);
  });

  it('a drill (应急演练) is never reported upward', async () => {
    const r = await api('admin', 'POST', '/api/intake', {
      ...sampleOrder({
        urgentKind: 'pregnancy_childbirth',
        orderType: 'help',
        categoryCode: 'YLWS01',
        content: '演练：孕妇临产，道路封闭，请求协调通行',
      }),
      exercise: true,
      handling: { kind: 'order', reason: '应急演练：按紧急工单受理' },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const drill = (
      await db.db.query(
        `SELECT w.id, w.no, w.status FROM work_orders w WHERE w.exercise ORDER BY w.created_at DESC LIMIT 1`,
      )
    ).rows[0];
    expect(drill.status).toBe('assigned'); // the fast channel dispatched it, as it would a real one
    const sup = await api('supervisor', 'POST', `/api/work-orders/${drill.id}/supervise`, { note: '演练督办' });
    expect(sup.status, JSON.stringify(sup.json)).toBe(200);
    const queued = await db.db.query(
      `SELECT count(*)::int AS n FROM bridge_outbox WHERE type LIKE 'report.%' AND envelope->'order'->>'no' = $1`,
      [drill.no],
    );
    expect(queued.rows[0].n).toBe(0);
  });

  it('a seat’s call back is reported to 好差评 too, in three levels; an order made on the bare work-order API gets no texts', async () => {
    const created = await api('callTaker', 'POST', '/api/work-orders', sampleOrder());
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    await replyTo(created.json.id, '已责成城管执法队夜间巡查，摊贩已劝离。');
    const fu = await api('callTaker', 'POST', `/api/work-orders/${created.json.id}/follow-up`, {
      satisfaction: 'basically_satisfied',
      contacted: true,
      resolved: true,
    });
    expect(fu.status, JSON.stringify(fu.json)).toBe(200);
    const evaluation = await eventually(async () =>
      (await reportsAt(hcpPort)).find((r) => r.type === 'evaluation' && r.order.no === created.json.no),
    );
    expect(evaluation.order.channel).toBe('phone_12345');
    expect(evaluation.evaluation).toMatchObject({
      rating: 3,
      level: '基本满意',
      satisfaction: 'basically_satisfied',
      source: 'call_back',
      contacted: true,
      resolved: true,
    });
    expect(await texts('13812345678')).toEqual([]);
  });

  it('an order filed at the phone intake texts the caller its number (no query code); the reply and the survey follow', async () => {
    const caller = '13900005533';
    const r = await api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder({ caller: { name: '王女士', phone: `+86 ${caller}` } }),
      handling: { kind: 'order' },
    });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    const no = r.json.workOrder.no as string;
    const receipt = await textOf(caller, 'receipt');
    expect(receipt.text).toContain(`工单编号${no}`);
    expect(receipt.text).toContain('拨打12345');
    expect(receipt.text).not.toContain('查询码');
    // a phone order is no public filing: nothing to look it up by on the status page
    const pub = await db.db.query(
      'SELECT count(*)::int AS n FROM public_requests p JOIN work_orders w ON w.id = p.work_order_id WHERE w.no = $1',
      [no],
    );
    expect(pub.rows[0].n).toBe(0);
    await replyTo(r.json.workOrder.id, '已约谈占道经营摊贩并设置隔离栏。');
    expect((await textOf(caller, 'reply')).text).toContain('已约谈占道经营摊贩');
    const survey = await textOf(caller, 'survey');
    const answered = await inbound({ id: `MO-${randomUUID()}`, replyTo: survey.id, from: caller, text: '4' });
    expect(answered.status, JSON.stringify(answered.json)).toBe(200);
    const order = await api('callTaker', 'GET', `/api/work-orders/${r.json.workOrder.id}`);
    expect(order.json.status).toBe('followed_up');
    // The order's texts as staff see them: what, in what state, and the answer; never the number or the words.
    // (marked sent when the gateway's answer is back, a moment after it has the text)
    const listed = await eventually(async () => {
      const l = await api('chengguan', 'GET', `/api/work-orders/${r.json.workOrder.id}/texts`);
      expect(l.status, JSON.stringify(l.json)).toBe(200);
      return l.json.items.every((t: { status: string }) => t.status === 'sent') ? l : null;
    });
    expect(listed.json.items.map((t: { purpose: string }) => t.purpose)).toEqual(['receipt', 'reply', 'survey']);
    expect(listed.json.items[2].answer).toMatchObject({ rating: 4, level: '满意' });
    expect(JSON.stringify(listed.json)).not.toContain(caller);
    expect(JSON.stringify(listed.json)).not.toContain('已约谈');
    const missing = await api('callTaker', 'GET', `/api/work-orders/${randomUUID()}/texts`);
    expect(missing.status).toBe(404);
  });

  it('at the intake: a direct answer is texted with the survey; a caller who declines, a landline and a transfer get none', async () => {
    const answeredBy = '13900005544';
    const a = await api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder({ caller: { phone: answeredBy }, orderType: 'consultation' }),
      handling: { kind: 'answer', reply: '居住证办理请携带身份证和租房合同到所在街道便民服务中心。' },
    });
    expect(a.status, JSON.stringify(a.json)).toBe(201);
    expect((await textOf(answeredBy, 'reply')).text).toContain('便民服务中心');
    await textOf(answeredBy, 'survey');
    const declined = '13900005545';
    const d = await api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder({ caller: { phone: declined } }),
      smsConsent: false,
      handling: { kind: 'order' },
    });
    expect(d.status, JSON.stringify(d.json)).toBe(201);
    const landline = await api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder({ caller: { phone: '023-63851234' } }),
      handling: { kind: 'order' },
    });
    expect(landline.status, JSON.stringify(landline.json)).toBe(201);
    const texted = async (id: string) =>
      (await db.db.query('SELECT count(*)::int AS n FROM sms_messages WHERE work_order_id = $1', [id])).rows[0].n;
    expect(await texted(d.json.workOrder.id)).toBe(0);
    expect(await texted(landline.json.workOrder.id)).toBe(0);
    expect((await texts(answeredBy)).map((m) => m.purpose).sort()).toEqual(['reply', 'survey']);
    expect(await texts(declined)).toEqual([]);
  });

  it('短信告知 asked for without a mobile number is refused and writes nothing', async () => {
    const before = await db.db.query('SELECT count(*)::int AS n FROM work_orders');
    for (const caller of [{ phone: '023-63851234' }, { name: '赵先生' }]) {
      const r = await api('callTaker', 'POST', '/api/intake', {
        ...sampleOrder({ caller }),
        smsConsent: true,
        handling: { kind: 'order' },
      });
      expect(r.status).toBe(400);
      expect(r.json).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'smsConsent' } });
    }
    const wrong = await api('callTaker', 'POST', '/api/intake', {
      ...sampleOrder(),
      smsConsent: 'yes',
      handling: { kind: 'order' },
    });
    expect(wrong.status).toBe(400);
    expect((await db.db.query('SELECT count(*)::int AS n FROM work_orders')).rows[0].n).toBe(before.rows[0].n);
  });

  it('a service connector’s key is not taken on the bridge wire', async () => {
    const env = JSON.stringify({
      v: 1,
      id: randomUUID(),
      type: 'info.copy',
      itemId: 'cq-haochaping:X-1',
      seq: 1,
      from: 'cq-haochaping',
      to: 'cq-12345',
      sentAt: new Date().toISOString(),
      payload: { summary: '不应被接收' },
    });
    const res = await fetch(`${deskUrl}/bridge/v1/messages`, {
      method: 'POST',
      body: env,
      headers: { 'content-type': 'application/json', ...signedHeaders('hmac-sha256', FROM_HCP[0], FROM_HCP[1], env) },
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'unknown_key' });
  });

  it('a service connector is no transfer target for the seats', async () => {
    const targets = await api('callTaker', 'GET', '/api/linkage/targets');
    expect(targets.status).toBe(200);
    const ids = (targets.json as { id: string }[]).map((t) => t.id);
    expect(ids).not.toContain('cq-sms');
    expect(ids).not.toContain('cq-duchao');
  });
});
