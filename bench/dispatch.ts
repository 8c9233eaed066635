/**
 * Smart dispatch benchmark (npm run bench:dispatch): on the project's synthetic history (NOT real
 * citizen messages — see docs/dispatch.md), trains the dispatch model on `--orders` orders exactly as
 * `dispatch train` does (feature variants compared, k-fold cross-validation, the final fit), then
 * scores it and the TF-IDF + linear SVM baseline on `--test` orders of another seed that neither has
 * seen; then the time per suggestion and the model file's size. Prints one JSON line. Training runs as
 * the command does, the cross-validation folds in worker threads beside the final fit. `seconds` are by
 * the wall clock, `cpu_seconds` by the CPU time of all the process's threads (on an idle machine, up to
 * the cores times the wall clock).
 *   node --import tsx bench/dispatch.ts [--orders 100000] [--test 10000] [--folds 5] [--requests 20000]
 */
import { parseArgs } from 'node:util';
import {
  DispatchModel,
  baselineLearner,
  baselineTokens,
  encodeLabels,
  featurise,
  linearLearner,
  rankScores,
  scoreModel,
} from '../packages/domain/src/index.ts';
import os from 'node:os';
import { dispatchEnv } from '../packages/server/src/hotline/smart-dispatch/smart-dispatch.ts';
import { trainConcurrently } from '../packages/server/src/hotline/smart-dispatch/train-job.ts';
import { syntheticHistory } from '../packages/server/src/hotline/smart-dispatch/synthetic-history.ts';

const { values } = parseArgs({
  options: {
    orders: { type: 'string', default: '100000' },
    test: { type: 'string', default: '10000' },
    folds: { type: 'string', default: '5' },
    requests: { type: 'string', default: '20000' },
  },
});
const N = Number(values.orders),
  T = Number(values.test),
  folds = Number(values.folds),
  requests = Number(values.requests);
const asRecords = (n: number, seed: number) =>
  syntheticHistory(n, seed).map((r) => ({
    text: r.text,
    title: r.title ?? null,
    label: r.label,
    district: r.district,
  }));
const train = asRecords(N, 1),
  test = asRecords(T, 2);
const env = dispatchEnv();
env.cut('预热分词器');

const clock = () => ({ wall: performance.now(), cpu: process.cpuUsage() });
const since = (c: ReturnType<typeof clock>) => ({
  seconds: +((performance.now() - c.wall) / 1000).toFixed(2),
  cpu_seconds: +((process.cpuUsage(c.cpu).user + process.cpuUsage(c.cpu).system) / 1e6).toFixed(2),
});

let c = clock();
// As `dispatch train` does: the cross-validation folds in worker threads, the final fit in this one.
const trained = await trainConcurrently({
  records: train,
  options: { folds, version: 'bench', trainedBy: 'bench', source: 'bench' },
});
const command = since(c);
const model = new DispatchModel(trained.model, env);

// The final fit alone (what retraining costs once the variant is chosen).
const { classes, y } = encodeLabels(train);
const docs = featurise(train, trained.model.features, env);
c = clock();
linearLearner(docs, y, classes).head(y.map((_, i) => i));
const finalFit = since(c);

const unseen = scoreModel(model, test);

// The baseline trained on the same orders, scored on the same unseen ones.
c = clock();
const tokens = [...train, ...test].map((r) => baselineTokens(r, env.cut, env.toSimplified));
const testLabels = test.map((r) => classes.indexOf(r.label));
const base = baselineLearner(tokens, [...y, ...testLabels], classes.length).fit(y.map((_, i) => i));
const baselineUnseen = rankScores(
  testLabels,
  test.map((_, i) => base.rank(N + i)),
  classes.length,
);
const baselineTime = since(c);

const texts = test.slice(0, Math.min(requests, test.length));
for (let i = 0; i < 1000; i++) model.suggest(texts[i % texts.length]!);
c = clock();
for (let i = 0; i < requests; i++) model.suggest(texts[i % texts.length]!);
const suggest = since(c);

process.stdout.write(
  `${JSON.stringify({
    data: 'synthetic-history (not real messages)',
    orders: N,
    labels: classes.length,
    variant: trained.model.variant,
    cross_validated: trained.scores,
    // CPU seconds are the process's, every thread's; `seconds` the wall clock (cores and load: machine)
    train_command: { ...command, threads: Math.max(1, os.availableParallelism() - 1) + 1 },
    machine: { cores: os.availableParallelism(), load_average: os.loadavg().map((x) => +x.toFixed(1)) },
    final_fit: finalFit,
    unseen: {
      orders: T,
      model: { top1: unseen.top1, top3: unseen.top3, macroF1: unseen.macroF1 },
      baseline: baselineUnseen,
    },
    baseline_train: baselineTime,
    suggest: {
      requests,
      ms_per_request: +((suggest.seconds * 1000) / requests).toFixed(4),
      cpu_ms_per_request: +((suggest.cpu_seconds * 1000) / requests).toFixed(4),
    },
    model_bytes: JSON.stringify(trained.model).length,
  })}\n`,
);
