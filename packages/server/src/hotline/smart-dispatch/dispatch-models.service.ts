/**
 * Dispatch models as data (issue 12 item 3): trained models are stored versioned (who trained it, on
 * what, its scores), the active one answers the suggestions, and the shipped default does while a city
 * has none. A new model becomes active only when it beats the current one on a held-out slice — orders
 * it was not trained on — and the answer says which way it went and by how much.
 */
import {
  DISPATCH_MODEL_FORMAT,
  DispatchModel,
  scoreModel,
  stratifiedFolds,
  encodeLabels,
  type DispatchScores,
  type DispatchTraining,
  type HistoryRecord,
  type SavedDispatchModel,
} from '@liandong/domain';
import type { Actor } from '../../auth/actor.ts';
import { requirePermission } from '../../auth/permissions.ts';
import { audit } from '../../admin/audit.repo.ts';
import { inTransaction, type Db } from '../../db/pool.ts';
import { AppError } from '../../errors.ts';
import { defaultDispatchModel, dispatchEnv } from './smart-dispatch.ts';
import {
  activateDispatchModel,
  deactivateDispatchModels,
  findActiveVersion,
  findDispatchModel,
  findOrderForDispatch,
  insertDispatchModel,
  listArchivedForTraining,
  listDispatchModels,
  listUnitNames,
  loadStoredModel,
  type DispatchModelRow,
  type HeldOutComparison,
} from './dispatch-models.repo.ts';
import { trainInWorker, type TrainJob } from './train-job.ts';

/** Fewer held-out orders than this prove nothing: the model is stored but not made active. */
export const MIN_HELD_OUT = 20;
/** The archive a retraining reads at most (newest first), and the least it needs. */
export const MAX_ARCHIVE = 200_000;
export const MIN_ARCHIVE = 50;

export interface UnitSuggestion {
  unitId: string;
  unitName: string;
  /** The model's own label (a unit code or name). */
  label: string;
  score: number;
}

export interface PublishResult {
  version: string;
  active: boolean;
  decision: DispatchModelRow['decision'];
  heldOut: HeldOutComparison | null;
  /** In Chinese, for the administrator: kept or not, and why. */
  message: string;
}

type Resolver = (label: string) => { id: string; name: string } | null;

const ASSIGNABLE = new Set(['city_department', 'district_agency', 'district_department', 'street_office']);

export class DispatchModelService {
  private loaded: { version: string; model: DispatchModel } | null = null;
  private units: Promise<Resolver> | null = null;

  constructor(
    private readonly db: Db,
    private readonly train: (job: TrainJob) => Promise<DispatchTraining> = trainInWorker,
  ) {}

  /** The model that answers now: the active stored one, else the shipped default. */
  async current(): Promise<{ model: DispatchModel; version: string; source: 'database' | 'shipped' }> {
    const version = await findActiveVersion(this.db);
    if (!version) return { model: defaultDispatchModel(), version: defaultDispatchModel().version, source: 'shipped' };
    if (this.loaded?.version !== version) {
      const saved = await loadStoredModel(this.db, version);
      if (!saved) return { model: defaultDispatchModel(), version: defaultDispatchModel().version, source: 'shipped' };
      this.loaded = { version, model: new DispatchModel(saved, dispatchEnv()) };
    }
    return { model: this.loaded.model, version, source: 'database' };
  }

  /** Units by code or name (labels may be either), refreshed when asked after an administrator's change. */
  private unitIndex() {
    this.units ??= listUnitNames(this.db).then((rows) => {
      const byId = new Map(rows.map((u) => [u.id, u]));
      const byName = new Map(rows.map((u) => [u.name, u]));
      return (label: string) => {
        const u = byId.get(label) ?? byName.get(label);
        return u && u.active && ASSIGNABLE.has(u.kind) ? { id: u.id, name: u.name } : null;
      };
    });
    const p = this.units;
    // Units change rarely; a fresh index per minute is enough and keeps a suggestion to one query.
    setTimeout(() => {
      if (this.units === p) this.units = null;
    }, 60_000).unref();
    return p;
  }

  /**
   * The top `k` units for a text, best first, with calibrated scores: labels naming no assignable unit
   * of this deployment are passed over (the next best takes their place).
   */
  async suggest(
    o: { text: string; title?: string | null; district?: string | null },
    k = 3,
  ): Promise<{ modelVersion: string; modelSource: 'database' | 'shipped'; suggestions: UnitSuggestion[] }> {
    const { model, version, source } = await this.current();
    const resolve = await this.unitIndex();
    const out: UnitSuggestion[] = [];
    const seen = new Set<string>();
    for (const s of model.suggest(o, model.labels.length)) {
      const unit = resolve(s.label);
      if (!unit || seen.has(unit.id)) continue;
      seen.add(unit.id);
      out.push({ unitId: unit.id, unitName: unit.name, label: s.label, score: s.score });
      if (out.length === k) break;
    }
    return { modelVersion: version, modelSource: source, suggestions: out };
  }

