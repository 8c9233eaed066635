/**
 * The triage engine: the plan's policy over the jurisdiction catalogue, reading what happened, when,
 * and to whom, with the learned model beside it. A request passes these steps, in order (STEPS below):
 *
 * 1. read: check the text; normalise (full-width, traditional, dialect, typos); clean (intake
 *    boilerplate, masks, header timestamps); split into sentences and clauses on word boundaries;
 * 2. find events: every catalogue word in each clause, with the clause's modality — now, past,
 *    habitual, hypothetical, negated, a question — and whether the event is over;
 * 3. danger now: a danger to life, body, property or public safety told as happening now or just now
 *    (a property-only event only while it is going on) → 110 (or 119 / 120 / utility, the others
 *    linked), emergency; 110 goes first when police are needed ("由110派警先行处置",
 *    渝府办发〔2022〕130号 二(二)1);
 * 4. weigh jurisdiction: every other entry scored by its evidence (events outweigh places, a title and
 *    a request outweigh back-story), in the plan's order of precedence — police business (110),
 *    matters agreed as shared (协商), non-police matters (综治中心, 挪车), neither desk's (引导解释),
 *    12345's — with the model's calibrated view added where it is in its depth; the best wins;
 * 5. model's danger: the model may raise an emergency the rules did not see; it never clears one;
 * 6. urgent channel: 重症救治, 孕检生产, 应急救援 → urgent work order (二(三)7);
 * 7. linked: other bodies to notify; a 110 matter with a 12345 side links 12345 (联合调处, 二(二)2);
 * 8. review: a person must look when the model was out of its depth and no event decided, or when the
 *    model confidently disagrees;
 * 9. word for the desk: a 12345 call-taker is told where to transfer, a 110 dispatcher whether to
 *    dispatch (派警) or divert (分流).
 */
import { fail, ok } from '../shared/result.ts';
import {
  compileCatalogue,
  scan,
  type CompiledCatalogue,
  type CompiledEntry,
  type Hit,
  type Modality,
  type Scan,
} from './catalogue.ts';
import { checkText } from './normalize.ts';
import type { ModelPrediction, TriageModel } from './model.ts';
import { Reader, type Reading, type TriageSegmenter } from './reading.ts';
import {
  EMERGENCY_PRECEDENCE,
  EMERGENCY_ROUTES,
  ROUTE_NAMES,
  isV2Entry,
  type Catalogue,
  type CatalogueEntry,
  type CatalogueEntryV2,
  type EntryKind,
  type Harm,
  type Lexicon,
  type Route,
  type TriageDesk,
  type TriageInput,
  type TriageOutcome,
  type TriageResult,
  type TriageUrgentKind,
} from './types.ts';

export interface EngineOptions {
  catalogue: Catalogue;
  lexicon: Lexicon;
  segment: TriageSegmenter;
  toSimplified?: (s: string) => string;
  model?: TriageModel | null;
  desk?: TriageDesk;
}

/** What each kind of entry is worth, by how its clause tells it. */
const MODALITY_FACTOR: Record<EntryKind, Record<Modality, number>> = {
  danger: { now: 1, past: 1, habitual: 0.9, hypothetical: 0, negated: 0, consult: 0.5 },
  police: { now: 1, past: 1, habitual: 0.9, hypothetical: 0, negated: 0, consult: 0.5 },
  boundary: { now: 1, past: 0.8, habitual: 1, hypothetical: 0.3, negated: 0, consult: 0.8 },
  diversion: { now: 1, past: 0.9, habitual: 0.9, hypothetical: 0.3, negated: 0, consult: 0.8 },
  urgent: { now: 1, past: 1, habitual: 0.9, hypothetical: 0.5, negated: 0, consult: 0.8 },
  guidance: { now: 1, past: 1, habitual: 1, hypothetical: 0.5, negated: 0, consult: 1 },
  hotline: { now: 1, past: 1, habitual: 1, hypothetical: 1, negated: 0.5, consult: 1 },
};
/** The plan's order of precedence among matters that are not a danger now (二(二)1). */
const KIND_PRIORITY: Record<EntryKind, number> = {
  danger: 1.3,
  police: 1.3,
  boundary: 1.2,
  diversion: 1.1,
  // An urgent entry weighed as whose matter it is (12345's urgent order): below any other entry told
  // as strongly, which names the body better.
  urgent: 0.95,
  guidance: 1,
  hotline: 1,
};
const CUE_WEIGHT = 0.35;
/** An event, not only a place or an object: evidence that decides. */
const DECIDES = 0.9;
/** How much the model's probability adds to a route's score when it is in its depth. */
const MODEL_WEIGHT = 0.6;
/** A text longer than this (body characters) is judged by its title, request and present situation. */
const LONG_TEXT = 200;
/** Words of a title that names a topic, a suggestion or a question rather than an event. */
const TOPIC_TITLE =
  /建议|倡议|呼吁|宣传|防范|提醒|关于|问题|咨询|请问|如何|怎么|怎样|求助|意见|投诉|反映|能否|可否|是否/;
const TIP_OFF = /举报|检举|揭发/;
/** A letter that asks someone to find out what is going on ("希望有关部门去看一下到底是在做啥子"): a tip-off. */
const INVESTIGATE = /查一下|查查|去看一下|来看一下|调查|查处|核查|查清|彻查|到底在做|到底是在做|在干什么|在做什么/;
/**
 * A request addressed to a non-police body ("要求市场监管部门处理", "请城管管一下", "请物业来修"): the
 * caller asks an agency to act on the matter, so police words in the story are its back-story (a
 * complaint about a taxi driver, a shop that "cheats", a landlord who is "a swindler"). A request to the
 * police in the same clause ("希望交巡警加强巡查") is not one.
 */
// Not "有关部门", "相关部门", "职能部门": they include the police ("希望有关部门去看一下到底在做啥子" after signs of
// drug use is a tip-off).
const ASKS_AGENCY =
  /(?:要求|请求|恳请|希望|建议|麻烦|请|能不能让|可不可以让|能否让)[^，,。！？!?；;\n]{0,12}?(市场监管|监管部门|城管|住建|劳动监察|人社|社区|街道|物业|主管部门|政府|烟草|税务|卫健|教委|教育局|交通局|交委|运管|环保|生态环境|渔政|文旅|消协|消委会|电力公司|供电|燃气公司|自来水公司|商家|平台)/g;
/** A request that names the police, or holds the body to account rather than asks it ("要求追究物业责任"). */
const POLICE_BODY = /警|派出所|公安|110|追究|起诉/;
/**
 * The caller asks the police to find out or act ("请警方帮忙查一下这个人", "请公安部门调查"): police
 * business however the story is told. Asking traffic police to manage parking is not ("希望交巡警加强管理").
 */
