/**
 * Triage in the product: the engine over the database's active catalogue version, reloaded when an
 * administrator publishes a version (and every minute, for the other processes); the call-taker's
 * decisions on each suggestion. One catalogue on both desks (plan 任务3, issue 13 item 10): a version
 * published here goes to the other desk in the publishing transaction (`catalogue.publish`), and one the
 * other desk publishes is installed here under its own number.
 */
import {
  EMERGENCY_ROUTES,
  checkCatalogue,
  type Catalogue,
  type Route,
  type TriageDesk,
  type TriageEngine,
  type TriageOutcome,
} from '@liandong/domain';
import type { Actor } from '../auth/actor.ts';
import { inTransaction, type Db, type Queryable } from '../db/pool.ts';
import { audit } from '../admin/audit.repo.ts';
import { translatePgError } from '../db/pg-errors.ts';
import { checkCataloguePatterns } from './pattern-probe.ts';
import { AppError } from '../errors.ts';
import {
  findActiveCatalogue,
  findCatalogueVersion,
  findTriage,
  insertCatalogueVersion,
  insertDecision,
} from './catalogue.repo.ts';
import { newestCatalogueVersion } from './catalogue-drafts.repo.ts';
import { peerCatalogueProblem } from './catalogue.schema.ts';
import { createTriageEngine, loadLexicon, loadModel } from './triage-engine.ts';

const RELOAD_MS = 60_000;

/** What the call-taker did with a suggestion: followed it, or chose otherwise and said why. */
export type TriageDecision =
  | { decision: 'accepted' }
  | { decision: 'overridden'; route: Route; emergency: boolean; urgent: boolean; reason: string };

/** Request channels → the channel words of the triage contract. */
export function triageChannel(channel: string): string | null {
  if (channel === 'phone_12345') return '12345';
  if (channel === 'phone_110') return '110';
  if (channel === 'transferred_in') return null;
  return 'web';
}

/** JSON with every object's keys in order: two catalogues compare alike however jsonb stored their keys. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Where a version published on this desk goes next: the other desk, in the same transaction. */
export interface CatalogueShare {
  sendIn(tx: Queryable, c: Catalogue): Promise<void>;
}

/** What became of a catalogue the other desk sent: installed, already here, or not installed and why. */
export type PeerCatalogueOutcome = 'installed' | 'same' | 'conflict:version_taken';

export class TriageService {
  private engine: TriageEngine | null = null;
  private loadedAt = 0;
  private loading: Promise<TriageEngine> | null = null;
  private readonly model = loadModel();

  /**
   * `desk`: whose staff read the suggestions — 12345 call-takers (hotline) or 110 dispatchers
   * (dispatch); a process serving both desks words them for the desk of each request's channel.
   */
  constructor(
    private readonly db: Db,
    private readonly desk: TriageDesk | 'both' = 'hotline',
    private readonly share: CatalogueShare | null = null,
  ) {}

