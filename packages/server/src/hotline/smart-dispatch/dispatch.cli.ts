/**
 * `npx liandong dispatch train --data FILE --out MODEL.json [--folds 5]` and
 * `npx liandong dispatch suggest --model MODEL.json` (JSON Lines in, JSON Lines out).
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { DispatchModel } from '@liandong/domain';
import {
  HistoryFormatError,
  baselineLearner,
  baselineTokens,
  checkText,
  crossValidate,
  encodeLabels,
  readHistory,
  scoreModel,
  type HistoryRecord,
} from '@liandong/domain';
import { SYSTEM_ACTOR } from '../../auth/actor.ts';
import { ConfigError, loadConfig } from '../../config.ts';
import { AppError } from '../../errors.ts';
import { DispatchModelService, holdOut } from './dispatch-models.service.ts';
import { trainConcurrently } from './train-job.ts';
import { answerJsonLines, parseJsonLine } from '../../shared/json-lines.ts';
import { buildUnits } from '../../reference/reference-data.ts';
import {
  DEFAULT_DISPATCH_MODEL_PATH,
  defaultDispatchModel,
  dispatchEnv,
  loadDispatchModel,
  projectCorpus,
  trainDefaultModel,
} from './smart-dispatch.ts';

const HELP = `用法：
  npx liandong dispatch train --data FILE --out MODEL.json [--folds 5] [--variant NAME] [--no-baseline]
  npx liandong dispatch train                 （不带 --data：用项目自带语料重训随附的默认模型）
  npx liandong dispatch train --publish [--data FILE] [--url URL]
                                              （发布到数据库：留出五分之一比较，胜过当前模型才启用；
                                                不带 --data 则用本平台已归档工单训练）
  npx liandong dispatch suggest [--model MODEL.json]`;

/** One answer line for one input line (the same rules as `triage`: a bad line gets an error object). */
export function suggestLine(model: DispatchModel, line: string): string {
  const parsed = parseJsonLine(line, '{"id","text","title"}');
  if (!parsed.ok) return parsed.answer;
  const o = parsed.value;
  const id = typeof o.id === 'string' || typeof o.id === 'number' ? String(o.id) : null;
  const problem = checkText(o.text);
  if (problem) return JSON.stringify({ id, error: problem });
  const title = typeof o.title === 'string' && o.title.trim() ? o.title : null;
  const district = typeof o.district === 'string' && o.district.trim() ? o.district : null;
  return JSON.stringify({ id, suggestions: model.suggest({ text: o.text as string, title, district }, 3) });
}

/** A label names a unit by its code or its name: the shipped model's codes match a city's names. */
function sameUnit(): (a: string, b: string) => boolean {
  const names = new Map(buildUnits([]).map((u) => [u.id, u.name]));
  return (a, b) => a === b || names.get(a) === b || names.get(b) === a;
}

/** The baseline's cross-validated figures, in the same keys as the model's. */
export function baselineScores(records: HistoryRecord[], folds: number) {
  const started = performance.now();
  const env = dispatchEnv();
  const { classes, y } = encodeLabels(records);
  const tokens = records.map((r) => baselineTokens(r, env.cut, env.toSimplified));
  const cv = crossValidate(baselineLearner(tokens, y, classes.length), y, classes.length, folds);
  return {
    samples: cv.samples,
    labels: cv.labels,
    folds: cv.folds,
    top1: cv.top1,
    top3: cv.top3,
    macroF1: cv.macroF1,
    seconds: Math.round((performance.now() - started) / 10) / 100,
  };
}

/** The dispatch-model service on the database DATABASE_URL (or --url) names, or the embedded data folder. */
async function withService<T>(url: string | undefined, fn: (s: DispatchModelService) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { openDatabase } = await import('../../db/database.ts');
  const database = await openDatabase({ ...config, databaseUrl: url ?? config.databaseUrl }, () => undefined);
  try {
    // The command line trains in process (the folds in worker threads): it is the only work it does.
    return await fn(new DispatchModelService(database.db, (job) => trainConcurrently(job)));
  } catch (err) {
    if (err instanceof AppError) throw new ConfigError(`${err.code}：${err.message}`);
    throw err;
  } finally {
    await database.close();
  }
}

/** `dispatch train --publish` without --data: from the platform's archived orders. */
async function publishFromArchive(folds: number, variant: string | undefined, url: string | undefined) {
  const r = await withService(url, (s) => s.trainFromArchive(SYSTEM_ACTOR, { folds, variant }));
  const { training, variant: kept, ...published } = r;
  line(training);
  line({ published: { ...published, variant: kept } });
}

