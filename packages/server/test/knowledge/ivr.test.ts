/**
 * The IVR navigation tree (导航流程): versioned data, checked on save, reported by depth and key presses
 * per queue, and walked by the simulator to a queue, an article or a transfer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
  await seedDemoKnowledge(t.db);
});
afterAll(async () => {
  await t?.close();
});

const admin = () => t.as('admin');
const simulate = async (keys: string[], version?: number) => {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/admin/ivr/simulate',
    headers: admin(),
    payload: { keys, ...(version ? { version } : {}) },
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const versions = async () =>
  (await t.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ivr_flow_versions')).rows[0]!.n;
const save = (tree: unknown, changeNote = '测试修改') =>
  t.app.inject({ method: 'POST', url: '/api/admin/ivr', headers: admin(), payload: { tree, changeNote } });

describe('IVR navigation tree', () => {
  it('reports the demonstration tree: two menus at most, the key presses to each queue', async () => {
    const res = await t.app.inject({ url: '/api/admin/ivr', headers: admin() });
    expect(res.statusCode, res.body).toBe(200);
    const v = res.json();
    expect(v).toMatchObject({ version: 1, maxDepth: 2, createdBy: '系统' });
    expect(v.report.maxDepth).toBe(2);
    expect(v.report.warnings).toEqual([]);
    expect(v.report.queues).toEqual([
      { queue: 'general', name: '综合咨询坐席', presses: 1, keys: ['0'] },
      { queue: 'social', name: '人社医保专席', presses: 2, keys: ['1', '0'] },
      { queue: 'complaint', name: '投诉举报坐席', presses: 1, keys: ['2'] },
      { queue: 'enterprise', name: '企业服务专席', presses: 1, keys: ['3'] },
    ]);
    expect(v.report.leaves.find((l: { nodeId: string }) => l.nodeId === 'kb-social-card')).toMatchObject({
      kind: 'article',
      depth: 2,
      keys: ['1', '1'],
    });
  });

  it('the simulator walks key by key to an article, a queue or a transfer, and says when a key is not offered', async () => {
    const art = await simulate(['1', '1']);
    expect(art.simulation.status).toBe('ended');
    expect(art.simulation.path.map((s: { nodeId: string }) => s.nodeId)).toEqual(['main', 'policy', 'kb-social-card']);
    expect(art.article).toMatchObject({ articleId: 'kb-0051', title: '社会保障卡申领和补换' });
    expect(art.article.answer).toContain('社会保障卡');
    const queue = await simulate(['1', '0']);
    expect(queue.simulation.end).toMatchObject({ kind: 'queue', queue: 'social' });
    const transfer = await simulate(['4']);
    expect(transfer.simulation.end).toMatchObject({ kind: 'transfer', target: 'vehicle_moving' });
    const waiting = await simulate(['1']);
    expect(waiting.simulation.status).toBe('waiting');
    expect(waiting.simulation.options.map((o: { key: string }) => o.key)).toEqual(['1', '2', '3', '0']);
    const wrong = await simulate(['9']);
    expect(wrong.simulation).toMatchObject({ status: 'invalid_key', key: '9' });
  });

  it('saves a new version that is in force at once; the old one stays readable; a deep tree is warned about', async () => {
    const v1 = (await t.app.inject({ url: '/api/admin/ivr', headers: admin() })).json();
    const deep = structuredClone(v1.tree);
    // 政策咨询 → 社保 → 社保卡 → 补办: four menus to the 社保卡 article.
    const policy = deep.nodes.find((n: { id: string }) => n.id === 'policy');
    policy.options[0].next = 'm-social';
    deep.nodes.push(
      {
        id: 'm-social',
        kind: 'menu',
        prompt: '社保卡请按1',
        options: [
          { key: '1', label: '社保卡', next: 'm-card' },
          { key: '0', label: '人工', next: 'to-social' },
        ],
      },
      {
        id: 'm-card',
        kind: 'menu',
        prompt: '补办请按1',
        options: [
          { key: '1', label: '补办', next: 'kb-social-card' },
          { key: '0', label: '人工', next: 'to-social' },
        ],
      },
    );
    const res = await save(deep, '社保卡分得更细');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().version).toBe(2);
    expect(res.json().report.maxDepth).toBe(4);
    expect(res.json().report.warnings.join('')).toContain('需经过 4 层菜单');
    expect((await simulate(['1', '1', '1', '1'])).simulation.end).toMatchObject({
      kind: 'article',
      articleId: 'kb-0051',
    });
    expect((await simulate(['1', '1'], 1)).simulation.end).toMatchObject({ kind: 'article', articleId: 'kb-0051' });
    const list = (await t.app.inject({ url: '/api/admin/ivr/versions', headers: admin() })).json();
    expect(list.map((v: { version: number; changeNote: string }) => [v.version, v.changeNote])).toEqual([
      [2, '社保卡分得更细'],
      [1, '演示导航流程（示例数据）'],
    ]);
  });

  it('refuses a tree that does not hold together, and writes nothing', async () => {
    const base = (await t.app.inject({ url: '/api/admin/ivr/versions/1', headers: admin() })).json().tree;
    const variant = (f: (tree: typeof base) => void) => {
      const tree = structuredClone(base);
      f(tree);
      return tree;
    };
    const node = (tree: typeof base, id: string) => tree.nodes.find((n: { id: string }) => n.id === id);
    const before = await versions();
    const cases: [string, unknown, number, string, RegExp][] = [
      [
        'a cycle',
        variant((x) => node(x, 'policy').options.push({ key: '9', label: '返回', next: 'main' })),
        422,
        'IVR_TREE_INVALID',
        /循环/,
      ],
      [
        'a repeated key',
        variant((x) => (node(x, 'main').options[1].key = '1')),
        422,
        'IVR_TREE_INVALID',
        /按键 1 重复/,
      ],
      [
        'a missing node',
        variant((x) => (node(x, 'main').options[0].next = 'nowhere')),
        422,
        'IVR_TREE_INVALID',
        /不存在的节点/,
      ],
      [
        'an unknown article',
        variant((x) => (node(x, 'kb-social-card').articleId = 'kb-9999')),
        422,
        'IVR_TREE_INVALID',
        /不存在或未发布/,
      ],
      [
        'an unknown queue',
        variant((x) => (node(x, 'to-social').queue = 'nobody')),
        422,
        'IVR_TREE_INVALID',
        /不存在的队列/,
      ],
      [
        'an unreachable node',
        variant((x) => x.nodes.push({ id: 'orphan', kind: 'queue', prompt: '孤立', queue: 'general' })),
        422,
        'IVR_TREE_INVALID',
        /无法到达/,
      ],
      ['a key no phone has', variant((x) => (node(x, 'main').options[0].key = 'A')), 400, 'VALIDATION_FAILED', /./],
      ['a field too many', variant((x) => (node(x, 'main').extra = 1)), 400, 'VALIDATION_FAILED', /./],
    ];
    for (const [what, tree, status, code, message] of cases) {
      const res = await save(tree);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(status);
      expect(res.json().code, what).toBe(code);
      expect(res.json().message, what).toMatch(message);
    }
    expect((await save(base, '  ')).json().code).toBe('VALIDATION_FAILED');
    expect(await versions()).toBe(before);
  });

  it('is for administrators: a call-taker can neither read nor change it', async () => {
    for (const [method, url] of [
      ['GET', '/api/admin/ivr'],
      ['POST', '/api/admin/ivr/simulate'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        headers: t.as('callTaker'),
        ...(method === 'POST' ? { payload: { keys: [] } } : {}),
      });
      expect(res.statusCode, res.body).toBe(403);
    }
    expect((await t.app.inject({ url: '/api/admin/ivr/versions/99', headers: admin() })).json().code).toBe(
      'IVR_VERSION_NOT_FOUND',
    );
  });
});
