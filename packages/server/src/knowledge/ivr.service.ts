/**
 * The IVR navigation tree (导航流程) as versioned data (plan task 6: 优化导航流程): each save is a new,
 * checked version — ids, keys, references, no cycles, every node reachable, article leaves only to
 * published articles — with its depth and key presses per queue; the newest is in force. The simulator
 * walks a version key by key, as a caller would.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  checkIvrTree,
  reportIvrTree,
  simulateIvr,
  type IvrReport,
  type IvrSimulation,
  type IvrTree,
} from '@liandong/domain';
import { audit } from '../admin/audit.repo.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { KNOWLEDGE_DIR } from './analyzer.ts';

export interface IvrVersion {
  version: number;
  tree: IvrTree;
  changeNote: string;
  maxDepth: number;
  createdBy: string;
  createdAt: string;
}

interface Row {
  version: number;
  tree: IvrTree;
  change_note: string;
  max_depth: number;
  created_by_name: string | null;
  created_at: Date;
}
const present = (r: Row): IvrVersion => ({
  version: r.version,
  tree: r.tree,
  changeNote: r.change_note,
  maxDepth: r.max_depth,
  createdBy: r.created_by_name ?? '系统',
  createdAt: r.created_at.toISOString(),
});
const SELECT = `SELECT v.version, v.tree, v.change_note, v.max_depth, u.display_name AS created_by_name, v.created_at
  FROM ivr_flow_versions v LEFT JOIN users u ON u.id = v.created_by`;

/** The published articles among `ids`. */
async function publishedArticles(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const r = await db.query<{ id: string; title: string }>(
    `SELECT a.id, v.title FROM knowledge_articles a JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published_version
     WHERE a.id = ANY($1)`,
    [ids],
  );
  return new Map(r.rows.map((x) => [x.id, x.title]));
}
const articleIds = (t: IvrTree) => [...new Set(t.nodes.flatMap((n) => (n.kind === 'article' ? [n.articleId] : [])))];

export class IvrService {
  constructor(private readonly db: Db) {}

  async current(actor: Actor): Promise<IvrVersion & { report: IvrReport }> {
    requirePermission(actor, 'admin.reference');
    const r = await this.db.query<Row>(`${SELECT} ORDER BY v.version DESC LIMIT 1`);
    if (!r.rows[0]) throw new AppError('IVR_VERSION_NOT_FOUND', '尚未保存导航流程');
    return this.withReport(present(r.rows[0]));
  }

  async version(actor: Actor, version: number): Promise<IvrVersion & { report: IvrReport }> {
    requirePermission(actor, 'admin.reference');
    const r = await this.db.query<Row>(`${SELECT} WHERE v.version = $1`, [version]);
    if (!r.rows[0]) throw new AppError('IVR_VERSION_NOT_FOUND');
    return this.withReport(present(r.rows[0]));
  }

  async versions(actor: Actor): Promise<Omit<IvrVersion, 'tree'>[]> {
    requirePermission(actor, 'admin.reference');
    const r = await this.db.query<Row>(`${SELECT} ORDER BY v.version DESC`);
    return r.rows.map((x) => {
      const { tree: _tree, ...rest } = present(x);
      return rest;
    });
  }

  private withReport(v: IvrVersion) {
    return { ...v, report: reportIvrTree(v.tree) };
  }

  /** Saves a new version after checking it; answers its number and report. */
  async save(actor: Actor | null, tree: IvrTree, changeNote: string): Promise<{ version: number; report: IvrReport }> {
    if (actor) requirePermission(actor, 'admin.reference');
    const note = changeNote.trim();
    if (!note) throw new AppError('VALIDATION_FAILED', '请填写修改说明', { field: 'changeNote' });
    return inTransaction(this.db, async (tx) => {
      const published = await publishedArticles(tx, articleIds(tree));
      const checked = checkIvrTree(tree, (id) => published.has(id));
      if (!checked.ok) throw fromDomain(checked);
      await tx.query('LOCK TABLE ivr_flow_versions IN SHARE ROW EXCLUSIVE MODE');
      const r = await tx.query<{ version: number }>(
        `INSERT INTO ivr_flow_versions (version, tree, change_note, max_depth, created_by)
         SELECT COALESCE(max(version), 0) + 1, $1, $2, $3, $4 FROM ivr_flow_versions RETURNING version`,
        [JSON.stringify(tree), note, checked.value.maxDepth, actor?.id ?? null],
      );
      const version = r.rows[0]!.version;
      if (actor) await audit(tx, actor.id, 'ivr.save', String(version), { maxDepth: checked.value.maxDepth });
      return { version, report: checked.value };
    });
  }

  /** What a caller hears pressing `keys` on a version (the one in force by default). */
  async simulate(
    actor: Actor,
    keys: string[],
    version?: number,
  ): Promise<{
    version: number;
    simulation: IvrSimulation;
    article: { articleId: string; title: string; answer: string } | null;
  }> {
    const v = version === undefined ? await this.current(actor) : await this.version(actor, version);
    const simulation = simulateIvr(v.tree, keys);
    let article = null;
    if (simulation.status === 'ended' && simulation.end.kind === 'article') {
      const r = await this.db.query<{ title: string; answer: string }>(
        `SELECT v.title, v.answer FROM knowledge_articles a JOIN knowledge_versions v ON v.article_id = a.id AND v.version = a.published_version
         WHERE a.id = $1`,
        [simulation.end.articleId],
      );
      article = r.rows[0] ? { articleId: simulation.end.articleId, ...r.rows[0] } : null;
    }
    return { version: v.version, simulation, article };
  }
}

/** The demonstration navigation tree (packages/server/knowledge/ivr-demo.json), saved once as version 1. */
export async function seedDemoIvr(db: Db): Promise<boolean> {
  if ((await db.query('SELECT 1 FROM ivr_flow_versions LIMIT 1')).rowCount) return false;
  const tree = JSON.parse(fs.readFileSync(path.join(KNOWLEDGE_DIR, 'ivr-demo.json'), 'utf8')) as IvrTree;
  await new IvrService(db).save(null, tree, '演示导航流程（示例数据）');
  return true;
}
