/**
 * Triage benchmark on one core (run it as `taskset -c 0 npm run bench:triage`): requests per second and
 * p50/p99 per request once loaded (rules + model + segmenter), for intake-length texts (the shipped
 * corpus's texts of 28–150 characters, median 50) and for 1,000-character texts (web messages
 * run together and cut at 1,000); then the time from starting `liandong triage` to its first answer
 * (tsx start-up included). Prints one JSON line; `per_second` is by the wall clock, `per_cpu_second`
 * by the process's CPU time (the same on an idle machine; on a busy one the wall clock also counts the
 * other processes' turns on the core). The machine's state is printed beside the figures: the load
 * average before and after, the cores this process may run on, and how busy each core was (from
 * /proc/stat) while it ran — figures taken on a busy core measure the other processes too.
 *   node --import tsx bench/triage.ts [--requests 100000] [--long-requests 10000] [--starts 3]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTriageEngine } from '../packages/server/src/triage/triage-engine.ts';
import { readShippedCorpus } from '../packages/server/src/triage/training.ts';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '100000' },
    'long-requests': { type: 'string', default: '10000' },
    starts: { type: 'string', default: '3' },
  },
});
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const corpus = readShippedCorpus();
const short = corpus
  .filter((c) => c.text.length >= 28 && c.text.length <= 150)
  .map((c) => ({ text: c.text, channel: c.channel }));
const webText = corpus
  .filter((c) => c.channel === 'web')
  .map((c) => c.text)
  .join('\n');
const long: { text: string; channel: string }[] = [];
for (let i = 0; long.length < 300 && i + 1000 <= webText.length; i += 997)
  long.push({ text: webText.slice(i, i + 1000), channel: 'web' });

/** Per core: [busy, total] jiffies so far (Linux; empty elsewhere). */
function cpuTimes(): [number, number][] {
  try {
    return fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .filter((l) => /^cpu\d+ /.test(l))
      .map((l) => {
        const v = l.split(/\s+/).slice(1).map(Number);
        const idle = v[3]! + (v[4] ?? 0);
        const total = v.reduce((a, b) => a + b, 0);
        return [total - idle, total];
      });
  } catch {
    return [];
  }
}
function allowedCores(): string | null {
  try {
    return /Cpus_allowed_list:\s*(\S+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}
const loadBefore = os.loadavg().map((x) => +x.toFixed(2));
const cpuBefore = cpuTimes();

const t0 = performance.now();
const engine = createTriageEngine();
const loadMs = performance.now() - t0;

function run(texts: { text: string; channel?: string }[], n: number) {
  for (let i = 0; i < Math.min(5000, n); i++) engine.triage(texts[i % texts.length]!); // warm-up (JIT)
  const lat = new Float64Array(n);
  let emergencies = 0;
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const o = engine.triage(texts[i % texts.length]!);
    lat[i] = performance.now() - s;
    if (o.ok && o.value.emergency) emergencies++;
  }
  const total = performance.now() - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const sorted = Array.from(lat).sort((a, b) => a - b);
  const q = (p: number) => +sorted[Math.min(n - 1, Math.floor(p * n))]!.toFixed(4);
  const lengths = texts.map((t) => t.text.length).sort((a, b) => a - b);
  return {
    requests: n,
    distinct_texts: texts.length,
    median_chars: lengths[Math.floor(lengths.length / 2)],
    per_second: Math.round((n / total) * 1000),
    // On a shared machine the wall clock counts other processes' turns; CPU time counts this one's.
    per_cpu_second: Math.round((n / cpuMs) * 1000),
    p50_ms: q(0.5),
    p99_ms: q(0.99),
    max_ms: +sorted[n - 1]!.toFixed(3),
    emergencies_flagged: emergencies,
  };
}

/** Milliseconds from spawning the CLI to its first answer line. */
function firstLine(): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const c = spawn(process.execPath, [path.join(ROOT, 'packages/server/bin/liandong.mjs'), 'triage'], {
      env: { ...process.env, DATABASE_URL: '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    c.stdout.once('data', () => {
      resolve(performance.now() - start);
      c.stdin.end();
    });
    c.on('error', reject);
    c.stdin.write(`${JSON.stringify({ id: 'b1', text: '有人在小区门口打架，有人受伤了', channel: '110' })}\n`);
  });
}

const shortRun = run(short, Number(values.requests));
const longRun = run(long, Number(values['long-requests']));
const starts: number[] = [];
for (let i = 0; i < Number(values.starts); i++) starts.push(Math.round(await firstLine()));
const cpuAfter = cpuTimes();
const busy = cpuAfter.map(([b, t], i) => {
  const [b0, t0_] = cpuBefore[i] ?? [0, 0];
  return t > t0_ ? Math.round((100 * (b - b0)) / (t - t0_)) : null;
});
console.log(
  JSON.stringify({
    benchmark: 'triage',
    cores_used: 1,
    machine: {
      cores: os.cpus().length,
      allowed_cores: allowedCores(),
      load_average_before: loadBefore,
      load_average_after: os.loadavg().map((x) => +x.toFixed(2)),
      // Each core's busy share while the bench ran (this process's own core near 100 % is expected).
      core_busy_percent: busy,
    },
    load_ms: Math.round(loadMs),
    model: engine.model?.version ?? null,
    catalogue_version: engine.catalogueVersion,
    intake_texts: shortRun,
    texts_1000_chars: longRun,
    first_answer_ms: { runs: starts, median: [...starts].sort((a, b) => a - b)[Math.floor(starts.length / 2)] },
  }),
);
