/**
 * The demonstration knowledge base shipped in packages/server/knowledge/: articles written for the
 * project (articles.jsonl, every one marked demo, figures marked 〔示例：…〕 for a city to replace) and
 * the only policy documents they may cite (policy-sources.json, each with where the team read it).
 * Loaded by `serve --demo` and by tests; a city loads its own articles instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { checkArticle, type ArticleContent } from '@liandong/domain';
import { inTransaction, type Db } from '../db/pool.ts';
import { KNOWLEDGE_DIR } from './analyzer.ts';
import {
  insertArticle,
  insertSource,
  insertVersion,
  insertVersionAction,
  setPublishedVersion,
} from './articles.repo.ts';
import { indexVersion } from './search.service.ts';
import { seedDemoIvr } from './ivr.service.ts';

export interface SeedArticle extends ArticleContent {
  id: string;
  demo: boolean;
}

export interface SeedSource {
  ref: string;
  name: string;
  docNo: string;
  issuer: string;
  date: string;
  readAt: string;
}

/** Owning departments named in the articles → the units that may propose changes to them. */
export const DEPARTMENT_UNITS: Record<string, string> = {
  市医保局: 'city.medical-insurance',
  市人力社保局: 'city.hr',
  市就业服务管理局: 'city.hr',
  市住房公积金管理中心: 'city.housing-fund',
  市规划自然资源局: 'city.planning',
  市教委: 'city.education',
  市城市管理局: 'city.urban-mgmt',
  市市场监管局: 'city.market',
  市税务局: 'city.tax',
  市退役军人事务局: 'city.veterans',
  市住房城乡建委: 'city.housing',
  市民政局: 'city.civil',
  市交通运输委: 'city.transport',
  市卫生健康委: 'city.health',
  市司法局: 'city.justice',
  市公安局交通管理局: 'police.traffic',
  供水企业: 'city.water',
  供电企业: 'city.power',
  燃气企业: 'city.gas',
};

const readJsonl = <T>(file: string): T[] =>
  fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

export function loadSeedArticles(file = path.join(KNOWLEDGE_DIR, 'articles.jsonl')): SeedArticle[] {
  return readJsonl<SeedArticle>(file);
}

export function loadSeedSources(file = path.join(KNOWLEDGE_DIR, 'policy-sources.json')): SeedSource[] {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SeedSource[];
}

/**
 * Loads the demonstration articles as published version 1 (once: nothing happens when the knowledge
 * base already has articles). Returns how many were loaded.
 */
export async function seedDemoKnowledge(
  db: Db,
  opts: { articles?: SeedArticle[]; sources?: SeedSource[] } = {},
): Promise<number> {
  const existing = await db.query('SELECT 1 FROM knowledge_articles LIMIT 1');
  if (existing.rowCount) return 0;
  const loaded = await seedArticles(db, opts);
  // The demonstration navigation tree reads some of these articles to callers.
  if (!opts.articles) await seedDemoIvr(db);
  return loaded;
}

async function seedArticles(db: Db, opts: { articles?: SeedArticle[]; sources?: SeedSource[] }): Promise<number> {
  const sources = opts.sources ?? loadSeedSources();
  const articles = opts.articles ?? loadSeedArticles();
  const units = new Set((await db.query<{ id: string }>('SELECT id FROM units')).rows.map((r) => r.id));
  return inTransaction(db, async (tx) => {
    for (const s of sources)
      await insertSource(tx, {
        ref: s.ref,
        name: s.name,
        doc_no: s.docNo,
        issuer: s.issuer,
        issued_on: s.date,
        read_at: s.readAt,
      });
    for (const a of articles) {
      const checked = checkArticle(a);
      if (!checked.ok) throw new Error(`seed article ${a.id}: ${checked.message}`);
      const owner = DEPARTMENT_UNITS[a.department];
      await insertArticle(tx, {
        id: a.id,
        ownerUnitId: owner && units.has(owner) ? owner : null,
        demo: a.demo,
        createdBy: null,
      });
      await insertVersion(
        tx,
        {
          articleId: a.id,
          version: 1,
          status: 'published',
          basedOn: null,
          changeNote: '演示知识库初始内容（示例数据，数字须由各地核实替换）',
          createdBy: null,
        },
        checked.value,
      );
      await insertVersionAction(tx, {
        articleId: a.id,
        version: 1,
        action: 'publish',
        from: null,
        to: 'published',
        note: '演示数据导入',
        actorId: null,
        actorName: '系统',
      });
      await setPublishedVersion(tx, a.id, 1);
      await indexVersion(tx, a.id, 1, checked.value);
    }
    return articles.length;
  });
}