const ASKS_POLICE_TO_INVESTIGATE =
  /(?:请|要求|希望|麻烦|恳请|请求)[^，,。！？!?；;\n]{0,6}?(?:警方|公安|派出所|民警|警察)[^，,。！？!?；;\n]{0,8}?(?:调查|查一下|查查|查处|查清|彻查|立案|抓)/;
/** A police record: the desk's own account of a report and of what officers did. */
const POLICE_RECORD = /报警人|民警|接警|出警|处警|警情/;
/** Police business in a text whose request goes to another body counts this much. */
const ELSEWHERE = 0.35;

/** The non-police body the text's request goes to (and none to the police), or null. */
function agencyAsked(r: Reading): string | null {
  const body = r.text.slice(r.titleEnd);
  let found: string | null = null;
  for (const m of body.matchAll(ASKS_AGENCY)) {
    if (POLICE_BODY.test(m[0])) return null;
    found ??= m[1]!;
  }
  return found && !/(?:请|要求|希望|麻烦)[^，,。！？!?；;\n]{0,8}?(?:警察|民警|派出所|公安|110|出警)/.test(body)
    ? found
    : null;
}
/** Does the text's request go to a non-police body (and none to the police)? */
const asksAnotherBody = (r: Reading): boolean => agencyAsked(r) !== null;
/** Where the call-taker sends a police matter that is over when the caller asks where to take it. */
const POLICE_REFERRAL = '已经发生的警务事项：告知来电人到辖区派出所报案或咨询办理进度；如有正在发生的危险，立即拨打110';

interface Candidate {
  route: Route;
  kind: EntryKind;
  entry: CompiledEntry | null;
  score: number;
  evidence: Hit[];
}

/** What the steps build, step by step. */
class Draft {
  reading!: Reading;
  scan!: Scan;
  long = false;
  private predicted: ModelPrediction | null | undefined;
  /** The model's view, asked for only when a step needs it (a danger now decides without it). */
  predictionOf(e: TriageEngine): ModelPrediction | null {
    if (this.predicted === undefined) this.predicted = e.model ? e.model.predict(this.reading) : null;
    return this.predicted;
  }
  reasons: string[] = [];
  route: Route | null = null;
  emergency = false;
  decidedBy: 'danger' | 'rules' | 'model' | 'default' | null = null;
  winner: Candidate | null = null;
  category = 'QTSX01';
  confidence = 0.3;
  linked = new Set<Route>();
  urgentKind: TriageUrgentKind | null = null;
  needsConsultation = false;
  guidance: string | null = null;
  review = false;
  dangers: Hit[] = [];
  /** Cries for help in a written message that tells of no danger (step 3): figures of speech. */
  figurativeCries: Hit[] = [];
  /** Cries for help beside the matter they cry about (step 3): that matter decides. */
  explainedCries: Hit[] = [];
  scores = new Map<CompiledEntry, { score: number; hits: Hit[] }>();
  constructor(
    readonly text: string,
    readonly title: string | null,
    readonly channel: string | null,
    readonly desk: TriageDesk,
  ) {}
}

type Step = (d: Draft, e: TriageEngine) => void;

const kindOf = (ce: CompiledEntry) => ce.entry.kind;
const harmOf = (ce: CompiledEntry): Harm => (isV2Entry(ce.entry) ? (ce.entry.harm ?? 'person') : 'person');

export class TriageEngine {
  readonly compiled: CompiledCatalogue;
  readonly reader: Reader;
  readonly model: TriageModel | null;
  readonly desk: TriageDesk;

  constructor(opts: EngineOptions) {
    this.compiled = compileCatalogue(opts.catalogue, opts.lexicon);
    this.reader = new Reader(opts.lexicon, opts.segment, opts.toSimplified);
    this.model = opts.model ?? null;
    this.desk = opts.desk ?? 'hotline';
  }

  get catalogueVersion(): number {
    return this.compiled.version;
  }
  /** The text as the rules and the model read it (normalised and cleaned). */
  normaliseText(text: string): string {
    return this.reader.cleanText(text);
  }
  read(text: string, title: string | null = null): Reading {
    return this.reader.read(text, title);
  }

  cite(h: Hit): string {
    return `${h.entry.entry.name}〔${h.entry.entry.code}·清单第${this.compiled.version}版〕：“${h.text}”`;
  }

  triage(input: TriageInput, opts: { desk?: TriageDesk } = {}): TriageResult {
    const id = typeof input.id === 'string' || typeof input.id === 'number' ? String(input.id) : null;
    const problem = checkText(input.text);
    if (problem) return { ...fail(problem.code, problem.message), id };
    const title = typeof input.title === 'string' && input.title.trim() ? input.title : null;
    const channel = typeof input.channel === 'string' ? input.channel : null;
    const d = new Draft(input.text as string, title, channel, opts.desk ?? this.desk);
    for (const step of STEPS) step(d, this);
    const route = d.route ?? '12345';
    d.linked.delete(route);
    const outcome: TriageOutcome = {
      id,
      route,
      emergency: d.emergency,
      urgent: d.urgentKind !== null,
      urgentKind: d.urgentKind,
      linked: [...d.linked],
      category: d.category,
      confidence: +d.confidence.toFixed(2),
      needsConsultation: d.needsConsultation,
      review: d.review,
      reasons: d.reasons,
      guidance: d.guidance,
      catalogueVersion: this.compiled.version,
      modelVersion: this.model?.version ?? null,
    };
    return { ...ok(outcome), id };
  }
}

// ---------------------------------------------------------------------------------------------------
// The steps

/** Step 1: normalise, clean, split into clauses on word boundaries (the model reads it when asked). */
const readRequest: Step = (d, e) => {
  d.reading = e.reader.read(d.text, d.title);
  d.long = d.reading.bodyLength > LONG_TEXT;
};

/** Step 2: every catalogue word in each clause, with its modality. */
const findEvents: Step = (d, e) => {
  d.scan = scan(e.compiled, d.reading);
};

/** Step 3: a danger told as happening now or just now. */
/**
 * After an illness or an injury word, in its sentence, the caller says no one was hurt ("把老人甩倒了，
 * 幸好没啥子大事，老人自己起来了", "擦破点皮，自己说不需要救护车"): what the word told did not come to harm. A
 * question ("没事吧？") asks.
 */
const HARM_DENIED =
  /(?:没有?|未|并无|无)(?:什么|啥)?(?:大事|大碍|受伤|伤到|伤着|伤人)(?![吧吗呢？?])|无大碍|并无大碍|人(?:都|也|倒是)?没(?:有)?(?:什么|啥)?事(?![吧吗呢？?])|自己(?:爬|站)?起来了|(?:不需要|不用|不要)(?:叫|喊)?救护车/;
