/**
 * Knowledge-base use cases: write a version (an editor, or the owning department proposing a change),
 * review, publish, withdraw, each in one transaction with its history entry; publishing puts the
 * version into the search index and supersedes the one it replaces. Search for call-takers.
 */
import {
  applyKnowledgeAction,
  checkArticle,
  type ArticleContent,
  type KnowledgeAction,
  type KnowledgeCitation,
  type KnowledgeStatus,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { can, requirePermission } from '../auth/permissions.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError, fromDomain } from '../errors.ts';
import {
  contentOf,
  findArticle,
  findOpenVersion,
  findSources,
  findVersion,
  insertAnswerUse,
  insertArticle,
  insertVersion,
  insertVersionAction,
  listArticles,
  listVersionActions,
  listVersions,
  nextArticleId,
  setPublishedVersion,
  setVersionStatus,
  type ArticleListFilter,
  type ArticleRow,
} from './articles.repo.ts';
import { deleteSearchRow } from './search.repo.ts';
import { closeDraftedTasks } from './tasks.repo.ts';
import { indexVersion, type KnowledgeSearch, type SearchOptions } from './search.service.ts';

function requireFound<T>(v: T | null, code: 'KNOWLEDGE_ARTICLE_NOT_FOUND' | 'KNOWLEDGE_VERSION_NOT_FOUND'): T {
  if (v === null) throw new AppError(code, undefined, { field: 'knowledge' });
  return v;
}

/** A unit's function: `city.hr` and `d500103.hr` are both `hr`. */
export const unitFunction = (unitId: string | null) => (unitId ? unitId.slice(unitId.indexOf('.') + 1) : null);

export class KnowledgeService {
  constructor(
    private readonly db: Db,
    readonly search: KnowledgeSearch,
  ) {}

  /**
   * May the actor propose changes to this article? The 12345 centre's editors always; a department the
   * articles its function owns (a district's 人力社保局 those of 市人力社保局); a district hotline agency
   * those that apply to its district.
   */
  mayChange(actor: Actor, article: ArticleRow, districts: string[]): boolean {
    if (can(actor, 'knowledge.edit')) return true;
    if (!can(actor, 'knowledge.propose')) return false;
    if (actor.role === 'district_agency') return actor.districtCode !== null && districts.includes(actor.districtCode);
    const fn = unitFunction(actor.unitId);
    return fn !== null && article.owner_unit_id !== null && unitFunction(article.owner_unit_id) === fn;
  }

  async find(actor: Actor, q: string, opts: SearchOptions) {
    requirePermission(actor, 'knowledge.read');
    await this.checkDistrict(opts.district ?? null);
    return this.search.search(q, opts);
  }

  async checkDistrict(district: string | null): Promise<void> {
    if (district === null) return;
    const r = await this.db.query('SELECT 1 FROM districts WHERE code = $1', [district]);
    if (!r.rowCount)
      throw new AppError('REFERENCE_NOT_FOUND', `区县代码不存在：${district}`, { field: 'district', district });
  }

  async list(actor: Actor, f: ArticleListFilter) {
    requirePermission(actor, 'knowledge.read');
    return listArticles(this.db, f);
  }

  async get(actor: Actor, id: string) {
    requirePermission(actor, 'knowledge.read');
    const article = await findArticle(this.db, id);
    if (!article) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND');
    const [versions, history] = await Promise.all([listVersions(this.db, id), listVersionActions(this.db, id)]);
    const latest = versions[0]!;
    return { article, versions, history, mayChange: this.mayChange(actor, article, latest.districts) };
  }

  async getVersion(actor: Actor, id: string, version: number) {
    requirePermission(actor, 'knowledge.read');
    const v = await findVersion(this.db, id, version);
    if (v) return v;
    throw new AppError(
      (await findArticle(this.db, id)) ? 'KNOWLEDGE_VERSION_NOT_FOUND' : 'KNOWLEDGE_ARTICLE_NOT_FOUND',
    );
  }

  async sources(actor: Actor) {
    requirePermission(actor, 'knowledge.read');
    return findSources(this.db);
  }

  private async checkContent(db: Queryable, c: ArticleContent): Promise<ArticleContent> {
    const checked = checkArticle(c);
    if (!checked.ok) throw fromDomain(checked);
    const v = checked.value;
    if (v.sourceRef && !(await findSources(db, [v.sourceRef])).length)
      throw new AppError('REFERENCE_NOT_FOUND', `政策依据不在文件清单中：${v.sourceRef}`, { field: 'sourceRef' });
    if (!v.districts.includes('*')) {
      const r = await db.query<{ code: string }>('SELECT code FROM districts WHERE code = ANY($1)', [v.districts]);
      const missing = v.districts.filter((d) => !r.rows.some((x) => x.code === d));
      if (missing.length)
        throw new AppError('REFERENCE_NOT_FOUND', `区县代码不存在：${missing.join('、')}`, { field: 'districts' });
    }
    return v;
  }

  /**
   * A new article, as version 1 in draft. A department's new article is owned by its function; one drafted
   * from a 待补知识 task by the task's department (`extra.ownerUnitId`), and `extra.within` runs in the
   * same transaction (the task is marked drafted, or the article is not made).
   */
  async create(
    actor: Actor,
    content: ArticleContent,
    changeNote: string,
    extra?: { ownerUnitId: string | null; within: (tx: Queryable, articleId: string) => Promise<void> },
  ): Promise<{ id: string; version: number }> {
    if (!can(actor, 'knowledge.edit')) requirePermission(actor, 'knowledge.propose');
    try {
      return await inTransaction(this.db, async (tx) => {
        const c = await this.checkContent(tx, content);
        if (
          actor.role === 'district_agency' &&
          !can(actor, 'knowledge.edit') &&
          !c.districts.includes(actor.districtCode ?? '')
        )
          throw new AppError('OUT_OF_SCOPE', '区县热线机构只能起草适用于本区县的知识');
        await tx.query('LOCK TABLE knowledge_articles IN SHARE ROW EXCLUSIVE MODE');
        const id = await nextArticleId(tx);
        const fn = unitFunction(actor.unitId);
        const cityUnit = fn ? `city.${fn}` : null;
        const owner = extra
          ? extra.ownerUnitId
          : actor.role === 'department_handler' && cityUnit
            ? (await tx.query('SELECT 1 FROM units WHERE id = $1', [cityUnit])).rowCount
              ? cityUnit
              : actor.unitId
            : actor.role === 'district_agency'
              ? actor.unitId
              : null;
        await insertArticle(tx, { id, ownerUnitId: owner, demo: false, createdBy: actor.id });
        await insertVersion(
          tx,
          { articleId: id, version: 1, status: 'draft', basedOn: null, changeNote, createdBy: actor.id },
          c,
        );
        await insertVersionAction(tx, {
          articleId: id,
          version: 1,
          action: 'create',
          from: null,
          to: 'draft',
          note: changeNote,
          actorId: actor.id,
          actorName: actor.displayName,
        });
        await extra?.within(tx, id);
        return { id, version: 1 };
      });
    } catch (err) {
      throw translatePgError(err);
    }
  }

  /**
   * A change to an article: a new draft version based on `basedOn` (which must be the newest). An open
   * draft by someone else is replaced only by an editor or its author; the replaced one is superseded.
   */
  async propose(
    actor: Actor,
    id: string,
    basedOn: number,
    content: ArticleContent,
    changeNote: string,
  ): Promise<{ id: string; version: number }> {
    if (!can(actor, 'knowledge.edit')) requirePermission(actor, 'knowledge.propose');
    try {
      return await inTransaction(this.db, async (tx) => {
        const article = await findArticle(tx, id, true);
        if (!article) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND');
        const latest = await findVersion(tx, id, article.latest_version);
        if (!this.mayChange(actor, article, latest!.districts))
          throw new AppError('OUT_OF_SCOPE', '该知识不属于本单位主管，不能提出修改');
        if (basedOn !== article.latest_version)
          throw new AppError('KNOWLEDGE_STALE_BASE', undefined, { latest: article.latest_version, basedOn });
        const c = await this.checkContent(tx, content);
        const open = await findOpenVersion(tx, id);
        if (open) {
          if (open.created_by !== actor.id && !can(actor, 'knowledge.edit'))
            throw new AppError('KNOWLEDGE_VERSION_OPEN', undefined, { version: open.version });
          await this.move(
            tx,
            actor,
            id,
            open.version,
            open.status,
            'supersede',
            `由第 ${article.latest_version + 1} 版替代`,
          );
        }
        const version = article.latest_version + 1;
        await insertVersion(
          tx,
          { articleId: id, version, status: 'draft', basedOn, changeNote, createdBy: actor.id },
          c,
        );
        await insertVersionAction(tx, {
          articleId: id,
          version,
          action: 'create',
          from: null,
          to: 'draft',
          note: changeNote,
          actorId: actor.id,
          actorName: actor.displayName,
        });
        return { id, version };
      });
    } catch (err) {
      throw translatePgError(err);
    }
  }

  private async move(
    tx: Queryable,
    actor: Actor,
    id: string,
    version: number,
    from: KnowledgeStatus,
    action: KnowledgeAction,
    note: string | null,
  ): Promise<KnowledgeStatus> {
    const next = applyKnowledgeAction({ status: from, createdBy: null }, action, { userId: actor.id, note });
    if (!next.ok) throw fromDomain(next);
    await setVersionStatus(tx, id, version, next.value);
    await insertVersionAction(tx, {
      articleId: id,
      version,
      action,
      from,
      to: next.value,
      note,
      actorId: actor.id,
      actorName: actor.displayName,
    });
    return next.value;
  }

  /** Review, send back, publish or withdraw a version. */
  async act(
    actor: Actor,
    id: string,
    version: number,
    action: Exclude<KnowledgeAction, 'supersede'>,
    note: string | null,
  ): Promise<KnowledgeStatus> {
    const needs: Record<typeof action, 'knowledge.review' | 'knowledge.publish'> = {
      review: 'knowledge.review',
      send_back: 'knowledge.review',
      publish: 'knowledge.publish',
      withdraw: 'knowledge.publish',
    };
    const result = await inTransaction(this.db, async (tx) => {
      const article = await findArticle(tx, id, true);
      if (!article) throw new AppError('KNOWLEDGE_ARTICLE_NOT_FOUND');
      const v = await findVersion(tx, id, version);
      if (!v) throw new AppError('KNOWLEDGE_VERSION_NOT_FOUND');
      // An author may withdraw their own unpublished proposal; everything else needs the centre's role.
      const ownDraft =
        action === 'withdraw' && v.status !== 'published' && v.created_by !== null && v.created_by === actor.id;
      if (!ownDraft) requirePermission(actor, needs[action]);
      const next = applyKnowledgeAction({ status: v.status, createdBy: v.created_by }, action, {
        userId: actor.id,
        note,
      });
      if (!next.ok) throw fromDomain(next);
      if (action === 'publish' && article.published_version !== null) {
        const current = await findVersion(tx, id, article.published_version);
        await this.move(tx, actor, id, current!.version, current!.status, 'supersede', `由第 ${version} 版替代`);
      }
      await setVersionStatus(tx, id, version, next.value);
      await insertVersionAction(tx, {
        articleId: id,
        version,
        action,
        from: v.status,
        to: next.value,
        note,
        actorId: actor.id,
        actorName: actor.displayName,
      });
      if (action === 'publish') {
        await setPublishedVersion(tx, id, version);
        await indexVersion(tx, id, version, contentOf(v));
        // a 待补知识 task drafted as this article is done once it is published
        await closeDraftedTasks(tx, id, actor.id);
      }
      if (action === 'withdraw' && v.status === 'published') {
        await setPublishedVersion(tx, id, null);
        await deleteSearchRow(tx, id);
      }
      return next.value;
    });
    if (action === 'publish' || action === 'withdraw') this.search.invalidate();
    return result;
  }

  /**
   * The article version an answer cites, checked: it is the version in force, or one that was in force
   * and has since been replaced (the call-taker read it while it was). Never a draft or a withdrawn one.
   */
  async citation(db: Queryable, articleId: string, version: number): Promise<KnowledgeCitation> {
    requireFound(await findArticle(db, articleId), 'KNOWLEDGE_ARTICLE_NOT_FOUND');
    const v = requireFound(await findVersion(db, articleId, version), 'KNOWLEDGE_VERSION_NOT_FOUND');
    const wasPublished =
      v.status === 'published' ||
      (v.status === 'superseded' &&
        Boolean(
          (
            await db.query(
              `SELECT 1 FROM knowledge_version_actions WHERE article_id = $1 AND version = $2 AND action = 'publish'`,
              [articleId, version],
            )
          ).rowCount,
        ));
    if (!wasPublished)
      throw new AppError('KNOWLEDGE_NOT_CITABLE', undefined, {
        field: 'knowledge',
        articleId,
        version,
        status: v.status,
      });
    return { articleId, version, title: v.title };
  }

  /** Records which article (and version) an answer used, in the caller's transaction. */
  async recordUse(
    tx: Queryable,
    actor: Actor,
    use: {
      articleId: string;
      version: number;
      channel: 'intake' | 'chat' | 'ivr';
      requestId?: string | null;
      workOrderId?: string | null;
    },
  ): Promise<void> {
    const v = await findVersion(tx, use.articleId, use.version);
    if (!v) throw new AppError('KNOWLEDGE_VERSION_NOT_FOUND', undefined, { field: 'knowledge' });
    await insertAnswerUse(tx, {
      articleId: use.articleId,
      version: use.version,
      channel: use.channel,
      requestId: use.requestId ?? null,
      workOrderId: use.workOrderId ?? null,
      usedBy: actor.id,
    });
  }
}
