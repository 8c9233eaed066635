/**
 * `npx liandong triage` (JSON Lines in, JSON Lines out), `triage train`, `triage eval --data FILE`.
 * The catalogue is the newest seed version unless a database is named (the caller passes its URL; this
 * module reads no environment), whose active version is used.
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import {
  ROUTES,
  TRIAGE_DESKS,
  evaluate,
  type Catalogue,
  type LabelledCase,
  type Route,
  type TriageDesk,
  type TriageEngine,
  type TriageInput,
  type TriageResult,
} from '@liandong/domain';
import {
  DEFAULT_MODEL_PATH,
  SEGMENTER_DICT_PATH,
  buildSegmenterDictionary,
  createTriageEngine,
  loadModel,
} from './triage-engine.ts';
import { answerJsonLines, parseJsonLine } from '../shared/json-lines.ts';
import { readCorpusFile, readShippedCorpus, trainFromCorpus, type CorpusItem } from './training.ts';

export interface TriageCliOptions {
  /** The database whose active catalogue version to use (and whose overrides to train on). */
  databaseUrl: string | null;
}

async function catalogueFrom(databaseUrl: string | null): Promise<Catalogue | undefined> {
  if (!databaseUrl) return undefined;
  const [{ createPool }, { findActiveCatalogue }] = await Promise.all([
    import('../db/pool.ts'),
    import('./catalogue.repo.ts'),
  ]);
  const db = createPool(databaseUrl, 1);
  try {
    return (await findActiveCatalogue(db)) ?? undefined;
  } finally {
    await db.end();
  }
}

/** The contract's answer (design §5) for one result, with `review`. */
export function answerOf(o: TriageResult): Record<string, unknown> {
  if (!o.ok) return { id: o.id, error: { code: o.code, message: o.message } };
  const v = o.value;
  return {
    id: v.id,
    route: v.route,
    emergency: v.emergency,
    urgent: v.urgent,
    linked: v.linked,
    category: v.category,
    confidence: v.confidence,
    needsConsultation: v.needsConsultation,
    review: v.review,
    reasons: v.reasons,
    ...(v.urgentKind ? { urgentKind: v.urgentKind } : {}),
    ...(v.guidance ? { guidance: v.guidance } : {}),
    catalogueVersion: v.catalogueVersion,
    modelVersion: v.modelVersion,
  };
}

