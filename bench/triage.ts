/**
 * Triage benchmark on one core: requests per second and p50/p99 per request, once loaded (rules +
 * model + segmenter), over the corpus texts and the dev texts in turn. Prints one JSON line.
 *   node --import tsx bench/triage.ts [--requests 200000]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { CORPUS_PATH, createTriageEngine } from '../packages/server/src/triage/triage-engine.ts';

const { values } = parseArgs({ options: { requests: { type: 'string', default: '200000' } } });
const N = Number(values.requests);
const texts = [
  ...fs
    .readFileSync(CORPUS_PATH, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { text: string; channel?: string }),
  ...(fs.existsSync('../shared/data/triage-dev.jsonl')
    ? fs
        .readFileSync('../shared/data/triage-dev.jsonl', 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { text: string; channel?: string })
    : []),
];
const t0 = performance.now();
const engine = createTriageEngine();
const loadMs = performance.now() - t0;
for (let i = 0; i < 5000; i++) engine.triage(texts[i % texts.length]!); // warm-up (JIT)

const lat = new Float64Array(N);
let emergencies = 0;
const start = performance.now();
for (let i = 0; i < N; i++) {
  const s = performance.now();
  const o = engine.triage(texts[i % texts.length]!);
  lat[i] = performance.now() - s;
  if (!('error' in o) && o.emergency) emergencies++;
}
const total = performance.now() - start;
const sorted = Array.from(lat).sort((a, b) => a - b);
const q = (p: number) => +sorted[Math.min(N - 1, Math.floor(p * N))]!.toFixed(4);
console.log(
  JSON.stringify({
    benchmark: 'triage',
    requests: N,
    distinct_texts: texts.length,
    cores_used: 1,
    load_ms: Math.round(loadMs),
    per_second: Math.round((N / total) * 1000),
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    max_ms: +sorted[N - 1]!.toFixed(3),
    emergencies_flagged: emergencies,
    model: engine.model?.version ?? null,
    catalogue_version: engine.catalogueVersion,
  }),
);
