/**
 * The triage engine: the plan's policy over the jurisdiction catalogue, with the learned model beside it.
 *
 * Order of decision (渝府办发〔2022〕130号, 二(二)1 分流转办):
 * 1. danger to life, body, property or public safety now → 110 (or 119 / 120 / utility, others linked),
 *    emergency; 110 goes first when police are needed ("由110派警先行处置");
 * 2. matters agreed as shared (职责交叉) → the agreed desk, with a consultation (协商);
 * 3. police business that is not an emergency now (past theft, fraud, vice) → 110;
 * 4. non-police matters → the body that handles them (disputes → 综治中心, blocking cars → 挪车);
 * 5. 12345's urgent channel (重症救治, 孕检生产, 应急救援) → 12345, urgent;
 * 6. neither desk → guidance with where to go (合理引导和解释);
 * 7. 12345 business → 12345 with the dispatch category; otherwise the model, else 12345.
 * The model may raise an emergency; it never clears one a danger rule found.
 */
import { checkText, createNormaliser, type Normaliser } from './normalize.ts';
import type { TriageModel } from './model.ts';
import {
  EMERGENCY_ROUTES,
  ENTRY_KINDS,
  ROUTES,
  type Catalogue,
  type CatalogueEntry,
  type Lexicon,
  type Route,
  type TriageError,
  type TriageInput,
  type TriageOutcome,
} from './types.ts';

interface CompiledEntry {
  entry: CatalogueEntry;
  patterns: RegExp[];
  context: RegExp[];
  exclude: RegExp[];
  linkedIf: [RegExp, Route][];
  urgentIf: RegExp | null;
}

export interface CompiledCatalogue {
  version: number;
  entries: CompiledEntry[];
}

export class CatalogueError extends Error {
  constructor(
    readonly code: 'CATALOGUE_INVALID',
    message: string,
    readonly entryCode?: string,
  ) {
    super(message);
  }
}

const re = (src: string, code: string) => {
  try {
    return new RegExp(src, 'gu');
  } catch (err) {
    throw new CatalogueError(
      'CATALOGUE_INVALID',
      `条目 ${code} 的表达式无效：${src}（${(err as Error).message}）`,
      code,
    );
  }
};

/** Checks and compiles a catalogue; refuses unknown routes, kinds, empty or broken patterns, duplicate codes. */
export function compileCatalogue(c: Catalogue): CompiledCatalogue {
  const seen = new Set<string>();
  const entries = c.entries.map((e) => {
    if (!e.code || seen.has(e.code))
      throw new CatalogueError('CATALOGUE_INVALID', `条目编码缺失或重复：${e.code}`, e.code);
    seen.add(e.code);
    if (!ROUTES.includes(e.route))
      throw new CatalogueError('CATALOGUE_INVALID', `条目 ${e.code} 的去向无效：${e.route}`, e.code);
    if (!ENTRY_KINDS.includes(e.kind))
      throw new CatalogueError('CATALOGUE_INVALID', `条目 ${e.code} 的类型无效：${e.kind}`, e.code);
    if (!e.patterns?.length || e.patterns.some((p) => !p.trim()))
      throw new CatalogueError('CATALOGUE_INVALID', `条目 ${e.code} 没有识别表达式`, e.code);
    for (const r of [...(e.linked ?? []), ...(e.linkedIf ?? []).map(([, r]) => r)]) {
      if (!ROUTES.includes(r))
        throw new CatalogueError('CATALOGUE_INVALID', `条目 ${e.code} 的联动去向无效：${r}`, e.code);
    }
    return {
      entry: e,
      patterns: e.patterns.map((p) => re(p, e.code)),
      context: (e.context ?? []).map((p) => re(p, e.code)),
      exclude: (e.exclude ?? []).map((p) => re(p, e.code)),
      linkedIf: (e.linkedIf ?? []).map(([p, r]) => [re(p, e.code), r] as [RegExp, Route]),
      urgentIf: e.urgentIf ? re(e.urgentIf, e.code) : null,
    };
  });
  return { version: c.version, entries };
}

const CLAUSE_BREAK = /[，,。.；;！!？?\n、：:]/;
const NEGATION_WINDOW = 4;
const HYPOTHETICAL_WINDOW = 10;

interface Match {
  entry: CompiledEntry;
  evidence: string;
}

export interface EngineOptions {
  catalogue: Catalogue;
  lexicon: Lexicon;
  toSimplified?: (s: string) => string;
  model?: TriageModel | null;
}

const EMERGENCY_PRECEDENCE: Route[] = ['110', '119', '120', 'utility'];
const ROUTE_NAMES: Record<Route, string> = {
  '110': '110',
  '12345': '12345',
  '119': '119',
  '120': '120',
  utility: '水电气抢修',
  governance_center: '综治中心',
  vehicle_moving: '挪车服务',
  guidance: '引导解释',
};

export class TriageEngine {
  private readonly compiled: CompiledCatalogue;
  private readonly normalise: Normaliser;
  private readonly negators: string[];
  private readonly hypothetical: string[];
  private readonly past: string[];
  private readonly present: string[];
  readonly model: TriageModel | null;