/** Animals and people, as the one an illness or injury word is about (the last named before it). */
const ANIMAL = /(?:狗|猫|鸟|宠物|犬|鸽子|鸡|鸭|鹅|牛|羊|猪|兔)/g;
const PERSON =
  /(?:人|我|你|他|她|孩子|小孩|娃|儿子|女儿|宝宝|婴儿|老人|大爷|大妈|阿姨|叔|爷|奶|妈|爸|老公|老婆|公公|婆婆|工人|司机|学生|孕妇|病人|患者|伤者|男的|女的|小伙|姑娘)/g;
const lastIndex = (re: RegExp, s: string) => {
  let at = -1;
  for (const m of s.matchAll(re)) at = m.index;
  return at;
};

/**
 * A danger to a person that harmed no one: after an illness or injury word (a 120 danger) the caller says
 * no one was hurt; or the word is about an animal ("流浪狗好像腿断了", "猫…下不来了"), not a person (a bite
 * is a person's injury).
 */
function harmlessToPeople(d: Draft, h: Hit): 'denied' | 'animal' | null {
  if (harmOf(h.entry) !== 'person') return null;
  const text = d.reading.text;
  const cl = d.reading.clauses[h.clause]!;
  // "No one hurt" calms an illness or injury word only; a person trapped or lost is in danger unhurt.
  // An animal stuck or hurt ("猫…下不来了") is no person's danger, whoever's line it is.
  if (h.entry.entry.route === '120') {
    const sentenceEnd = d.reading.clauses.filter((c) => c.sentence === cl.sentence).at(-1)!.end;
    if (HARM_DENIED.test(text.slice(h.end, sentenceEnd))) return 'denied';
    if (/[咬叮蜇抓]/.test(h.text)) return null;
  }
  // The one it is about is the last named before it in its sentence ("小狗儿掉到下水道口子里头去了，卡在里面").
  const sentenceStart = d.reading.clauses.find((c) => c.sentence === cl.sentence)!.start;
  const before = text.slice(sentenceStart, h.start);
  const animal = lastIndex(ANIMAL, before);
  return animal >= 0 && animal > lastIndex(PERSON, before) ? 'animal' : null;
}

/** Things a vehicle may knock askew, as the one a collision word is about ("站牌被撞歪了"). */
const FIXTURE =
  /(?:站牌|护栏|栏杆|隔离栏|隔离带|路灯|灯杆|电线杆|电杆|路牌|指示牌|标志牌|广告牌|红绿灯|信号灯|树|墙|大门|卷帘门|垃圾桶|井盖|桥墩|石墩|花坛|柱子|消防栓|岗亭|报刊亭|围挡)/g;
/**
 * A fixture knocked askew ("站牌被撞歪了，好久了没人修"): a thing's damage, done, reported for repair;
 * no one is in danger unless someone is hurt.
 */
function fixtureDamaged(d: Draft, h: Hit): boolean {
  if (harmOf(h.entry) === 'person' || !h.text.includes('撞')) return false;
  const text = d.reading.text;
  const after = text.slice(h.end, h.end + 2);
  if (!/[歪坏烂断倒凹弯裂塌掉翻]$/.test(h.text) && !/^[歪坏烂断倒凹弯裂塌掉翻]/.test(after)) return false;
  const before = text.slice(d.reading.clauses[h.clause]!.start, h.start);
  const thing = lastIndex(FIXTURE, before);
  if (thing >= 0 && thing > lastIndex(PERSON, before)) return true;
  // The fixture named after, as what the damage describes ("被撞坏的护栏到现在都没修").
  const rest = text.slice(h.end, d.reading.clauses[h.clause]!.end);
  const m = /^[歪坏烂断倒凹弯裂塌掉翻]{0,2}了?的/.exec(rest);
  return m !== null && new RegExp(`^${FIXTURE.source}`).test(rest.slice(m[0].length));
}

/** The parties are apart now: separated by others, or each gone home. */
const SEPARATED = /各自(?:回|走|散)|(?:已|被)[^，,。！？!?；;]{0,8}(?:劝开|拉开|分开)|(?:劝开|拉开|分开)了/;

/** Is the event told, later in its sentence, as separated (the parties apart now)? */
function separatedAfter(d: Draft, h: Hit): boolean {
  const cl = d.reading.clauses[h.clause]!;
  let end = cl.end;
  for (const c of d.reading.clauses) if (c.sentence === cl.sentence) end = Math.max(end, c.end);
  return SEPARATED.test(d.reading.text.slice(h.end, end));
}

/** Words that say only that a person cannot move. */
const MOBILITY = /^(?:走不动|动不了|起不来|站不起来|爬不起来)了?$/;

/** Any 12345 channel: the hotline's phone line, the web, its chat, app and text messages. */
const onHotlineLine = (channel: string | null) =>
  channel === '12345' || channel === 'phone_12345' || (channel !== null && WRITTEN.has(channel));

/** Written channels: a letter, a chat message, a text; no one shouts in them. */
const WRITTEN = new Set(['web', 'wechat', 'app', 'sms', 'email']);
/** A cry for help, and nothing else ("救命啊", "求救"). */
const CRY = /^(?:大?喊)?(?:救命|求救|呼救)啊?$/;
/** After a cry, a demonstrative naming what it is about ("救命啊这个物业", "救命哦！这个破电梯"). */
const CRY_ABOUT = /^[啊呀哦哟噢嘛啦了]*[，,！!。~～\s]*(?:这个|这些|这种|这家|这帮|这群|那个|这)/;
/** How long a written message must be for a lone cry in it to read as a figure of speech. */
const FIGURATIVE_CRY_LENGTH = 40;

/** Is this word a danger happening now or just now (step 3's test)? */
function isDangerNow(d: Draft, h: Hit, hurtNow: boolean): boolean {
  if (h.role !== 'term' || kindOf(h.entry) !== 'danger' || h.modality !== 'now' || h.outcome) return false;
  if (harmlessToPeople(d, h)) return false;
  if (fixtureDamaged(d, h) && !hurtNow) return false;
  const harm = harmOf(h.entry);
  if (harm === 'property' && (!h.ongoing || h.completed) && !hurtNow) return false;
  if (harm === 'public' && h.completed && !h.ongoing && !hurtNow) return false;
  // A quarrel that came to blows and has been separated ("刚刚还推了两把，现在各自回屋了"; "现在被旁边的
  // 人劝开了"), no one hurt now, is a dispute for the police to look at, not a fight going on.
  if (harm === 'person' && h.entry.entry.route === '110' && !hurtNow && separatedAfter(d, h)) return false;
  if (d.scan.calmed.has(h.entry) && !hurtNow) return false;
  // A long text's back-story does not make an emergency: the title, the request or a clause of its
  // sentence that says "now" must.
  const cl = d.reading.clauses[h.clause]!;
  if (d.long && !cl.title && !h.request && !h.ongoing && !h.toldNow && !d.scan.presentSentences.has(cl.sentence))
    return false;
  // A question after it that says the event is over ("谁来赔", "要不要报警") makes it back-story.
  if (overBeforeQuestion(d, h)) return false;
  return true;
}