  /** Suggestions for a stored order, beside its catalogue category (the caller has checked who may see it). */
  async suggestForOrder(id: string) {
    const o = await findOrderForDispatch(this.db, id);
    if (!o) throw new AppError('WORK_ORDER_NOT_FOUND');
    const s = await this.suggest({ text: o.text, title: o.title, district: o.district });
    return { ...s, category: { code: o.category_code, name: o.category_name } };
  }

  async list(actor: Actor) {
    requirePermission(actor, 'admin.reference');
    const [rows, current] = await Promise.all([listDispatchModels(this.db), this.current()]);
    return {
      current: { version: current.version, source: current.source },
      // the model shipped with the platform, which answers when no stored version is active
      shipped: { version: defaultDispatchModel().version },
      models: rows.map(presentModel),
    };
  }

  /** A label matches a truth when both name the same unit (by code or name). */
  private async sameUnit(): Promise<(a: string, b: string) => boolean> {
    const rows = await listUnitNames(this.db);
    const id = new Map<string, string>();
    for (const u of rows) {
      id.set(u.id, u.id);
      id.set(u.name, u.id);
    }
    return (a, b) => a === b || (id.get(a) ?? a) === (id.get(b) ?? b);
  }

  /**
   * Stores a trained model; it becomes active only when it beats the current one (top-1, then top-3)
   * on `heldOut` — orders it was not trained on. Without enough of them it is stored, not used.
   */
  async publish(actor: Actor, raw: unknown, heldOut: HistoryRecord[]): Promise<PublishResult> {
    requirePermission(actor, 'admin.reference');
    const saved = checkModel(raw);
    if (await findDispatchModel(this.db, saved.version))
      throw new AppError('DISPATCH_MODEL_VERSION_TAKEN', `派单模型版本已存在：${saved.version}`, {
        version: saved.version,
      });
    const candidate = new DispatchModel(saved, dispatchEnv());
    const current = await this.current();
    let comparison: HeldOutComparison | null = null;
    let beats = false;
    if (heldOut.length >= MIN_HELD_OUT) {
      const same = await this.sameUnit();
      const c = scoreModel(candidate, heldOut, same);
      const k = scoreModel(current.model, heldOut, same);
      comparison = {
        samples: heldOut.length,
        candidate: { top1: c.top1, top3: c.top3, macroF1: c.macroF1 },
        current: { version: current.version, top1: k.top1, top3: k.top3, macroF1: k.macroF1 },
      };
      beats = c.top1 > k.top1 || (c.top1 === k.top1 && c.top3 > k.top3);
    }
    const decision = beats ? 'activated' : 'kept_current';
    const json = JSON.stringify(saved);
    await inTransaction(this.db, async (tx) => {
      await insertDispatchModel(tx, {
        saved,
        json,
        heldOut: comparison,
        active: beats,
        decision,
        uploadedBy: actor.id,
      });
      await audit(tx, actor.id, 'dispatch_model.publish', saved.version, {
        decision,
        heldOut: comparison,
        source: saved.source,
      });
    });
    return {
      version: saved.version,
      active: beats,
      decision,
      heldOut: comparison,
      message: verdict(comparison, beats),
    };
  }

  /**
   * An administrator makes a stored model active by hand (a rollback, or a model with no held-out proof),
   * or goes back to the model shipped with the platform by its version.
   */
  async activate(actor: Actor, version: string): Promise<DispatchModelRow | { version: string; shipped: true }> {
    requirePermission(actor, 'admin.reference');
    // Back to the shipped model: no stored version answers any more.
    if (version === defaultDispatchModel().version && !(await findDispatchModel(this.db, version))) {
      await inTransaction(this.db, async (tx) => {
        await deactivateDispatchModels(tx);
        await audit(tx, actor.id, 'dispatch_model.activate', version, { shipped: true });
      });
      return { version, shipped: true };
    }
    await inTransaction(this.db, async (tx) => {
      const row = await findDispatchModel(tx, version);
      if (!row) throw new AppError('DISPATCH_MODEL_NOT_FOUND', undefined, { version });
      await activateDispatchModel(tx, version);
      await audit(tx, actor.id, 'dispatch_model.activate', version, {});
    });
    return (await findDispatchModel(this.db, version))!;
  }

