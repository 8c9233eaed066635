/**
 * Catalogue patterns (format 1 regular expressions) are checked twice before a version is published:
 * statically, for nested repetition and back-references (riskyPattern in the domain: `(a+)+$` is refused
 * with CATALOGUE_PATTERN_UNSAFE), and by running each one with a time budget on inputs built to make a
 * backtracking engine slow (long runs of the pattern's own characters, ending in one that fails), in a
 * worker thread that is stopped when the budget is spent (CATALOGUE_PATTERN_SLOW). What passes both runs
 * in time linear or close to it on the call texts, which are at most 5,000 characters.
 */
import { Worker } from 'node:worker_threads';
import { riskyPattern, type Catalogue } from '@liandong/domain';
import { AppError } from '../errors.ts';

/** Every regular expression of a catalogue's format 1 entries, with its entry's code. */
export function cataloguePatterns(c: Pick<Catalogue, 'entries'>): { entry: string; pattern: string }[] {
  const out: { entry: string; pattern: string }[] = [];
  for (const e of c.entries as unknown as Record<string, unknown>[]) {
    const code = String(e.code ?? '');
    const add = (p: unknown) => typeof p === 'string' && out.push({ entry: code, pattern: p });
    for (const key of ['patterns', 'context', 'exclude']) if (Array.isArray(e[key])) (e[key] as unknown[]).forEach(add);
    if (Array.isArray(e.linkedIf)) for (const l of e.linkedIf as unknown[]) if (Array.isArray(l)) add(l[0]);
    add(e.urgentIf);
  }
  return out;
}

/** Refuses a pattern with nested repetition or a back-reference, before anything is compiled. */
export function refuseUnsafePatterns(c: Pick<Catalogue, 'entries'>): void {
  for (const { entry, pattern } of cataloguePatterns(c)) {
    const risk = riskyPattern(pattern);
    if (risk)
      throw new AppError('CATALOGUE_PATTERN_UNSAFE', `条目 ${entry} 的表达式 ${pattern} ${risk}`, { entry, pattern });
  }
}

// The worker: for each pattern, runs it over its hostile inputs and reports it done.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const LEN = workerData.length;
for (let i = 0; i < workerData.patterns.length; i++) {
  const src = workerData.patterns[i];
  let re;
  try { re = new RegExp(src, 'gu'); } catch { parentPort.postMessage(i); continue; }
  const chars = new Set(['a', '1', ' ', '中', '，']);
  for (const ch of src.replace(/\\\\./g, '')) if (!'()[]{}*+?|^$.\\\\'.includes(ch)) chars.add(ch);
  const list = [...chars].slice(0, 24);
  const inputs = [];
  for (const c of list) { inputs.push(c.repeat(LEN) + '\\u0001'); inputs.push(c.repeat(LEN)); }
  for (let k = 0; k + 1 < list.length; k++) inputs.push((list[k] + list[k + 1]).repeat(LEN / 2) + '\\u0001');
  for (const s of inputs) { re.lastIndex = 0; re.test(s); }
  parentPort.postMessage(i);
}
`;

/**
 * Runs the patterns on hostile inputs, each within `budgetMs`; the first that does not finish in time
 * is returned (null: all did).
 */
export function slowPattern(
  patterns: { entry: string; pattern: string }[],
  budgetMs = 500,
  length = 5000,
): Promise<{ entry: string; pattern: string } | null> {
  if (!patterns.length) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { patterns: patterns.map((p) => p.pattern), length },
      resourceLimits: { maxOldGenerationSizeMb: 64 },
    });
    let next = 0;
    let timer: NodeJS.Timeout;
    const finish = (r: { entry: string; pattern: string } | null) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    // the budget of each pattern starts when the previous one is done (the first one's includes start-up)
    const arm = (ms: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => finish(patterns[next]!), ms);
    };
    arm(budgetMs + 1000);
    worker.on('message', (i: number) => {
      next = i + 1;
      if (next >= patterns.length) finish(null);
      else arm(budgetMs);
    });
    worker.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

/** Both checks, as publishing a catalogue version runs them. */
export async function checkCataloguePatterns(c: Pick<Catalogue, 'entries'>, budgetMs = 500): Promise<void> {
  refuseUnsafePatterns(c);
  const slow = await slowPattern(cataloguePatterns(c), budgetMs);
  if (slow)
    throw new AppError(
      'CATALOGUE_PATTERN_SLOW',
      `条目 ${slow.entry} 的表达式 ${slow.pattern} 在长文本上运行超过${budgetMs}毫秒（可能灾难性回溯），请改写`,
      slow,
    );
}