/** Is the danger word told before a question about redress, and not as going on? */
function afterTheFact(d: Draft, h: Hit): boolean {
  const cl = d.reading.clauses[h.clause]!;
  return d.scan.redressSentence >= 0 && cl.sentence <= d.scan.redressSentence && !h.ongoing && !h.toldNow;
}

/**
 * Is the danger word told before a question that says the event is over (who pays, "要不要报警"), and
 * not as going on? Asking only who handles it ("这个婆婆的事要找哪个") leaves a danger a danger.
 */
function overBeforeQuestion(d: Draft, h: Hit): boolean {
  const cl = d.reading.clauses[h.clause]!;
  return d.scan.overSentence >= 0 && cl.sentence <= d.scan.overSentence && !h.ongoing && !h.toldNow;
}

const dangerNow: Step = (d, e) => {
  // Someone hurt now keeps an event that is otherwise over an emergency ("撞倒了收费员，车子跑了").
  let hurtNow = d.scan.linkedIf.some((l) => l.route === '120');
  for (const h of d.scan.hits)
    if (
      !hurtNow &&
      h.role === 'term' &&
      kindOf(h.entry) === 'danger' &&
      h.entry.entry.route === '120' &&
      h.modality === 'now' &&
      !h.outcome &&
      !harmlessToPeople(d, h)
    )
      hurtNow = true;
  d.dangers = [];
  for (const h of d.scan.hits) if (isDangerNow(d, h, hurtNow)) d.dangers.push(h);
  // A cry for help beside what it cries about ("救命啊！卫生间的水管爆了") is that matter's: the other
  // danger, or the urgent repair, decides the line, not the cry.
  const cries = d.dangers.filter((h) => CRY.test(h.text));
  if (
    cries.length &&
    d.scan.hits.some(
      (h) =>
        h.role === 'term' &&
        !cries.includes(h) &&
        !CRY.test(h.text) &&
        (d.dangers.includes(h) || (kindOf(h.entry) === 'urgent' && h.modality === 'now')),
    )
  ) {
    d.reasons.push(`${e.cite(cries[0]!)}：呼救所为之事另有所述，按所述事项处理`);
    d.explainedCries = cries;
    d.dangers = d.dangers.filter((h) => !cries.includes(h));
  }
  // A cry that names what it cries about ("救命啊这个物业！电梯坏了三个礼拜", "救命哦，这个政策…") is an
  // exclamation about that thing: when what it names is a 12345 matter told in the same or the next
  // sentence, and nothing else is a danger, it is read for that matter.
  if (d.dangers.length && d.dangers.every((h) => CRY.test(h.text))) {
    const text = d.reading.text;
    const about = d.dangers.filter((h) => {
      if (!CRY_ABOUT.test(text.slice(h.end, h.end + 12))) return false;
      const s = d.reading.clauses[h.clause]!.sentence;
      return d.scan.hits.some(
        (x) =>
          x.role === 'term' &&
          kindOf(x.entry) === 'hotline' &&
          x.start >= h.end &&
          d.reading.clauses[x.clause]!.sentence - s <= 1,
      );
    });
    if (about.length === d.dangers.length) {
      d.reasons.push(`${e.cite(about[0]!)}：感叹所指为所述事项，未述及正在发生的危险，不按紧急情况处理`);
      d.figurativeCries = about;
      d.dangers = [];
    }
  }
  // A written message (a complaint, a letter) that cries for help and tells of no danger besides
  // ("…到底要协调到哪年。救命啊") uses the cry as a figure of speech: it is read for what it asks.
  if (
    d.dangers.length &&
    d.channel !== null &&
    WRITTEN.has(d.channel) &&
    d.reading.bodyLength >= FIGURATIVE_CRY_LENGTH &&
    d.dangers.every((h) => CRY.test(h.text))
  ) {
    d.reasons.push(`${e.cite(d.dangers[0]!)}：书面留言中的感叹，未述及正在发生的危险，不按紧急情况处理`);
    d.figurativeCries = d.dangers;
    d.dangers = [];
  }
  // A title (or a heading in the body) sums a letter up; it tells no time of its own. A danger in the
  // title is one now only when the title says it is going on, or the body tells a danger now or says
  // "now" or "today".
  if (d.dangers.length && !d.scan.bodyToldNow) {
    const inTitle = (h: Hit) => d.reading.clauses[h.clause]!.title;
    if (d.dangers.every(inTitle)) d.dangers = d.dangers.filter((h) => h.ongoing);
  }
  // A danger told beside an urgent entry that takes it over (a hospital with no bed for a patient
  // already in its care) is that urgent order, not an emergency (step 6 raises the order).
  const sentenceOf = (h: Hit) => d.reading.clauses[h.clause]!.sentence;
  const deferring = d.scan.hits.filter(
    (h) =>
      h.role === 'term' &&
      kindOf(h.entry) === 'urgent' &&
      isV2Entry(h.entry.entry) &&
      h.entry.entry.defers?.length &&
      h.modality !== 'negated' &&
      h.modality !== 'hypothetical',
  );
  let deferredHits: Hit[] = [];
  if (deferring.length && d.dangers.length) {
    const deferred = d.dangers.filter((h) =>
      deferring.some(
        (u) =>
          sentenceOf(u) === sentenceOf(h) && (u.entry.entry as CatalogueEntryV2).defers!.includes(h.entry.entry.route),
      ),
    );
    if (deferred.length === d.dangers.length) {
      const u = deferring.find((x) => deferred.some((h) => sentenceOf(x) === sentenceOf(h)))!;
      d.reasons.push(`${e.cite(deferred[0]!)}：病人已在医疗机构，${e.cite(u)}，按紧急工单协调，不按紧急情况处理`);
      deferredHits = deferred;
      d.dangers = [];
    }
  }
  const told = d.scan.hits.filter(
    (h) =>
      h.role === 'term' &&
      kindOf(h.entry) === 'danger' &&
      !d.dangers.includes(h) &&
      !d.figurativeCries.includes(h) &&
      !d.explainedCries.includes(h) &&
      !deferredHits.some((x) => x.entry === h.entry),
  );
  const toldOnce = [
    ...new Map(told.filter((h) => !d.dangers.some((x) => x.entry === h.entry)).map((h) => [h.entry, h])).values(),
  ];
  for (const h of toldOnce.slice(0, 2)) {
    const why =
      h.modality === 'negated'
        ? '为否定表述'
        : h.modality === 'hypothetical'
          ? '为假设或担心，并未发生'
          : h.modality === 'habitual'
            ? '为长期或反复情况，非正在发生的险情'
            : h.modality === 'past' || h.outcome
              ? '为已经发生或已处置的事，现已无正在发生的危险'
              : overBeforeQuestion(d, h)
                ? '来电询问事后的责任或去向，事已过去'
                : h.modality === 'consult'
                  ? '为咨询'
                  : harmlessToPeople(d, h) === 'animal'
                    ? '所述为动物，并非人员伤病'
                    : d.scan.calmed.has(h.entry) || harmlessToPeople(d, h)
                      ? '无人受伤'
                      : h.completed
                        ? '事已结束（对方已离开或险情已消除）'
                        : d.reading.clauses[h.clause]!.title
                          ? '仅见于标题，标题和正文未表明正在发生'
                          : d.long
                            ? '出现在长文的经过叙述中，诉求和标题未表明正在发生'
                            : '仅涉及财物，且未表明正在进行';
    d.reasons.push(`${e.cite(h)}：${why}，不按紧急情况处理`);
  }
  if (!d.dangers.length) return;
  // "走不动了" beside an illness told by its symptoms ("胸口像石头压到起，一直出冷汗，走不动了") is what the
  // illness does to the person, not a place that holds them: the illness decides the line.
  if (d.dangers.some((h) => h.entry.entry.route === '120' && !MOBILITY.test(h.text))) {
    const held = d.dangers.filter((h) => h.entry.entry.route === '119');
    if (held.length && held.every((h) => MOBILITY.test(h.text))) d.dangers = d.dangers.filter((h) => !held.includes(h));
  }
  const routes = new Set(d.dangers.map((h) => h.entry.entry.route));
  const primary = EMERGENCY_PRECEDENCE.find((r) => routes.has(r))!;
  d.route = primary;
  d.emergency = true;
  d.decidedBy = 'danger';
  d.confidence = 0.95;
  const top = d.dangers.find((h) => h.entry.entry.route === primary)!;
  d.category = top.entry.entry.category;
  for (const r of routes) d.linked.add(r);
  for (const h of d.dangers) for (const r of h.entry.entry.linked ?? []) d.linked.add(r);
  // One word per entry to cite: the shortest (the plainest evidence).
  const byEntry = new Map<CompiledEntry, Hit>();
  for (const h of d.dangers) {
    const prev = byEntry.get(h.entry);
    if (!prev || h.end - h.start < prev.end - prev.start) byEntry.set(h.entry, h);
  }
  const uniq = [...byEntry.values()];
  d.reasons.unshift(`危险情形，正在发生或刚刚发生：${uniq.map((h) => e.cite(h)).join('；')}`);
  if (primary === '110' && routes.size > 1) d.reasons.push('涉及警情，由110派警先行处置，其他力量联动');
  for (const l of d.scan.linkedIf)
    if (uniq.some((h) => h.entry === l.entry) && !d.linked.has(l.route)) {
      d.linked.add(l.route);
      d.reasons.push(`“${l.text}”：同时通知${ROUTE_NAMES[l.route]}`);
    }
};