/** One output line per input line, in order; a bad line gets an error object and the run goes on. */
export function triageLine(engine: TriageEngine, line: string): string {
  const parsed = parseJsonLine(line, '{"id","text","channel"}');
  if (!parsed.ok) return parsed.answer;
  return JSON.stringify(answerOf(engine.triage(parsed.value as unknown as TriageInput)));
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

function deskOf(raw: string | undefined): TriageDesk {
  const d = raw ?? 'hotline';
  if (!(TRIAGE_DESKS as readonly string[]).includes(d))
    throw new Error(`--desk 须为 hotline 或 dispatch，当前为“${d}”`);
  return d as TriageDesk;
}

function modelFrom(file: string | undefined, none: boolean | undefined) {
  if (none) return null;
  if (file && !fs.existsSync(file)) throw new Error(`模型文件不存在：${file}`);
  return loadModel(file ?? DEFAULT_MODEL_PATH);
}

export async function triageCommand(args: string[], opts: TriageCliOptions): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'train') {
    const { values } = parseArgs({
      args: rest,
      options: {
        corpus: { type: 'string' },
        out: { type: 'string' },
        'with-shipped': { type: 'boolean' },
        'with-overrides': { type: 'boolean' },
      },
      strict: true,
    });
    const items: CorpusItem[] = [];
    if (!values.corpus && !values.out) {
      // Retraining the shipped model: the segmenter's dictionary is refreshed from jieba's first.
      const dict = buildSegmenterDictionary();
      if (!fs.existsSync(SEGMENTER_DICT_PATH) || fs.readFileSync(SEGMENTER_DICT_PATH, 'utf8') !== dict)
        fs.writeFileSync(SEGMENTER_DICT_PATH, dict);
    }
    if (!values.corpus || values['with-shipped']) items.push(...readShippedCorpus());
    if (values.corpus)
      items.push(...readCorpusFile(values.corpus, { source: 'city', weight: values['with-shipped'] ? 2 : 1 }));
    if (values['with-overrides']) {
      if (!opts.databaseUrl) throw new Error('--with-overrides 需要数据库（DATABASE_URL）');
      const [{ createPool }, { listOverridesForTraining }] = await Promise.all([
        import('../db/pool.ts'),
        import('./catalogue.repo.ts'),
      ]);
      const db = createPool(opts.databaseUrl, 1);
      try {
        (await listOverridesForTraining(db)).forEach((o, i) =>
          items.push({
            text: o.text,
            routes: [o.route],
            emergency: o.emergency,
            group: `override-${i}`,
            source: 'override',
            weight: 2,
          }),
        );
      } finally {
        await db.end();
      }
    }
    const out = values.out ?? DEFAULT_MODEL_PATH;
    const report = trainFromCorpus(items, { augmentShipped: true });
    fs.writeFileSync(out, JSON.stringify(report.model));
    process.stdout.write(`${JSON.stringify({ ...report.summary, saved: out, bytes: fs.statSync(out).size })}\n`);
    return;
  }
  if (sub === 'eval') {
    const { values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        model: { type: 'string' },
        'no-model': { type: 'boolean' },
        answers: { type: 'string' },
        desk: { type: 'string' },
        misses: { type: 'boolean' },
      },
      strict: true,
    });
    if (!values.data)
      throw new Error(
        '用法：npx liandong triage eval --data FILE.jsonl [--model FILE] [--no-model] [--answers FILE] [--misses]',
      );
    const cases = readJsonl<LabelledCase & { route: Route[] | Route | null }>(values.data).map((c) => ({
      ...c,
      route: typeof c.route === 'string' ? [c.route] : c.route,
    })) as LabelledCase[];
    let outcomes: TriageResult[];
    let header: Record<string, unknown>;
    if (values.answers) {
      // Answers produced elsewhere (another engine, an older version), in the contract's shape.
      const answers = readJsonl<Record<string, unknown>>(values.answers);
      if (answers.length !== cases.length)
        throw new Error(`答案行数（${answers.length}）与数据行数（${cases.length}）不同`);
      outcomes = answers.map((a) => {
        const id = (a.id as string | null) ?? null;
        const err = a.error as { code: string; message: string } | undefined;
        return err
          ? { ok: false as const, code: err.code, message: err.message, id }
          : { ok: true as const, value: { review: false, urgentKind: null, guidance: null, ...a } as never, id };
      });
      header = { data: values.data, answers: values.answers };
    } else {
      const engine = createTriageEngine({
        catalogue: await catalogueFrom(opts.databaseUrl),
        model: modelFrom(values.model, values['no-model']),
        desk: deskOf(values.desk),
      });
      outcomes = cases.map((c) => engine.triage(c));
      header = { data: values.data, catalogueVersion: engine.catalogueVersion, model: engine.model?.version ?? null };
    }
    const { confusion, misses, groups, headline, ...metrics } = evaluate(cases, outcomes);
    process.stdout.write(`${JSON.stringify({ ...header, ...metrics, ...(groups ? { headline, groups } : {}) })}\n`);
    const cols = [...ROUTES, 'error'];
    const short: Record<string, string> = { governance_center: 'govern', vehicle_moving: 'vehicle', guidance: 'guide' };
    const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);
    if (groups) {
      process.stdout.write(
        `\n${'group'.padEnd(18)}${['cases', 'route', 'on 110', 'emerg.', 'recall', 'left', 'review'].map((c) => c.padStart(8)).join('')}\n`,
      );
      for (const [g, f] of Object.entries(groups))
        process.stdout.write(
          `${g.padEnd(18)}${[String(f.cases), pct(f.routeAccuracy), pct(f.onPolice), pct(f.flaggedEmergency), pct(f.emergencyRecall), String(f.emergenciesInNonEmergencyQueue), pct(f.review)].map((c) => c.padStart(8)).join('')}\n`,
        );
    }
    process.stdout.write(
      `\nconfusion (rows: first expected route; columns: answer)\n${'expected'.padEnd(10)}${cols.map((c) => (short[c] ?? c).padStart(8)).join('')}\n`,
    );
    for (const [row, counts] of Object.entries(confusion))
      process.stdout.write(
        `${(short[row] ?? row).padEnd(10)}${cols.map((c) => String(counts[c] ?? 0).padStart(8)).join('')}\n`,
      );
    if (values.misses)
      for (const m of misses)
        process.stdout.write(
          `${m.id}\t${m.group ?? ''}\t${JSON.stringify(m.expected)}\t${m.got}\temergency=${m.emergency}/${m.expectedEmergency}\t${m.text}\n`,
        );
    return;
  }
  if (sub !== undefined && !sub.startsWith('--'))
    throw new Error(`未知的 triage 子命令：${sub}（可用：train、eval，或不带子命令从标准输入读取）`);
  const { values } = parseArgs({
    args,
    options: { model: { type: 'string' }, desk: { type: 'string' }, 'no-model': { type: 'boolean' } },
    strict: true,
  });
  const engine = createTriageEngine({
    catalogue: await catalogueFrom(opts.databaseUrl),
    model: modelFrom(values.model, values['no-model']),
    desk: deskOf(values.desk),
  });
  await answerJsonLines((line) => triageLine(engine, line));
}
