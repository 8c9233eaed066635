/**
 * The public page's self-service answering (issue 15 item 4): answers only from a published article in
 * force, word for word, with its source; says plainly when it does not know; never answers a danger from
 * the knowledge base; refuses bad input with a code; is rate-limited; and a citizen hands over to a person
 * with the conversation attached to the request, which staff read in the order's log (and the status page
 * and Open311 feed do not show).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAT_UNKNOWN } from '../../src/citizen/chat.service.ts';
import { PUBLIC_LIMITS } from '../../src/citizen/citizen.service.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';
import { createTestApp, rowCounts, type TestApp } from '../helpers.ts';

const DIGITS = '零一二三四五六七八九';
/** Answers the public form's challenge as a person would (一加二等于几？ → 3). */
function solve(question: string): string {
  const m = /^(.)加(.)等于几？$/.exec(question);
  if (!m) throw new Error(`unexpected challenge: ${question}`);
  return String(DIGITS.indexOf(m[1]!) + DIGITS.indexOf(m[2]!));
}

let t: TestApp;
let ipSeq = 10;
const nextIp = () => `10.77.0.${ipSeq++}`;
const ask = (payload: Record<string, unknown>, ip = nextIp()) =>
  t.app.inject({ method: 'POST', url: '/api/public/chat', remoteAddress: ip, payload });