/** The matter was reported to the police before ("已经报案了", "当时已在派出所报案", "派出所处理过"). */
const REPORTED =
  /(?:已经?|早就?|当时(?:就|也)?|也)(?:在[^，。！？；\n]{0,8})?报(?:了|过)?(?:案|警)|报(?:了|过)(?:案|警)|(?:派出所|公安|民警|警察)(?:已经?|也)?(?:处理|调解|受理|立案)(?:了|过)|已经?立案|立了案|受案回执/;
const ASKS = /询问|想问|问一下|问问|咨询|请问|能不能|可不可以|能否|如何|怎么|怎样|督促|催促|催办|进展|进度/;
/**
 * Where a request that tells of a matter reported to the police before, and asks about it (its progress,
 * relief, compensation), says so: police business told up to there is back-story. −1 when it does not.
 */
function reportedUpTo(d: Draft): number {
  const text = d.reading.text;
  const m = REPORTED.exec(text);
  if (!m || !ASKS.test(text.slice(m.index))) return -1;
  return m.index + m[0].length;
}

/**
 * The first clause of the body that asks about a 12345 matter (a hotline word told as a question, "请问要办
 * 哪些手续", "能不能加装监控"), when no police word is told in it or after it as going on; −1 when none.
 */
function hotlineQuestionFrom(d: Draft, request = false): number {
  const asks = d.scan.hits.find(
    (h) =>
      kindOf(h.entry) === 'hotline' &&
      (request ? h.request && h.modality !== 'negated' : h.modality === 'consult') &&
      !d.reading.clauses[h.clause]!.title,
  );
  if (!asks) return -1;
  const police = (k: EntryKind) => k === 'police' || k === 'danger';
  if (
    d.scan.hits.some((h) => police(kindOf(h.entry)) && h.clause >= asks.clause && (h.modality === 'now' || h.ongoing))
  )
    return -1;
  return asks.clause;
}

/**
 * The last clause with a 12345 matter told as it stands now, with no police business told as going on
 * from there; -1 if none.
 */
function hotlineNowFrom(d: Draft): number {
  const now = d.scan.hits.filter(
    (h) =>
      kindOf(h.entry) === 'hotline' &&
      h.modality === 'now' &&
      (h.ongoing || h.toldNow) &&
      !d.reading.clauses[h.clause]!.title,
  );
  if (!now.length) return -1;
  const last = now[now.length - 1]!.clause;
  const police = (k: EntryKind) => k === 'police' || k === 'danger';
  if (d.scan.hits.some((h) => police(kindOf(h.entry)) && h.clause >= last && (h.modality === 'now' || h.ongoing)))
    return -1;
  return last;
}