  async current(): Promise<TriageEngine> {
    if (this.engine && Date.now() - this.loadedAt < RELOAD_MS) return this.engine;
    this.loading ??= (async () => {
      const catalogue = await findActiveCatalogue(this.db);
      if (!this.engine || catalogue?.version !== this.engine.catalogueVersion) {
        this.engine = createTriageEngine({
          catalogue: catalogue ?? undefined,
          model: this.model,
          desk: this.desk === 'dispatch' ? 'dispatch' : 'hotline',
        });
      }
      this.loadedAt = Date.now();
      return this.engine;
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  /** The suggestion for a text; throws TRIAGE_TEXT_INVALID for text that cannot be triaged. */
  async suggest(text: string, channel: string | null, title: string | null = null): Promise<TriageOutcome> {
    const desk: TriageDesk = this.desk === 'both' ? (channel === '110' ? 'dispatch' : 'hotline') : this.desk;
    const o = (await this.current()).triage({ text, channel, title }, { desk });
    if (!o.ok) throw new AppError('TRIAGE_TEXT_INVALID', o.message, { reason: o.code });
    return o.value;
  }

  async get(requestId: string) {
    const t = await findTriage(this.db, requestId);
    if (!t) throw new AppError('TRIAGE_NOT_FOUND');
    return t;
  }

  /** Records the call-taker's decision on a request's suggestion (in `db`: the caller's transaction, if any). */
  async decide(actor: Actor, requestId: string, d: TriageDecision, db: Queryable = this.db) {
    const t = await findTriage(db, requestId);
    if (!t) throw new AppError('TRIAGE_NOT_FOUND');
    if (
      d.decision === 'overridden' &&
      t.emergency &&
      !d.emergency &&
      !EMERGENCY_ROUTES.has(d.route) &&
      d.reason.trim().length < 4
    ) {
      throw new AppError('VALIDATION_FAILED', '将紧急情形改为非紧急须写明理由');
    }
    await insertDecision(
      db,
      d.decision === 'accepted'
        ? {
            requestId,
            decision: 'accepted',
            route: t.route,
            emergency: t.emergency,
            urgent: t.urgent,
            reason: null,
            decidedBy: actor.id,
          }
        : {
            requestId,
            decision: 'overridden',
            route: d.route,
            emergency: d.emergency,
            urgent: d.urgent,
            reason: d.reason.trim(),
            decidedBy: actor.id,
          },
    );
    return findTriage(db, requestId);
  }

  /**
   * Publishes a new catalogue version after checking every entry compiles and every pattern is safe
   * to run (pattern-probe.ts: no nested repetition, and fast on hostile inputs).
   */
  async publish(actor: Actor, c: Omit<Catalogue, 'version'>): Promise<number> {
    await checkCataloguePatterns(c);
    try {
      const version = await inTransaction(this.db, (tx) => this.publishIn(tx, actor, c));
      this.published();
      return version;
    } catch (err) {
      throw translatePgError(err);
    }
  }

  /**
   * The publication inside the caller's transaction (a draft is published and removed in one); the
   * caller calls published() after the commit. `details` go into the audit entry.
   */
  async publishIn(
    tx: Queryable,
    actor: Actor,
    c: Omit<Catalogue, 'version'>,
    details: Record<string, unknown> = {},
  ): Promise<number> {
    const checked = checkCatalogue({ ...c, version: 0 }, loadLexicon());
    if (!checked.ok) throw new AppError('CATALOGUE_INVALID', checked.message, checked.details);
    const v = await insertCatalogueVersion(tx, c, actor.id);
    await audit(tx, actor.id, 'catalogue.publish', String(v), {
      effectiveFrom: c.effectiveFrom,
      source: c.source,
      entries: c.entries.length,
      ...details,
    });
    await this.share?.sendIn(tx, { ...c, version: v });
    return v;
  }

  /**
   * Whether a catalogue from the other desk can be triaged by here: its form (the admin API's schema),
   * every entry compiling against this desk's lexicon, and every pattern safe to run. null: it can.
   */
  async peerCatalogueProblem(payload: Record<string, unknown>): Promise<string | null> {
    const form = peerCatalogueProblem(payload);
    if (form) return form;
    const c = payload as unknown as Catalogue;
    const checked = checkCatalogue(c, loadLexicon());
    if (!checked.ok) return `${checked.code}: ${checked.message}`;
    try {
      await checkCataloguePatterns(c);
    } catch (err) {
      return err instanceof AppError ? `${err.code}: ${err.message}` : String(err);
    }
    return null;
  }

  /**
   * Installs a checked catalogue from the other desk in the caller's transaction, under the sender's
   * version number, so both desks name it alike: when that number is newer than every version here.
   * The same version already here (sent back, or one database for both desks) is `same`; a number this
   * desk has used for another catalogue, or an older one, is not installed (`conflict:version_taken`).
   * Audited either way, as the system (no person of this desk published it).
   */
  async installPeerCatalogue(
    tx: Queryable,
    from: string,
    messageId: string,
    c: Catalogue,
  ): Promise<PeerCatalogueOutcome> {
    await tx.query('LOCK TABLE triage_catalogue_versions IN SHARE ROW EXCLUSIVE MODE');
    const here = await findCatalogueVersion(tx, c.version);
    const newest = await newestCatalogueVersion(tx);
    const same =
      here !== null &&
      here.effectiveFrom === c.effectiveFrom &&
      canonicalJson(here.entries) === canonicalJson(c.entries);
    const outcome: PeerCatalogueOutcome = same
      ? 'same'
      : here === null && (newest === null || c.version > newest)
        ? 'installed'
        : 'conflict:version_taken';
    if (outcome === 'installed')
      await insertCatalogueVersion(
        tx,
        { effectiveFrom: c.effectiveFrom, source: c.source, note: `由${from}发布并同步至本平台`, entries: c.entries },
        null,
        c.version,
      );
    await audit(
      tx,
      null,
      outcome === 'conflict:version_taken' ? 'catalogue.receive_conflict' : 'catalogue.receive',
      String(c.version),
      {
        from,
        messageId,
        outcome,
        effectiveFrom: c.effectiveFrom,
        source: c.source,
        entries: c.entries.length,
        ...(outcome === 'conflict:version_taken' ? { newestHere: newest } : {}),
      },
    );
    return outcome;
  }

  /** After a publication commits: triage picks the new version up on the next request. */
  published(): void {
    this.loadedAt = 0;
  }
}
