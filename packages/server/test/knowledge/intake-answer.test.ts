/**
 * 直接答复 from the knowledge base: the intake's answer names the article (and version) it used; the
 * order's action log carries it, the article's uses record it, and an answer may cite only a version
 * that is or was in force — checked before anything is written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD, createTestApp, rowCounts, type TestApp } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

let t: TestApp;
let sv2: Record<string, string>;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
  await seedDemoKnowledge(t.db);
  // A second editor: the author of a version does not review it.
  const hash = (await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'sv1'"))
    .rows[0]!.password_hash;
  await t.db.query(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('sv2', '测试sv2', $1, 'supervisor')`,
    [hash],
  );
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'sv2', password: PASSWORD },
  });
  sv2 = { authorization: `Bearer ${login.json<{ token: string }>().token}` };
});
afterAll(async () => {
  await t?.close();
});

const call = {
  caller: { name: '李四', phone: '13900001111' },
  content: '来电人说社保卡丢了，想问怎么补办，要带什么材料',
  districtCode: '500103',
  orderType: 'consultation',
  categoryCode: 'LDSB02',
};
const intake = (handling: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/intake', headers: t.as('callTaker'), payload: { ...call, handling } });
const uses = async (articleId: string) =>
  (
    await t.db.query<{ version: number; channel: string; work_order_id: string }>(
      'SELECT version, channel, work_order_id FROM knowledge_answer_uses WHERE article_id = $1 ORDER BY id',
      [articleId],
    )
  ).rows;

describe('直接答复 citing the knowledge base', () => {
  it('records the article and version in the order’s action log and in the article’s uses', async () => {
    const suggest = await t.app.inject({
      url: '/api/knowledge/suggest',
      query: { q: call.content, district: '500103' },
      headers: t.as('callTaker'),
    });
    expect(suggest.statusCode, suggest.body).toBe(200);
    const top = suggest.json<{ items: { articleId: string; version: number; title: string; answer: string }[] }>()
      .items[0]!;
    expect(top).toMatchObject({ articleId: 'kb-0051', version: 1, title: '社会保障卡申领和补换' });

    const res = await intake({
      kind: 'answer',
      reply: top.answer,
      knowledge: { articleId: top.articleId, version: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const order = res.json<{ workOrder: { id: string; status: string } }>().workOrder;
    expect(order.status).toBe('replied');
    const detail = (await t.app.inject({ url: `/api/work-orders/${order.id}`, headers: t.as('callTaker') })).json<{
      actions: { action: string; details: Record<string, unknown> }[];
    }>();
    const answered = detail.actions.find((a) => a.action === 'answer_directly')!;
    expect(answered.details).toEqual({
      reply: top.answer,
      result: 'explained',
      knowledge: { articleId: 'kb-0051', version: 1, title: '社会保障卡申领和补换' },
    });
    expect(await uses('kb-0051')).toEqual([{ version: 1, channel: 'intake', work_order_id: order.id }]);
  });

  it('an answer without an article stays as it was (no citation, no use recorded)', async () => {
    const before = (await t.db.query('SELECT count(*)::int AS n FROM knowledge_answer_uses')).rows[0].n;
    const res = await intake({ kind: 'answer', reply: '已告知来电人就近到社保窗口办理。' });
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<{ workOrder: { id: string } }>().workOrder.id;
    const detail = (await t.app.inject({ url: `/api/work-orders/${id}`, headers: t.as('callTaker') })).json<{
      actions: { action: string; details: Record<string, unknown> }[];
    }>();
    expect(detail.actions.find((a) => a.action === 'answer_directly')!.details).not.toHaveProperty('knowledge');
    expect((await t.db.query('SELECT count(*)::int AS n FROM knowledge_answer_uses')).rows[0].n).toBe(before);
  });

  it('refuses a citation of a missing, unpublished or withdrawn version, and writes nothing', async () => {
    // kb-0052 gets a draft version 2 (never published) and kb-0053 is withdrawn.
    const v1 = (
      await t.app.inject({ url: '/api/knowledge/articles/kb-0052/versions/1', headers: t.as('supervisor') })
    ).json<Record<string, unknown>>();
    expect(v1.status).toBe('published');
    const draft = await t.app.inject({
      method: 'POST',
      url: '/api/knowledge/articles/kb-0052/versions',
      headers: t.as('supervisor'),
      payload: {
        basedOn: 1,
        title: v1.title,
        topic: v1.topic,
        department: v1.department,
        districts: v1.districts,
        effectiveFrom: v1.effectiveFrom,
        expiresAt: v1.expiresAt,
        sourceRef: v1.sourceRef,
        questions: v1.questions,
        answer: `${String(v1.answer)}（修改中）`,
        body: v1.body,
        changeNote: '测试：未发布的修改',
      },
    });
    expect(draft.statusCode, draft.body).toBe(201);
    const withdrawn = await t.app.inject({
      method: 'POST',
      url: '/api/knowledge/articles/kb-0053/versions/1/withdraw',
      headers: t.as('supervisor'),
      payload: { note: '测试：下架' },
    });
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);

    const before = {
      ...(await rowCounts(t.db)),
      uses: (await t.db.query('SELECT count(*)::int AS n FROM knowledge_answer_uses')).rows[0].n,
    };
    const refusals: [Record<string, unknown>, number, string][] = [
      [{ articleId: 'kb-9999', version: 1 }, 404, 'KNOWLEDGE_ARTICLE_NOT_FOUND'],
      [{ articleId: 'kb-0051', version: 7 }, 404, 'KNOWLEDGE_VERSION_NOT_FOUND'],
      [{ articleId: 'kb-0052', version: 2 }, 409, 'KNOWLEDGE_NOT_CITABLE'],
      [{ articleId: 'kb-0053', version: 1 }, 409, 'KNOWLEDGE_NOT_CITABLE'],
      [{ articleId: 'KB 51', version: 1 }, 400, 'VALIDATION_FAILED'],
      [{ articleId: 'kb-0051', version: 1, title: '自拟标题' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [knowledge, status, code] of refusals) {
      const res = await intake({ kind: 'answer', reply: '按知识答复', knowledge });
      expect(res.statusCode, `${JSON.stringify(knowledge)}: ${res.body}`).toBe(status);
      expect(res.json<{ code: string }>().code).toBe(code);
    }
    expect({
      ...(await rowCounts(t.db)),
      uses: (await t.db.query('SELECT count(*)::int AS n FROM knowledge_answer_uses')).rows[0].n,
    }).toEqual(before);
  });

  it('a version replaced since it was read may still be cited: it was in force', async () => {
    // Publish kb-0052's version 2 (made above): version 1 is superseded, and was published.
    for (const step of ['review', 'publish'])
      expect(
        (
          await t.app.inject({
            method: 'POST',
            url: `/api/knowledge/articles/kb-0052/versions/2/${step}`,
            headers: sv2,
            payload: {},
          })
        ).statusCode,
      ).toBe(200);
    const res = await intake({
      kind: 'answer',
      reply: '按第 1 版答复',
      knowledge: { articleId: 'kb-0052', version: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect((await uses('kb-0052')).map((u) => u.version)).toEqual([1]);
  });
});