/** Scores of every entry by its evidence (per clause the best word, summed over clauses). */
function entryScores(d: Draft): Draft['scores'] {
  const perClause = new Map<CompiledEntry, Map<number, { w: number; hit: Hit }>>();
  // A letter to the government (a web message, or a long text with a title) is no police report:
  // police business in it counts only when its title, its request or a clause told as going on says
  // it is happening now; the rest is back-story.
  const letter = d.channel === 'web' || (d.long && d.reading.titleEnd > 0);
  // A title that names a topic, a suggestion or a question ("电信诈骗宣传建议", "关于…的问题") reports no
  // event: police words in it are the subject of the letter.
  const topicTitle = letter && d.reading.titleEnd > 0 && TOPIC_TITLE.test(d.reading.text.slice(0, d.reading.titleEnd));
  // On the 110 line a caller asking for another body still tells the police an event (a record, not a
  // letter). Read only when there is police business to weigh.
  let elsewhere: boolean | null = d.channel === '110' || d.channel === 'phone_110' ? false : null;
  let reported: number | null = null;
  let asksAfter: number | null = null;
  let wants: number | null = null;
  let standsNow: number | null = null;
  let investigates: boolean | null = null;
  for (const h of d.scan.hits) {
    const kind = kindOf(h.entry);
    let f = MODALITY_FACTOR[kind][h.modality];
    const e = h.entry.entry;
    if (isV2Entry(e) && e.nowOnly && h.modality !== 'now') f = 0;
    if (isV2Entry(e) && e.channels && !(d.channel && e.channels.includes(d.channel))) f = 0;
    const police = kind === 'police' || kind === 'danger';
    // Signs of a crime in a letter that asks for them to be looked into are the letter's matter.
    const tipOff = kind === 'police' && e.category === 'tip_off' && (investigates ??= INVESTIGATE.test(d.reading.text));
    if (
      police &&
      letter &&
      !tipOff &&
      (h.modality !== 'now' ||
        h.outcome ||
        !((d.reading.clauses[h.clause]!.title && !topicTitle) || h.request || h.ongoing))
    )
      f = 0;
    // A fire or a burst pipe told later is not 119's or the utility's now (its aftermath is another
    // entry's); one that is over just now still is theirs to check.
    if (kind === 'danger' && e.route !== '110' && h.modality !== 'now') f = 0;
    // A near miss of an accident or an assault ("已险些相撞两次") is no event, but the hazard behind it is
    // the police's to look at, as a question is.
    if (kind === 'danger' && e.route === '110' && h.nearMiss) f = MODALITY_FACTOR.danger.consult;
    // An injury that harmed no one, or an animal's, is not 120's; a fixture knocked askew is a repair;
    // a written cry for help that tells of no danger is a figure of speech.
    if (
      kind === 'danger' &&
      (harmlessToPeople(d, h) || fixtureDamaged(d, h) || d.figurativeCries.includes(h) || d.explainedCries.includes(h))
    )
      f = 0;
    // The caller asks another body to act: police business not told as going on is back-story.
    if (police && !h.ongoing && (elsewhere ??= asksAnotherBody(d.reading))) f *= ELSEWHERE;
    // On a 12345 line, a past police event told before a question about a 12345 matter ("去年娃儿在学校被
    // 同学推倒过，现在想转学，请问要办哪些手续"; "上个月小区遭偷了，想问下能不能加装监控") is why the
    // caller asks, not what they report.
    if (
      police &&
      (h.modality === 'past' || h.modality === 'habitual') &&
      !h.ongoing &&
      !h.toldNow &&
      onHotlineLine(d.channel)
    )
      if ((asksAfter ??= hotlineQuestionFrom(d)) >= 0 && h.clause < asksAfter) f = 0;
      // …and so is one told beside what the message asks a 12345 body to do ("建议湖边加装路灯，上周听说
      // 有人在那里被抢了包"): a suggestion or a demand about a 12345 matter, anywhere in the message.
      // A habit ("每天晚上…筹码") is police business still going on, whatever the letter asks.
      else if (h.modality === 'past' && (wants ??= hotlineQuestionFrom(d, true)) >= 0) f = 0;
      // …and, in writing, a loss of property told as past before a 12345 matter told as it stands now
      // ("去年电瓶车在车棚遭偷了，到现在车棚都还没装监控，物业一直说在申请经费"): what is complained of is the
      // 12345 matter.
      else if (
        harmOf(h.entry) === 'property' &&
        d.channel !== null &&
        WRITTEN.has(d.channel) &&
        (standsNow ??= hotlineNowFrom(d)) >= 0 &&
        h.clause < standsNow
      )
        f = 0;
    // Reported to the police already, and now a question (its progress, relief, compensation): the
    // police matter is back-story; what is asked is the request.
    if (kind === 'police' && !h.ongoing && !h.toldNow && h.start < (reported ??= reportedUpTo(d))) f = 0;
    if (!f) continue;
    const cl = d.reading.clauses[h.clause]!;
    let w = f * (h.role === 'cue' ? CUE_WEIGHT : 1) * h.entry.weight;
    if (cl.title) w *= 2;
    else if (h.request) w *= 1.5;
    else if (police && d.long && (h.modality === 'past' || h.outcome)) w *= 0.5;
    const byClause = perClause.get(h.entry) ?? new Map();
    const prev = byClause.get(h.clause);
    // The strongest word of the clause; of equals, the shortest (the plainest evidence to cite).
    if (!prev || prev.w < w || (prev.w === w && h.end - h.start < prev.hit.end - prev.hit.start))
      byClause.set(h.clause, { w, hit: h });
    perClause.set(h.entry, byClause);
  }
  const out: Draft['scores'] = new Map();
  for (const [ce, byClause] of perClause) {
    const list = [...byClause.values()].sort((a, b) => b.w - a.w);
    // The best clause decides; more clauses add a little: repetition is not proof.
    const more = list.slice(1).reduce((s, x) => s + x.w, 0);
    out.set(ce, { score: list[0]!.w + Math.min(0.1 * more, 0.3), hits: list.map((x) => x.hit) });
  }
  return out;
}

const routeOfEntry = (e: CatalogueEntry, channel: string | null, modality: Modality): Route =>
  (channel && e.channelRoute?.[channel]) || (e.kind === 'danger' && modality !== 'now' ? '110' : e.route);

