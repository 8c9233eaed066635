/**
 * `npx liandong triage` (JSON Lines in, JSON Lines out), `triage train`, `triage eval --data FILE`.
 * The catalogue is the seed version unless DATABASE_URL names a database, whose active version is used.
 */
import fs from 'node:fs';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import {
  evaluate,
  trainModel,
  type Catalogue,
  type LabelledCase,
  type Route,
  type TrainingSample,
  type TriageEngine,
} from '@liandong/domain';
import { createPool } from '../db/pool.ts';
import { findActiveCatalogue, listOverridesForTraining } from './catalogue.repo.ts';
import { CORPUS_PATH, DEFAULT_MODEL_PATH, createTriageEngine, getFeaturizer, loadModel } from './triage-engine.ts';

const ID_IN_BROKEN_LINE = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/;

async function catalogueFromEnv(): Promise<Catalogue | undefined> {
  const url = process.env.DATABASE_URL?.trim();
  if (!url) return undefined;
  const db = createPool(url, 1);
  try {
    return (await findActiveCatalogue(db)) ?? undefined;
  } finally {
    await db.end();
  }
}

/** One output line per input line, in order; a bad line gets an error object and the run goes on. */
export function triageLine(engine: TriageEngine, line: string): string {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    const m = line.match(ID_IN_BROKEN_LINE);
    let id: string | null = null;
    if (m) {
      try {
        id = String(JSON.parse(m[1]!));
      } catch {
        id = null;
      }
    }
    return JSON.stringify({ id, error: { code: 'LINE_NOT_JSON', message: '该行不是合法的 JSON' } });
  }
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return JSON.stringify({
      id: null,
      error: { code: 'LINE_NOT_OBJECT', message: '该行须为 JSON 对象 {"id","text","channel"}' },
    });
  }
  const o = engine.triage(input as { id?: unknown; text: unknown; channel?: unknown });
  if ('error' in o) return JSON.stringify(o);
  const { id, route, emergency, urgent, linked, category, confidence, needsConsultation, reasons } = o;
  return JSON.stringify({
    id,
    route,
    emergency,
    urgent,
    linked,
    category,
    confidence,
    needsConsultation,
    reasons,
    ...(o.urgentKind ? { urgentKind: o.urgentKind } : {}),
    ...(o.guidance ? { guidance: o.guidance } : {}),
    catalogueVersion: o.catalogueVersion,
    modelVersion: o.modelVersion,
  });
}

async function runStream(engine: TriageEngine): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buf: string[] = [];
  const flush = async () => {
    if (!buf.length) return;
    const chunk = buf.join('\n') + '\n';
    buf = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of rl) {
    if (!line.trim()) continue;
    buf.push(triageLine(engine, line));
    if (buf.length >= 256) await flush();
  }
  await flush();
}

function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export async function triageCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'train') {
    const { values } = parseArgs({
      args: rest,
      options: { corpus: { type: 'string' }, out: { type: 'string' }, 'with-overrides': { type: 'boolean' } },
      strict: true,
    });
    const corpus = readJsonl<{ text: string; route: Route[]; emergency: boolean; group?: number }>(
      values.corpus ?? CORPUS_PATH,
    );
    const samples: (TrainingSample & { group: number })[] = corpus.map((c, i) => ({
      text: c.text,
      route: c.route[0]!,
      emergency: c.emergency,
      group: c.group ?? i,
    }));
    if (values['with-overrides']) {
      const url = process.env.DATABASE_URL?.trim();
      if (!url) throw new Error('--with-overrides 需要 DATABASE_URL');
      const db = createPool(url, 1);
      try {
        samples.push(...(await listOverridesForTraining(db)).map((o, i) => ({ ...o, group: -1 - i })));
      } finally {
        await db.end();
      }
    }
    const engine = createTriageEngine({ model: null });
    const normalised = samples.map((s) => ({ ...s, text: engine.normaliseText(s.text) }));
    // Held-out check: hold out every fifth scenario (all its phrasings), train on the rest, and report
    // the model's own route accuracy on phrasings of situations it has not seen.
    const holdout = normalised.filter((s) => Math.abs(s.group) % 5 === 0);
    const trainPart = normalised.filter((s) => Math.abs(s.group) % 5 !== 0);
    const featurize = getFeaturizer();
    const check = trainModel(trainPart, featurize, 'holdout');
    const { TriageModel } = await import('@liandong/domain');
    const checker = new TriageModel(check, featurize);
    const correct = holdout.filter((s) => checker.predict(s.text).route === s.route).length;
    const model = trainModel(normalised, featurize, `nb-${new Date().toISOString().slice(0, 10)}-${normalised.length}`);
    const out = values.out ?? DEFAULT_MODEL_PATH;
    fs.writeFileSync(out, JSON.stringify(model));
    process.stdout.write(
      `${JSON.stringify({ model: model.version, samples: normalised.length, features: Object.keys(model.route.vocab).length, holdoutRouteAccuracy: +(correct / holdout.length).toFixed(4), saved: out, bytes: fs.statSync(out).size })}\n`,
    );
    return;
  }
  if (sub === 'eval') {
    const { values } = parseArgs({
      args: rest,
      options: { data: { type: 'string' }, 'no-model': { type: 'boolean' }, misses: { type: 'boolean' } },
      strict: true,
    });
    if (!values.data) throw new Error('用法：npx liandong triage eval --data FILE.jsonl [--no-model] [--misses]');
    const cases = readJsonl<LabelledCase>(values.data);
    const engine = createTriageEngine({
      catalogue: await catalogueFromEnv(),
      model: values['no-model'] ? null : loadModel(),
    });
    const outcomes = cases.map((c) => engine.triage(c));
    const r = evaluate(cases, outcomes);
    const { confusion, misses, ...metrics } = r;
    process.stdout.write(
      `${JSON.stringify({ data: values.data, catalogueVersion: engine.catalogueVersion, model: engine.model?.version ?? null, ...metrics })}\n`,
    );
    const cols = ['110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance', 'error'];
    const short: Record<string, string> = { governance_center: 'govern', vehicle_moving: 'vehicle', guidance: 'guide' };
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
          `${m.id}\t${JSON.stringify(m.expected)}\t${m.got}\temergency=${m.emergency}/${m.expectedEmergency}\t${m.text}\n`,
        );
    return;
  }
  if (sub !== undefined)
    throw new Error(`未知的 triage 子命令：${sub}（可用：train、eval，或不带子命令从标准输入读取）`);
  const engine = createTriageEngine({ catalogue: await catalogueFromEnv() });
  await runStream(engine);
}

export { loadModel };
