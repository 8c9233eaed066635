/**
 * The public guide (宣传受理范围): no log-in, indexable HTML and JSON, generated from the jurisdiction
 * catalogue in force and the knowledge base, naming the catalogue version — and in step with it when a
 * new version takes effect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_LINES, type Catalogue, type PublicGuide } from '@liandong/domain';
import { createTestApp, type TestApp } from '../helpers.ts';
import { seedDemoKnowledge } from '../../src/knowledge/seed-knowledge.ts';
import { findActiveCatalogue } from '../../src/triage/catalogue.repo.ts';
import { beijingDay } from '../../src/knowledge/search.service.ts';

let t: TestApp;
let active: Catalogue;
beforeAll(async () => {
  t = await createTestApp({ desk: 'hotline' });
  await seedDemoKnowledge(t.db);
  active = (await findActiveCatalogue(t.db))!;
  // One answer has used 社会保障卡申领和补换: the most asked article of 社保.
  await t.db.query(`INSERT INTO knowledge_answer_uses (article_id, version, channel) VALUES ('kb-0051', 1, 'intake')`);
});
afterAll(async () => {
  await t?.close();
});

const page = async () => {
  const res = await t.app.inject({ url: '/guide', headers: { accept: 'text/html' } });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toContain('text/html');
  return res.body;
};
const json = async () => {
  const res = await t.app.inject({ url: '/api/public/guide' });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<PublicGuide>();
};

describe('the public guide', () => {
  it('is public and indexable, names the catalogue version in force, and tells each line with examples', async () => {
    const html = await page();
    expect(html).toContain('<meta name="robots" content="index, follow">');
    expect(html).toContain(`职责清单第 ${active.version} 版（${active.effectiveFrom} 起施行）`);
    for (const name of [
      '110报警服务台',
      '119消防救援',
      '120医疗急救',
      '水电气抢修',
      '12345政务服务便民热线',
      '综治中心',
      '挪车服务',
    ])
      expect(html).toContain(`<h2>${name}`);
    // Examples from the catalogue, under their line.
    const fire = html.slice(html.indexOf('id="line-119"'), html.indexOf('id="line-120"'));
    expect(fire).toContain('楼下仓库起火了，烟很大');
    const police = html.slice(html.indexOf('id="line-110"'), html.indexOf('id="line-119"'));
    expect(police).toContain('两个人在烧烤摊打起来了');
    expect(police).not.toContain('楼下仓库起火了');
    // The knowledge base's topics with their articles, under 12345.
    const hotline = html.slice(html.indexOf('id="line-12345"'), html.indexOf('id="line-governance_center"'));
    expect(hotline).toMatch(/<b>社保<\/b>（\d+ 篇）<span class="ex">如：[^<]+<\/span>/);
    // Between the lines, and neither line.
    expect(html).toMatch(/<li data-code="B-NOISE"><b>社会生活噪声扰民<\/b>：由12345热线受理，110报警服务台配合/);
    expect(html).toContain('请联系经公安机关备案的开锁服务企业');
  });

  it('holds every entry of the catalogue in force exactly once, under the line the catalogue routes it to', async () => {
    const g = await json();
    expect(g.catalogue).toEqual({
      version: active.version,
      effectiveFrom: active.effectiveFrom,
      source: active.source,
    });
    expect(g.lines.map((l) => l.route)).toEqual([...GUIDE_LINES]);
    const shown = new Map<string, string>();
    const note = (code: string, where: string) => {
      expect(shown.has(code), `${code} shown twice`).toBe(false);
      shown.set(code, where);
    };
    for (const l of g.lines) for (const i of [...l.dangers, ...l.matters]) note(i.code, l.route);
    for (const b of g.boundary) note(b.code, 'boundary');
    for (const e of g.elsewhere) note(e.code, 'elsewhere');
    for (const e of active.entries) {
      const where = e.kind === 'boundary' ? 'boundary' : e.kind === 'guidance' ? 'elsewhere' : e.route;
      expect(shown.get(e.code), e.code).toBe(where);
    }
    expect(shown.size).toBe(active.entries.length);
    const published = (
      await t.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM knowledge_search WHERE effective_from <= $1::date AND (expires_at IS NULL OR expires_at >= $1::date)`,
        [beijingDay()],
      )
    ).rows[0]!.n;
    expect(g.knowledge.articles).toBe(published);
  });

  it('follows a new catalogue version the day it takes effect, and a withdrawn article leaves it', async () => {
    const entry = {
      code: 'H-BIKES',
      name: '共享单车<乱停>乱放',
      kind: 'hotline',
      route: '12345',
      category: 'CSGL03',
      terms: ['共享单车乱停', '单车乱放'],
      examples: ['小区门口堆满了共享单车，人都过不去'],
    };
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/admin/triage-catalogue',
      headers: t.as('admin'),
      payload: {
        effectiveFrom: beijingDay(),
        source: '测试：季度会商新增事项',
        entries: [...active.entries, entry],
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const version = res.json<{ version: number }>().version;
    expect(version).toBe(active.version + 1);

    // The most used article of 社保 is the first title there; withdrawn, it leaves the guide.
    const before = (await json()).lines.find((l) => l.route === '12345')!.topics.find((x) => x.topic === '社保')!;
    expect(before.titles[0]).toBe('社会保障卡申领和补换');
    const withdraw = await t.app.inject({
      method: 'POST',
      url: '/api/knowledge/articles/kb-0051/versions/1/withdraw',
      headers: t.as('supervisor'),
      payload: { note: '测试：下架' },
    });
    expect(withdraw.statusCode, withdraw.body).toBe(200);

    const html = await page();
    expect(html).toContain(`职责清单第 ${version} 版`);
    expect(html).not.toContain(`职责清单第 ${active.version} 版`);
    // Escaped, under 12345, with its example.
    expect(html).toContain('<li data-code="H-BIKES"><b>共享单车&lt;乱停&gt;乱放</b>');
    expect(html).toContain('小区门口堆满了共享单车，人都过不去');
    expect(html).not.toContain('社会保障卡申领和补换');
    const after = await json();
    expect(after.catalogue.version).toBe(version);
    expect(after.lines.find((l) => l.route === '12345')!.topics.find((x) => x.topic === '社保')!.count).toBe(
      before.count - 1,
    );
  });
});