/** Step 4: every other entry weighed; the model adds its view where it is in its depth. */
const weighJurisdiction: Step = (d, e) => {
  d.scores = entryScores(d);
  if (d.emergency) return;
  const cands: Candidate[] = [];
  for (const [ce, s] of d.scores) {
    const kind = kindOf(ce);
    // An urgent entry (step 6's flag) also tells whose matter it is: 12345's urgent order, weighed
    // like the others (a manhole without its cover, a tree across the road, no one hurt).
    const route = routeOfEntry(ce.entry, d.channel, s.hits[0]!.modality);
    cands.push({
      route,
      kind: kind === 'danger' ? (route === '110' ? 'police' : 'danger') : kind,
      entry: ce,
      score: s.score * KIND_PRIORITY[kind],
      evidence: s.hits,
    });
  }
  cands.sort((a, b) => b.score - a.score);
  const best = new Map<Route, Candidate>();
  for (const c of cands) if (!best.has(c.route)) best.set(c.route, c);
  const p = d.predictionOf(e);
  const modelHeard = p && p.inDistribution;
  const total = new Map<Route, number>();
  for (const [r, c] of best) total.set(r, c.score);
  if (modelHeard) for (const { route, p: pr } of p.probs) total.set(route, (total.get(route) ?? 0) + MODEL_WEIGHT * pr);
  const ranked = [...total].sort((a, b) => b[1] - a[1]);
  // The caller asks a non-police body to act and tells no police matter as going on: the request is
  // the matter and the police words its back-story ("酒店扣着身份证不还……要求主管部门处理"), even with
  // no 12345 entry to outweigh them.
  // Not in a police record (what the police did, and to whom they referred the rest), nor in a letter
  // that also asks for the matter to be looked into (a theft ring in the garage: 请相关部门来查一下), nor
  // when a title or a clause tells the police matter as happening.
  // On a 12345 line only: on the 110 line the caller has come to the police.
  const asked =
    ranked[0]?.[0] === '110' &&
    onHotlineLine(d.channel) &&
    !POLICE_RECORD.test(d.reading.text) &&
    !INVESTIGATE.test(d.reading.text)
      ? agencyAsked(d.reading)
      : null;
  const police = best.get('110');
  const toldAsEvent = (h: Hit) => h.ongoing || h.toldNow || d.reading.clauses[h.clause]!.title;
  if (asked && police && !police.evidence.some(toldAsEvent)) {
    if (!best.has('12345')) {
      d.route = '12345';
      d.decidedBy = 'rules';
      d.confidence = 0.6;
      d.category = bestHotlineCategory(d);
      d.reasons.push(
        `来电人请${asked}处理，所述${e.cite(police.evidence[0]!)}为事情经过，并未正在发生，由12345受理并按分类派单`,
      );
      return;
    }
    const hotline = ranked.findIndex(([r]) => r === '12345');
    ranked.unshift([ranked.splice(hotline, 1)[0]![0], ranked[0]![1] + 0.01]);
  }
  // On a 12345 line, a caller who asks the police to investigate brings police business, whatever place
  // or object the story names (a threat sent online, someone selling personal data).
  const toPolice =
    ranked[0] && ranked[0][0] !== '110' && onHotlineLine(d.channel) && ASKS_POLICE_TO_INVESTIGATE.exec(d.reading.text);
  if (toPolice) {
    if (!best.has('110')) {
      d.route = '110';
      d.decidedBy = 'rules';
      d.confidence = 0.6;
      d.category = 'public_help';
      d.reasons.push(`来电人请警方调查（“${toPolice[0]}”），属于110受理范围（非紧急），建议转110受理`);
      return;
    }
    const at = ranked.findIndex(([r]) => r === '110');
    ranked.unshift([ranked.splice(at, 1)[0]![0], ranked[0]![1] + 0.01]);
  }
  const top = ranked[0];
  const ruleTop = cands[0];
  if (!top || (!ruleTop && (!modelHeard || p.routeP < 0.45))) {
    d.route = '12345';
    d.decidedBy = 'default';
    d.confidence = 0.3;
    d.reasons.push(
      p && !p.inDistribution
        ? '清单未命中，模型对此类文本把握不足，默认由12345受理，请人工复核'
        : p
          ? `清单未命中，模型判断把握不足（${ROUTE_NAMES[p.route]} ${(p.routeP * 100).toFixed(0)}%），默认由12345受理`
          : '清单未命中，默认由12345受理',
    );
    return;
  }
  const [route, score] = top;
  const ruleWinner = best.get(route) ?? null;
  const runner = ranked[1];
  d.route = route;
  d.winner = ruleWinner;
  const ruleDecides = !!ruleWinner && ruleWinner.score >= DECIDES;
  d.decidedBy = ruleDecides || (ruleWinner && !modelHeard) ? 'rules' : 'model';
  const margin = runner ? (score - runner[1]) / Math.max(score, 1) : 1;
  d.confidence = Math.min(0.95, 0.5 + 0.45 * margin);
  if (modelHeard && p.route === route) d.confidence = Math.max(d.confidence, Math.min(0.95, p.routeP * 0.95));

  if (ruleWinner) {
    const ce = ruleWinner.entry!;
    const en = ce.entry;
    d.category = en.category;
    const cites = ruleWinner.evidence
      .slice(0, 3)
      .map((h) => e.cite(h))
      .join('；');
    const byModel =
      d.decidedBy === 'model' ? `；模型判断 ${ROUTE_NAMES[p!.route]}（${(p!.routeP * 100).toFixed(0)}%）` : '';
    if (ruleWinner.kind === 'boundary') {
      d.needsConsultation = en.needsConsultation ?? true;
      for (const r of en.linked ?? []) d.linked.add(r);
      d.reasons.push(`职责交叉事项，按会商清单由${ROUTE_NAMES[route]}受理，需三方协商确认：${cites}${byModel}`);
    } else if (ruleWinner.kind === 'police') {
      d.reasons.push(`属于110受理范围（非紧急）：${cites}${byModel}`);
      if (ce.entry.kind === 'danger' && d.category === 'emergency_help') d.category = 'public_help';
    } else if (ruleWinner.kind === 'diversion') {
      for (const r of (d.channel && en.linkedByChannel?.[d.channel]) || en.linked || []) d.linked.add(r);
      if (route === '12345') d.category = 'JCZL01';
      d.reasons.push(`非警务事项，分流至${ROUTE_NAMES[route]}：${cites}${byModel}`);
    } else if (ruleWinner.kind === 'danger') {
      d.reasons.push(`险情已消除或无人受伤，仍由${ROUTE_NAMES[route]}核查：${cites}${byModel}`);
    } else if (ruleWinner.kind === 'guidance') {
      d.guidance = en.guidance ?? null;
      d.reasons.push(`不属于12345和110受理范围，做好引导解释：${cites}${byModel}`);
    } else if (ruleWinner.kind === 'urgent' && route !== '12345') {
      d.reasons.push(`需在数小时内处置，由${ROUTE_NAMES[route]}处理：${cites}${byModel}`);
    } else {
      for (const r of en.linked ?? []) d.linked.add(r);
      d.reasons.push(`属于12345受理范围：${cites}${byModel}`);
    }
  } else {
    d.category = route === '12345' ? bestHotlineCategory(d) : route === '110' ? 'public_help' : 'non_police';
    d.reasons.push(`清单未命中，模型判断：${ROUTE_NAMES[route]}（把握 ${(p!.routeP * 100).toFixed(0)}%）`);
  }
  // A caller on the 12345 line or the web asking where to take a police matter that is over ("我之前被人
  // 骗了…这个我找哪个？") needs to be told to go to the police, not a police car: guidance.
  if (
    route === '110' &&
    onHotlineLine(d.channel) &&
    (ruleWinner?.kind === 'police' || ruleWinner?.kind === 'danger') &&
    ruleWinner.evidence.every((h) => afterTheFact(d, h)) &&
    // A tip-off ("举报…") asks the police to act, whoever the caller asks.
    !TIP_OFF.test(d.reading.text)
  ) {
    d.route = 'guidance';
    d.category = 'non_police';
    d.guidance = POLICE_REFERRAL;
    d.reasons.push('来电询问已经发生的警务事项该找谁，做好引导：到辖区派出所报案或咨询');
    return;
  }
  if (route === '12345' && ruleWinner?.kind !== 'hotline' && ruleWinner?.kind !== 'boundary')
    d.category = bestHotlineCategory(d);
  const bestHotline = [...d.scores]
    .filter(([ce]) => kindOf(ce) === 'hotline')
    .sort((a, b) => b[1].score - a[1].score)[0];
  if (route === '12345' && ruleWinner?.kind === 'hotline' && bestHotline) d.category = bestHotline[0].entry.category;
};