  constructor(private readonly opts: EngineOptions) {
    this.compiled = compileCatalogue(opts.catalogue);
    this.normalise = createNormaliser(opts.lexicon, opts.toSimplified);
    this.negators = [...opts.lexicon.negators].sort((a, b) => b.length - a.length);
    this.hypothetical = opts.lexicon.hypothetical ?? [];
    this.past = opts.lexicon.past;
    this.present = opts.lexicon.present;
    this.model = opts.model ?? null;
  }

  get catalogueVersion(): number {
    return this.compiled.version;
  }
  normaliseText(text: string): string {
    return this.normalise(text);
  }

  /** The text before `index` in the same clause, at most `window` characters. */
  private before(text: string, index: number, window: number): string {
    let start = index;
    while (start > 0 && index - start < window && !CLAUSE_BREAK.test(text[start - 1]!)) start -= 1;
    return text.slice(start, index);
  }

  /** Is the match at `index` negated ("没有人受伤") or only a worry ("担心发生火灾")? */
  private negated(text: string, index: number): boolean {
    const near = this.before(text, index, NEGATION_WINDOW);
    if (this.negators.some((n) => near.includes(n))) return true;
    const clause = this.before(text, index, HYPOTHETICAL_WINDOW);
    return this.hypothetical.some((h) => clause.includes(h));
  }

  /** The first match of any of `patterns` that is not negated (negation checked only when asked). */
  private find(text: string, patterns: RegExp[], negatable: boolean): string | null {
    for (const p of patterns) {
      p.lastIndex = 0;
      for (let m = p.exec(text); m; m = p.exec(text)) {
        if (!negatable || !this.negated(text, m.index)) return m[0];
        if (m[0].length === 0) p.lastIndex += 1;
      }
    }
    return null;
  }

