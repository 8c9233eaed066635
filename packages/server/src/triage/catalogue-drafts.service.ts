/**
 * Drafts of the next jurisdiction catalogue version (职责清单): copied from a published version,
 * edited entry by entry, then published as the next version number. Every change is audited. A draft
 * copied from a version that is no longer the newest is not published: it would silently undo the
 * newer version's entries.
 */
import { checkCatalogue, type CatalogueEntry } from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { audit } from '../admin/audit.repo.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { AppError } from '../errors.ts';
import { findCatalogueVersion } from './catalogue.repo.ts';
import {
  deleteCatalogueDraft,
  findCatalogueDraft,
  insertCatalogueDraft,
  newestCatalogueVersion,
  updateCatalogueDraft,
  type CatalogueDraft,
} from './catalogue-drafts.repo.ts';
import { checkCataloguePatterns } from './pattern-probe.ts';
import { loadLexicon } from './triage-engine.ts';
import type { TriageService } from './triage.service.ts';

export interface DraftHeader {
  effectiveFrom: string;
  source: string;
  note?: string | null;
}

export class CatalogueDraftsService {
  constructor(
    private readonly db: Db,
    private readonly triage: TriageService,
  ) {}

  async get(id: string, db: Queryable = this.db, lock = false): Promise<CatalogueDraft> {
    const d = await findCatalogueDraft(db, id, lock);
    if (!d) throw new AppError('CATALOGUE_DRAFT_NOT_FOUND');
    return d;
  }

  /** A draft holding a copy of `basedOn` (default: the newest version). */
  async create(actor: Actor, h: DraftHeader & { basedOn?: number }): Promise<CatalogueDraft> {
    const basedOn = h.basedOn ?? (await newestCatalogueVersion(this.db));
    if (basedOn === null || !(await findCatalogueVersion(this.db, basedOn)))
      throw new AppError('CATALOGUE_VERSION_NOT_FOUND');
    const id = await this.write(async (tx) => {
      const id = await insertCatalogueDraft(
        tx,
        { basedOn, effectiveFrom: h.effectiveFrom, source: h.source.trim(), note: h.note?.trim() || null },
        actor.id,
      );
      await audit(tx, actor.id, 'catalogue.draft_create', id, { basedOn, source: h.source.trim() });
      return id;
    });
    return this.get(id);
  }

  /** Changes the draft's effective date, source or note. */
  async setHeader(actor: Actor, id: string, h: Partial<DraftHeader>): Promise<CatalogueDraft> {
    await this.write(async (tx) => {
      const d = await this.get(id, tx, true);
      const next = {
        effectiveFrom: h.effectiveFrom ?? d.effectiveFrom,
        source: h.source?.trim() ?? d.source,
        note: h.note === undefined ? d.note : h.note?.trim() || null,
        entries: d.entries,
      };
      if (!next.source) throw new AppError('VALIDATION_FAILED', '请填写版本依据');
      await updateCatalogueDraft(tx, id, next, actor.id);
      await audit(tx, actor.id, 'catalogue.draft_update', id, {
        effectiveFrom: next.effectiveFrom,
        source: next.source,
      });
    });
    return this.get(id);
  }

  /** Adds the entry, or replaces the draft's entry of the same code; the entry must compile on its own. */
  async setEntry(actor: Actor, id: string, code: string, entry: CatalogueEntry): Promise<CatalogueDraft> {
    if (entry.code !== code) throw new AppError('VALIDATION_FAILED', '条目编码与地址中的编码不一致');
    const checked = checkCatalogue(
      { version: 0, effectiveFrom: '2000-01-01', source: '草稿条目', entries: [entry] },
      loadLexicon(),
    );
    if (!checked.ok) throw new AppError('CATALOGUE_INVALID', checked.message, checked.details);
    await checkCataloguePatterns({ entries: [entry] });
    await this.write(async (tx) => {
      const d = await this.get(id, tx, true);
      const at = d.entries.findIndex((e) => e.code === code);
      const entries = at < 0 ? [...d.entries, entry] : d.entries.map((e, i) => (i === at ? entry : e));
      await updateCatalogueDraft(tx, id, { ...d, entries }, actor.id);
      await audit(tx, actor.id, 'catalogue.draft_entry_set', id, { code, name: entry.name, added: at < 0 });
    });
    return this.get(id);
  }

  async removeEntry(actor: Actor, id: string, code: string): Promise<CatalogueDraft> {
    await this.write(async (tx) => {
      const d = await this.get(id, tx, true);
      const gone = d.entries.find((e) => e.code === code);
      if (!gone) throw new AppError('CATALOGUE_ENTRY_NOT_FOUND');
      const entries = d.entries.filter((e) => e.code !== code);
      await updateCatalogueDraft(tx, id, { ...d, entries }, actor.id);
      await audit(tx, actor.id, 'catalogue.draft_entry_remove', id, { code, name: gone.name });
    });
    return this.get(id);
  }

  /** Publishes the draft as the next version and removes it, in one transaction. */
  async publish(actor: Actor, id: string): Promise<{ version: number }> {
    const version = await this.write(async (tx) => {
      // One publication at a time, so "the newest version" cannot change under this one.
      await tx.query('LOCK TABLE triage_catalogue_versions IN SHARE ROW EXCLUSIVE MODE');
      const d = await this.get(id, tx, true);
      if ((await newestCatalogueVersion(tx)) !== d.basedOn)
        throw new AppError('CATALOGUE_DRAFT_OUTDATED', undefined, { basedOn: d.basedOn });
      if (d.entries.length === 0) throw new AppError('CATALOGUE_INVALID', '草稿中没有任何条目，不能发布');
      const v = await this.triage.publishIn(
        tx,
        actor,
        { effectiveFrom: d.effectiveFrom, source: d.source, note: d.note ?? undefined, entries: d.entries },
        { draft: id, basedOn: d.basedOn },
      );
      await deleteCatalogueDraft(tx, id);
      return v;
    });
    this.triage.published();
    return { version };
  }

  async discard(actor: Actor, id: string): Promise<void> {
    await this.write(async (tx) => {
      const d = await this.get(id, tx, true);
      await deleteCatalogueDraft(tx, id);
      await audit(tx, actor.id, 'catalogue.draft_discard', id, { basedOn: d.basedOn, source: d.source });
    });
  }

  private async write<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    try {
      return await inTransaction(this.db, fn);
    } catch (err) {
      throw translatePgError(err);
    }
  }
}