function foldsOf(raw: string | undefined): number {
  if (raw === undefined) return 5;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 2 || n > 20) throw new ConfigError(`--folds 须为 2–20 之间的整数，当前为 “${raw}”`);
  return n;
}

const line = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);

export async function dispatchCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === 'train') {
    const { values } = parseArgs({
      args: rest,
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        folds: { type: 'string' },
        variant: { type: 'string' },
        'no-baseline': { type: 'boolean' },
        'trained-by': { type: 'string' },
        publish: { type: 'boolean' },
        url: { type: 'string' },
      },
      strict: true,
    });
    const folds = foldsOf(values.folds);
    if (values.publish && !values.data) {
      await publishFromArchive(folds, values.variant, values.url);
      return;
    }
    let records: HistoryRecord[];
    let source: string;
    if (values.data) {
      if (!fs.existsSync(values.data)) throw new ConfigError(`历史数据文件不存在：${values.data}`);
      if (!values.out && !values.publish) throw new ConfigError('须用 --out 指定模型文件（MODEL.json）');
      let history;
      try {
        history = readHistory(fs.readFileSync(values.data));
      } catch (e) {
        if (e instanceof HistoryFormatError) throw new ConfigError(`${e.code}：${e.message}`);
        throw e;
      }
      if (history.problems.length)
        process.stderr.write(
          `${JSON.stringify({ skipped: history.problems.length, problems: history.problems.slice(0, 20) })}\n`,
        );
      records = history.records;
      source = `file:${values.data} (${history.format}, ${history.encoding})`;
    } else {
      records = projectCorpus();
      source = 'project-corpus';
    }
    const labels = new Set(records.map((r) => r.label)).size;
    if (records.length < folds * 2 || labels < 2)
      throw new ConfigError(
        `历史记录太少：${records.length} 条、${labels} 个承办单位（至少 ${folds * 2} 条、2 个单位）`,
      );
    // Publishing holds out a stratified fifth the model does not train on: the comparison with the
    // active model is made on it.
    const split = values.publish ? holdOut(records) : null;
    const allRecords = records;
    if (split) records = split.train;
    const out = values.out ?? (values.publish ? null : DEFAULT_DISPATCH_MODEL_PATH);
    // The folds run in worker threads while this one makes the final fit (the same model and figures).
    const training = values.data
      ? await trainConcurrently({
          records,
          options: {
            folds,
            variant: values.variant,
            version: `${new Date().toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${records.length}`,
            trainedBy: values['trained-by'] ?? process.env.USER ?? 'cli',
            source,
          },
        })
      : trainDefaultModel(folds);
    const json = JSON.stringify(training.model);
    if (out) fs.writeFileSync(out, json);
    // The contract's line first, exactly its keys; then the baseline beside it, the shipped default's
    // figures on the same history, and what was kept.
    line(training.scores);
    if (!values['no-baseline']) line({ baseline: baselineScores(records, folds) });
    if (values.data && fs.existsSync(DEFAULT_DISPATCH_MODEL_PATH))
      line({ default: scoreModel(defaultDispatchModel(), allRecords, sameUnit()) });
    line({
      model: {
        version: training.model.version,
        variant: training.model.variant,
        ece: training.model.scores.ece,
        variants: training.variants,
        saved: out,
        bytes: Buffer.byteLength(json),
      },
    });
    if (split)
      line({ published: await withService(values.url, (s) => s.publish(SYSTEM_ACTOR, training.model, split.heldOut)) });
    return;
  }
  if (sub === 'suggest') {
    const { values } = parseArgs({ args: rest, options: { model: { type: 'string' } }, strict: true });
    if (values.model && !fs.existsSync(values.model)) throw new ConfigError(`模型文件不存在：${values.model}`);
    let model: DispatchModel;
    try {
      model = values.model ? loadDispatchModel(values.model) : defaultDispatchModel();
    } catch (e) {
      throw new ConfigError(`模型文件无法读取：${(e as Error).message}`);
    }
    await answerJsonLines((line) => suggestLine(model, line));
    return;
  }
  if (sub === undefined || sub === 'help' || sub === '--help') {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  throw new ConfigError(`未知的 dispatch 子命令：${sub}（可用：train、suggest）`);
}