  triage(input: TriageInput): TriageOutcome | TriageError {
    const id = typeof input.id === 'string' || typeof input.id === 'number' ? String(input.id) : null;
    const problem = checkText(input.text);
    if (problem) return { id, error: problem };
    const channel = typeof input.channel === 'string' ? input.channel : null;
    const text = this.normalise(input.text as string);
    const reasons: string[] = [];

    const hasPast = this.past.find((w) => text.includes(w)) ?? null;
    const hasPresent = this.present.find((w) => text.includes(w)) ?? null;
    const toldInPast = hasPast !== null && hasPresent === null;

    const matches: Match[] = [];
    for (const ce of this.compiled.entries) {
      const e = ce.entry;
      const evidence = this.find(text, ce.patterns, e.negatable ?? false);
      if (!evidence) continue;
      if (ce.context.length && !this.find(text, ce.context, false)) continue;
      if (ce.exclude.length && this.find(text, ce.exclude, false)) continue;
      matches.push({ entry: ce, evidence });
    }
    const of = (kind: CatalogueEntry['kind']) => matches.filter((m) => m.entry.entry.kind === kind);
    const cite = (m: Match) => `${m.entry.entry.name}〔${m.entry.entry.code}〕：“${m.evidence}”`;

    // Dangers told in the past are not emergencies; a past crime is still police business.
    const dangers = of('danger').filter((m) => {
      if (m.entry.entry.pastSensitive && toldInPast) {
        reasons.push(`${cite(m)} 但含过去时间“${hasPast}”且无正在发生的表述，不按紧急情况处理`);
        return false;
      }
      return true;
    });
    const pastPolice = of('danger').filter((m) => !dangers.includes(m) && m.entry.entry.route === '110');
    const urgents = of('urgent');
    const urgentKind = urgents[0]?.entry.entry.urgentKind ?? null;

    const outcome = (
      route: Route,
      o: Partial<TriageOutcome> & { category: string; confidence: number },
    ): TriageOutcome => ({
      id,
      route,
      emergency: false,
      urgent: false,
      urgentKind: null,
      linked: [],
      needsConsultation: false,
      guidance: null,
      catalogueVersion: this.compiled.version,
      modelVersion: this.model?.version ?? null,
      reasons,
      ...o,
    });
    const withUrgent = (o: TriageOutcome, extra?: Match[]): TriageOutcome => {
      const rescue = extra?.find((m) => m.entry.urgentIf && this.find(text, [m.entry.urgentIf], false));
      if (urgents.length) {
        reasons.push(`紧急工单：${urgents.map(cite).join('；')}`);
        return { ...o, urgent: true, urgentKind };
      }
      if (rescue) {
        reasons.push(`紧急工单（应急救援）：${rescue.entry.entry.name}，并有救助需求`);
        return { ...o, urgent: true, urgentKind: 'emergency_rescue' };
      }
      return o;
    };

    if (dangers.length) {
      const routes = new Set<Route>();
      const linked = new Set<Route>();
      for (const m of dangers) {
        routes.add(m.entry.entry.route);
        for (const r of m.entry.entry.linked ?? []) linked.add(r);
        for (const [p, r] of m.entry.linkedIf) {
          const ev = this.find(text, [p], true);
          if (ev) {
            linked.add(r);
            reasons.push(`“${ev}”：同时通知${ROUTE_NAMES[r]}`);
          }
        }
      }
      const primary = EMERGENCY_PRECEDENCE.find((r) => routes.has(r))!;
      for (const r of routes) linked.add(r);
      linked.delete(primary);
      reasons.unshift(`危险情形，须立即处置：${dangers.map(cite).join('；')}`);
      if (primary === '110' && routes.size > 1) reasons.push('涉及警情，由110派警先行处置，其他力量联动');
      const top = dangers.find((m) => m.entry.entry.route === primary)!;
      return withUrgent(
        outcome(primary, {
          emergency: true,
          linked: [...linked],
          category: top.entry.entry.category,
          confidence: 0.95,
        }),
        dangers,
      );
    }

    // The model may raise an emergency the rules did not see; it never clears one. It is heard when no
    // rule, or only a 12345 keyword, decided.
    const prediction = this.model?.predict(text) ?? null;
    const strongRule = matches.some((m) => m.entry.entry.kind !== 'hotline');
    if (
      prediction &&
      !strongRule &&
      EMERGENCY_ROUTES.has(prediction.route) &&
      prediction.routeP >= 0.7 &&
      prediction.emergencyP >= 0.9
    ) {
      reasons.push(
        `清单未识别出危险，但模型判断可能存在危险：${ROUTE_NAMES[prediction.route]}（去向把握 ${(prediction.routeP * 100).toFixed(0)}%，危险 ${(prediction.emergencyP * 100).toFixed(0)}%），按紧急情况处理`,
      );
      return withUrgent(
        outcome(prediction.route, {
          emergency: true,
          category: prediction.route === '110' ? 'public_help' : 'emergency_help',
          confidence: +Math.min(prediction.routeP, 0.8).toFixed(2),
        }),
      );
    }

    const boundary = of('boundary')[0];
    if (boundary) {
      const e = boundary.entry.entry;
      reasons.push(`职责交叉事项，按会商清单由${ROUTE_NAMES[e.route]}受理，需三方协商确认：${cite(boundary)}`);
      return withUrgent(
        outcome(e.route, {
          linked: e.linked ?? [],
          category: e.category,
          confidence: 0.6,
          needsConsultation: e.needsConsultation ?? true,
        }),
      );
    }

    const police = [...of('police'), ...pastPolice];
    if (police.length) {
      const p = police[0]!;
      reasons.push(`属于110受理范围（非紧急）：${police.map(cite).join('；')}`);
      return withUrgent(outcome('110', { category: p.entry.entry.category, confidence: 0.9 }));
    }

    const diversion = of('diversion')[0];
    if (diversion) {
      const e = diversion.entry.entry;
      const route = (channel && e.channelRoute?.[channel]) || e.route;
      const linked = (channel && e.linkedByChannel?.[channel]) || e.linked || [];
      reasons.push(`非警务事项，分流至${ROUTE_NAMES[route]}：${cite(diversion)}`);
      if (channel === '110') reasons.push('110接报的非警务事项，按分流机制转交');
      return withUrgent(
        outcome(route, { linked, category: route === '12345' ? 'JCZL01' : e.category, confidence: 0.85 }),
      );
    }

    if (urgents.length) {
      return withUrgent(outcome('12345', { category: urgents[0]!.entry.entry.category, confidence: 0.9 }));
    }

    const guide = of('guidance')[0];
    if (guide) {
      const e = guide.entry.entry;
      reasons.push(`不属于12345和110受理范围，做好引导解释：${cite(guide)}`);
      return outcome('guidance', { category: e.category, confidence: 0.8, guidance: e.guidance ?? null });
    }

    const hotline = of('hotline');
    if (hotline.length) {
      const h = hotline[0]!;
      reasons.push(`属于12345受理范围：${hotline.slice(0, 3).map(cite).join('；')}`);
      if (channel === '110') reasons.push('110接报的非警务事项，转12345办理');
      return outcome('12345', {
        linked: h.entry.entry.linked ?? [],
        category: h.entry.entry.category,
        confidence: 0.85,
      });
    }

    if (prediction) {
      const route = prediction.routeP >= 0.5 ? prediction.route : '12345';
      const emergency = EMERGENCY_ROUTES.has(route) && prediction.emergencyP >= 0.9;
      reasons.push(
        `清单未命中，模型判断：${ROUTE_NAMES[prediction.route]}（${(prediction.routeP * 100).toFixed(0)}%）${route !== prediction.route ? '，把握不足，默认12345' : ''}`,
      );
      if (emergency)
        reasons.push(`模型判断可能存在危险（${(prediction.emergencyP * 100).toFixed(0)}%），按紧急情况处理`);
      return outcome(route, {
        emergency,
        category: route === '12345' ? 'QTSX01' : route === '110' ? 'public_help' : 'non_police',
        confidence: +Math.min(prediction.routeP, 0.8).toFixed(2),
      });
    }
    reasons.push('清单未命中，默认由12345受理');
    return outcome('12345', { category: 'QTSX01', confidence: 0.3 });
  }
}