  /**
   * Retrains from the platform's own archived orders (the final lead unit is the label): the newest
   * fifth is held out — the model is judged on orders that came after the ones it learned from — the
   * rest trains it (in a worker thread), and publish() keeps it only if it beats the current model.
   */
  async trainFromArchive(
    actor: Actor,
    opts: { folds?: number; variant?: string; now?: Date } = {},
  ): Promise<PublishResult & { training: DispatchScores; variant: string }> {
    requirePermission(actor, 'admin.reference');
    const archived = await listArchivedForTraining(this.db, MAX_ARCHIVE);
    const labels = new Set(archived.map((r) => r.label)).size;
    const folds = opts.folds ?? 5;
    if (archived.length < MIN_ARCHIVE || labels < 2)
      throw new AppError(
        'DISPATCH_HISTORY_TOO_SMALL',
        `已归档工单太少：${archived.length} 件、${labels} 个承办单位（至少 ${MIN_ARCHIVE} 件、2 个单位）`,
        { orders: archived.length, units: labels },
      );
    const cut = Math.floor(archived.length * 0.8);
    const records = archived.map(({ text, title, label, district }) => ({ text, title, label, district }));
    const trainPart = records.slice(0, cut);
    const heldOut = records.slice(cut);
    const now = opts.now ?? new Date();
    const training = await this.train({
      records: trainPart,
      options: {
        folds: Math.min(folds, Math.max(2, Math.floor(trainPart.length / 2))),
        variant: opts.variant,
        version: `archive-${now.toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${trainPart.length}`,
        trainedBy: actor.username,
        source: `archive:${trainPart.length} orders closed up to ${archived[cut - 1]!.closedAt.toISOString()}; held out ${heldOut.length}`,
      },
    });
    const result = await this.publish(actor, training.model, heldOut);
    return { ...result, training: training.scores, variant: training.model.variant };
  }
}

/** A held-out fifth of a history (stratified, so every unit is in it), and the rest to train on. */
export function holdOut(records: HistoryRecord[], seed = 13): { train: HistoryRecord[]; heldOut: HistoryRecord[] } {
  const fold = stratifiedFolds(encodeLabels(records).y, 5, seed);
  return {
    train: records.filter((_, i) => fold[i] !== 0),
    heldOut: records.filter((_, i) => fold[i] === 0),
  };
}

function verdict(c: HeldOutComparison | null, beats: boolean): string {
  if (!c) return `留出数据不足 ${MIN_HELD_OUT} 件，无法证明新模型更好：已保存，未启用（管理员可手动启用）`;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const figures = `在 ${c.samples} 件留出工单上，新模型首选准确率 ${pct(c.candidate.top1)}、前三 ${pct(c.candidate.top3)}；当前模型（${c.current.version}）${pct(c.current.top1)}、${pct(c.current.top3)}`;
  return beats
    ? `${figures}。新模型更好，已启用。`
    : `${figures}。新模型未胜过当前模型：已保存，未启用，继续使用当前模型。`;
}

const VERSION = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,79}$/;

/** An uploaded model is checked whole before anything is stored (a model that does not load is refused). */
function checkModel(raw: unknown): SavedDispatchModel {
  const bad = (why: string) => new AppError('DISPATCH_MODEL_INVALID', `派单模型文件不合法：${why}`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('不是 JSON 对象');
  const m = raw as Partial<SavedDispatchModel>;
  if (m.format !== DISPATCH_MODEL_FORMAT) throw bad(`格式须为 ${DISPATCH_MODEL_FORMAT}`);
  if (typeof m.version !== 'string' || !VERSION.test(m.version)) throw bad('版本号缺失或含不允许的字符');
  if (typeof m.trainedBy !== 'string' || !m.trainedBy.trim() || m.trainedBy.length > 200) throw bad('缺少训练人');
  if (typeof m.source !== 'string' || !m.source.trim() || m.source.length > 500) throw bad('缺少训练数据来源');
  if (typeof m.trainedAt !== 'string' || Number.isNaN(Date.parse(m.trainedAt))) throw bad('训练时间不合法');
  if (!m.scores || typeof m.scores !== 'object') throw bad('缺少评估分数');
  try {
    new DispatchModel(m as SavedDispatchModel, dispatchEnv()).suggest({ text: '检查模型能否加载' });
  } catch (e) {
    throw bad(`无法加载（${(e as Error).message}）`);
  }
  return m as SavedDispatchModel;
}

export function presentModel(r: DispatchModelRow) {
  return {
    version: r.version,
    variant: r.variant,
    trainedBy: r.trained_by,
    trainedAt: r.trained_at.toISOString(),
    source: r.source,
    labels: r.labels.length,
    scores: r.scores,
    heldOut: r.held_out,
    active: r.active,
    decision: r.decision,
    uploadedBy: r.uploaded_by_name,
    uploadedAt: r.uploaded_at.toISOString(),
    bytes: r.bytes,
  };
}