function bestHotlineCategory(d: Draft): string {
  const best = [...d.scores].filter(([ce]) => kindOf(ce) === 'hotline').sort((a, b) => b[1].score - a[1].score)[0];
  return best ? best[0].entry.category : 'QTSX01';
}

/** Step 5: the model may raise an emergency the rules did not see; it never clears one. */
const modelDanger: Step = (d, e) => {
  if (d.emergency || d.long) return;
  const p = d.predictionOf(e);
  if (!p || !p.inDistribution) return;
  // The rules saw a danger word and read it as not happening now: that reading stands.
  if (d.scan.hits.some((h) => kindOf(h.entry) === 'danger' && h.role === 'term')) return;
  // So does a police event it read as over, its offender gone ("车窗被砸了……人早就跑了").
  if (d.scan.hits.some((h) => kindOf(h.entry) === 'police' && h.role === 'term' && h.completed && !h.ongoing)) return;
  if (!EMERGENCY_ROUTES.has(p.route) || p.routeP < 0.6 || p.emergencyP < 0.75) return;
  if (d.winner && d.winner.score >= DECIDES && d.winner.kind !== 'police') return;
  d.route = p.route;
  d.emergency = true;
  d.decidedBy = 'model';
  d.category = p.route === '110' ? 'public_help' : 'emergency_help';
  d.confidence = Math.min(p.routeP, 0.8);
  d.reasons.unshift(
    `清单未识别出危险，但模型判断可能存在危险：${ROUTE_NAMES[p.route]}（去向把握 ${(p.routeP * 100).toFixed(0)}%，危险 ${(p.emergencyP * 100).toFixed(0)}%），按紧急情况处理`,
  );
};

/** Step 6: 12345's urgent channel. */
const urgentChannel: Step = (d, e) => {
  const urgent = [...d.scores]
    .filter(([ce, s]) => kindOf(ce) === 'urgent' && s.score >= DECIDES)
    .sort((a, b) => b[1].score - a[1].score);
  if (urgent.length) {
    const [ce, s] = urgent[0]!;
    d.urgentKind = ce.entry.urgentKind ?? 'emergency_rescue';
    d.reasons.push(
      `紧急工单：${s.hits
        .slice(0, 2)
        .map((h) => e.cite(h))
        .join('；')}`,
    );
    // Relief needs after a danger that is over (洪水退了，缺吃的) are 12345's urgent order.
    if (!d.emergency && (d.route === '12345' || d.decidedBy === 'default' || d.winner?.kind === 'danger')) {
      d.route = '12345';
      d.category = ce.entry.category;
    }
    return;
  }
  const rescue = d.dangers.find((h) => d.scan.urgentIf.has(h.entry));
  if (rescue) {
    d.urgentKind = 'emergency_rescue';
    d.reasons.push(`紧急工单（应急救援）：${rescue.entry.entry.name}，并有救助需求`);
  }
};

/** Step 7: other bodies to notify. */
const linkedBodies: Step = (d) => {
  if (d.route !== '110') return;
  // 110 handling a matter with a 12345 side (wages, a dispute) hands that side to 12345 (联合调处, 二(二)2).
  const side = [...d.scores]
    .filter(([ce, s]) => (kindOf(ce) === 'hotline' || kindOf(ce) === 'diversion') && s.score >= DECIDES)
    .sort((a, b) => b[1].score - a[1].score)[0];
  if (side && (kindOf(side[0]) === 'hotline' || side[0].entry.route === 'governance_center')) {
    const r: Route = kindOf(side[0]) === 'hotline' ? '12345' : 'governance_center';
    if (!d.linked.has(r)) {
      d.linked.add(r);
      d.reasons.push(`同时涉及${side[0].entry.name}，转${ROUTE_NAMES[r]}联合调处`);
    }
  }
};

/** Step 8: when a person must look. */
const review: Step = (d, e) => {
  if (d.decidedBy === 'danger') return;
  const p = d.predictionOf(e);
  const eventDecided = !!d.winner && d.winner.score >= DECIDES;
  if (p && !p.inDistribution && !eventDecided) {
    d.review = true;
    return;
  }
  if (d.decidedBy === 'default') {
    d.review = true;
    return;
  }
  if (p && p.inDistribution && p.routeP >= 0.9 && p.route !== d.route && !d.emergency) {
    d.review = true;
    d.reasons.push(`模型判断为${ROUTE_NAMES[p.route]}（${(p.routeP * 100).toFixed(0)}%），与清单不一致，请人工复核`);
    return;
  }
  if (!eventDecided && d.confidence < 0.55) d.review = true;
};

/** Step 9: the wording for the desk that asks. */
const wordForDesk: Step = (d) => {
  const route = d.route ?? '12345';
  const dispatch = d.desk === 'dispatch';
  const linked = [...d.linked].filter((r) => r !== route);
  const also = linked.length ? `，同时联动${linked.map((r) => ROUTE_NAMES[r]).join('、')}` : '';
  let advice: string;
  if (d.emergency)
    advice = dispatch
      ? route === '110'
        ? `建议立即派警处置${also}`
        : `建议立即联动${ROUTE_NAMES[route]}处置${also}，需要时派警协助`
      : `应立即转${ROUTE_NAMES[route]}处置${also}（不得进入普通工单队列）`;
  else if (route === '110') advice = dispatch ? `属于警务事项，建议受理并视情派警${also}` : `建议转110受理${also}`;
  else if (route === '12345')
    advice = dispatch ? `非警务事项，建议分流转12345办理${also}` : `建议由12345受理并按分类派单${also}`;
  else if (route === 'guidance')
    advice = dispatch ? '非警务事项，做好解释引导，无需派警' : '不属于受理范围，做好解释引导';
  else advice = dispatch ? `非警务事项，建议分流至${ROUTE_NAMES[route]}${also}` : `建议转${ROUTE_NAMES[route]}${also}`;
  d.reasons.push(advice);
  if (d.review && !d.reasons.some((r) => r.includes('人工复核'))) d.reasons.push('依据不足，请人工复核');
};

/** The steps, in the order of the header above. */
const STEPS: readonly Step[] = [
  readRequest,
  findEvents,
  dangerNow,
  weighJurisdiction,
  modelDanger,
  urgentChannel,
  linkedBodies,
  review,
  wordForDesk,
];