const uses = async () =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM knowledge_answer_uses WHERE channel = 'chat'`))
    .rows[0]!.n;

beforeAll(async () => {
  t = await createTestApp();
  await seedDemoKnowledge(t.db);
});
afterAll(async () => {
  await t?.close();
});

describe('self-service answering on the public page', () => {
  it('answers a caller’s question with the published article’s answer, word for word, and its source', async () => {
    const before = await uses();
    const res = await ask({ question: '社保卡丢了怎么补办' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.kind).toBe('answer');
    expect(r.answer.articleId).toBe('kb-0051');
    const published = (
      await t.db.query(
        `SELECT v.answer, v.title, v.version, v.source_ref, v.department FROM knowledge_versions v
          WHERE v.article_id = 'kb-0051' AND v.status = 'published'`,
      )
    ).rows[0];
    expect(r.answer).toMatchObject({
      text: published.answer,
      title: published.title,
      version: published.version,
      department: published.department,
      demo: true,
    });
    if (published.source_ref) {
      const s = (await t.db.query('SELECT name, doc_no FROM knowledge_sources WHERE ref = $1', [published.source_ref]))
        .rows[0];
      expect(r.answer.source).toMatchObject({ name: s.name, docNo: s.doc_no });
    } else expect(r.answer.source).toBeNull();
    expect(await uses()).toBe(before + 1);
  });

  it('says it does not know for a question no article covers, and records no answer', async () => {
    const before = await uses();
    for (const question of ['明天重庆天气怎么样', '帮我查一下双色球开奖号码']) {
      const res = await ask({ question });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({ kind: 'unknown', message: CHAT_UNKNOWN });
    }
    expect(await uses()).toBe(before);
  });

  it('a danger gets the emergency numbers, never an article', async () => {
    const res = await ask({ question: '我家楼下着火了，烟很大，有人被困在三楼' });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.kind).toBe('emergency');
    expect(r.callNow).toEqual(expect.arrayContaining(['110', '119']));
    expect(r.answer).toBeUndefined();
  });

  it('refuses bad input with a code', async () => {
    for (const [payload, status, code] of [
      [{ question: '  ' }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
      [{ question: 'x'.repeat(201) }, 400, 'VALIDATION_FAILED'],
      [{ question: '社保卡丢了', extra: 1 }, 400, 'VALIDATION_FAILED'],
      [{ question: '社保卡丢了', district: '500199' }, 422, 'REFERENCE_NOT_FOUND'],
      [{ question: '社保卡丢了\u0000' }, 400, 'TEXT_INVALID'],
    ] as const) {
      const res = await ask(payload);
      expect(res.statusCode, `${JSON.stringify(payload)}: ${res.body}`).toBe(status);
      expect(res.json().code).toBe(code);
    }
  });

  it(`is limited to ${PUBLIC_LIMITS.chatPerIp[0].max} questions per address in 10 minutes`, async () => {
    const ip = nextIp();
    for (let i = 0; i < PUBLIC_LIMITS.chatPerIp[0].max; i++)
      expect((await ask({ question: '明天重庆天气怎么样' }, ip)).statusCode).toBe(200);
    const over = await ask({ question: '明天重庆天气怎么样' }, ip);
    expect(over.statusCode).toBe(429);
    expect(over.json().code).toBe('PUBLIC_RATE_LIMITED');
  });
});

describe('转人工: the request carries the conversation', () => {
  const conversation = [
    { from: 'citizen', text: '居住证到期了能不能在网上续签' },
    { from: 'assistant', text: '居住证有效期满前30日内可到居住地派出所办理签注。', articleTitle: '居住证签注' },
    { from: 'citizen', text: '我在外地出差回不来怎么办' },
  ];
  async function file(extra: Record<string, unknown>) {
    const ip = nextIp();
    const c = (await t.app.inject({ method: 'GET', url: '/api/public/challenge', remoteAddress: ip })).json();
    return t.app.inject({
      method: 'POST',
      url: '/api/public/requests',
      remoteAddress: ip,
      payload: {
        content: '居住证到期了，我在外地出差回不来，能否委托家人代办签注？',
        orderType: 'consultation',
        districtCode: '500103',
        phone: '13900006611',
        challengeId: c.id,
        challengeAnswer: solve(c.question),
        ...extra,
      },
    });
  }

  it('staff read it in the order’s log; the status page and the Open311 feed do not show it', async () => {
    const res = await file({ conversation });
    expect(res.statusCode, res.body).toBe(201);
    const { requestNo, queryCode } = res.json();
    const id = (await t.db.query('SELECT id FROM work_orders WHERE no = $1', [requestNo])).rows[0].id;
    const detail = await t.app.inject({ url: `/api/work-orders/${id}`, headers: t.as('callTaker') });
    expect(detail.statusCode, detail.body).toBe(200);
    const entry = detail.json().actions.find((a: { action: string }) => a.action === 'chat_transcript');
    expect(entry.actionLabel).toBe('市民在线咨询记录');
    expect(entry.details.note).toBe(
      '市民：居住证到期了能不能在网上续签\n智能应答（知识“居住证签注”）：居住证有效期满前30日内可到居住地派出所办理签注。\n市民：我在外地出差回不来怎么办',
    );
    expect(detail.json().status).toBe('received'); // an entry of the log, no step of the order
    const status = await t.app.inject({
      url: `/api/public/requests/${requestNo}?code=${queryCode}`,
      remoteAddress: nextIp(),
    });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.body).not.toContain('智能应答');
    // published (as the centre's moderation would), its steps are in the Open311 feed: the conversation is not
    await t.db.query(`UPDATE public_requests SET disclosure_status = 'published' WHERE work_order_id = $1`, [id]);
    const feed = await t.app.inject({ url: '/open311/v2/servicerequestupdates.json' });
    expect(feed.statusCode, feed.body).toBe(200);
    const mine = feed.json().filter((u: { service_request_id: string }) => u.service_request_id === requestNo);
    expect(mine.length).toBe(1);
    expect(feed.body).not.toContain('智能应答');
  });

  it('a conversation that is not one is refused and nothing is written', async () => {
    const before = await rowCounts(t.db);
    for (const bad of [
      [{ from: 'bot', text: '你好' }],
      [{ from: 'citizen', text: '' }],
      Array.from({ length: 21 }, () => ({ from: 'citizen', text: '还在吗' })),
      [],
    ]) {
      const res = await file({ conversation: bad });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect(await rowCounts(t.db)).toEqual(before);
  });
});
