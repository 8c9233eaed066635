/**
 * Training material and the training run: the shipped corpus (packages/server/triage/corpus/*.jsonl,
 * written one by one for the project) with its augmented wordings, or a city's own labelled records
 * (JSON Lines {"text","route"} where route is a route or a list of acceptable routes, "emergency"
 * optional), or both. The model is trained on what the engine reads (normalised, cleaned, segmented).
 */
import fs from 'node:fs';
import path from 'node:path';
import { ROUTES, trainTriageModel, type Route, type SavedModel, type TrainingSample } from '@liandong/domain';
import { augment } from './augment.ts';
import { CORPUS_DIR, createTriageEngine } from './triage-engine.ts';

export interface CorpusItem {
  text: string;
  title?: string;
  channel?: string;
  routes: Route[];
  emergency: boolean | null;
  group: string;
  source: string;
  weight?: number;
}

export class CorpusError extends Error {}

/** Reads one JSON Lines file of labelled requests; refuses a line it cannot use, naming it. */
export function readCorpusFile(file: string, opts: { source: string; weight?: number }): CorpusItem[] {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const items: CorpusItem[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new CorpusError(`${file} 第 ${i + 1} 行不是合法的 JSON`);
    }
    const text = o.text;
    if (typeof text !== 'string' || !text.trim()) throw new CorpusError(`${file} 第 ${i + 1} 行缺少 text`);
    const raw = typeof o.route === 'string' ? [o.route] : o.route;
    if (!Array.isArray(raw) || !raw.length || raw.some((r) => !(ROUTES as readonly unknown[]).includes(r)))
      throw new CorpusError(
        `${file} 第 ${i + 1} 行的 route 须为去向或去向列表（${ROUTES.join('、')}），当前为 ${JSON.stringify(o.route)}`,
      );
    const emergency = typeof o.emergency === 'boolean' ? o.emergency : null;
    items.push({
      text,
      ...(typeof o.title === 'string' && o.title.trim() ? { title: o.title } : {}),
      ...(typeof o.channel === 'string' ? { channel: o.channel } : {}),
      routes: raw as Route[],
      emergency,
      group: `${opts.source}:${o.group ?? o.id ?? i}`,
      source: opts.source,
      ...(opts.weight ? { weight: opts.weight } : {}),
    });
  });
  return items;
}

/** Files of the shipped corpus, by name. */
export function shippedCorpusFiles(): string[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .map((f) => path.join(CORPUS_DIR, f));
}
export function readShippedCorpus(): CorpusItem[] {
  return shippedCorpusFiles().flatMap((f) => readCorpusFile(f, { source: path.basename(f, '.jsonl') }));
}

/** Augmented wordings per written request of the shipped corpus. */
const VARIANTS = 2;

export interface TrainSummary {
  model: string;
  requests: number;
  written: number;
  augmented: number;
  lengths: { min: number; median: number; p90: number; max: number; over500: number };
  features: number;
  heldOut: SavedModel['calibration'];
  seconds: number;
}

export function trainFromCorpus(
  items: CorpusItem[],
  opts: { augmentShipped: boolean; version?: string },
): { model: SavedModel; summary: TrainSummary } {
  const t0 = Date.now();
  const engine = createTriageEngine({ model: null });
  const all: CorpusItem[] = [];
  let augmented = 0;
  items.forEach((it, i) => {
    all.push(it);
    if (!opts.augmentShipped || it.source === 'city' || it.source === 'override') return;
    for (const v of augment(it, 7919 * (i + 1), VARIANTS)) {
      all.push({ ...it, text: v.text, ...(v.title ? { title: v.title } : {}), weight: 0.6 });
      augmented++;
    }
  });
  const samples: TrainingSample[] = all.map((it) => ({
    reading: engine.read(it.text, it.title ?? null),
    routes: it.routes,
    emergency: it.emergency,
    group: it.group,
    weight: it.weight,
  }));
  const version = opts.version ?? `linear-${new Date().toISOString().slice(0, 10)}-${all.length}`;
  const report = trainTriageModel(samples, version);
  const lengths = all.map((it) => it.text.length).sort((a, b) => a - b);
  return {
    model: report.model,
    summary: {
      model: version,
      requests: all.length,
      written: all.length - augmented,
      augmented,
      lengths: {
        min: lengths[0] ?? 0,
        median: lengths[Math.floor(lengths.length / 2)] ?? 0,
        p90: lengths[Math.floor(lengths.length * 0.9)] ?? 0,
        max: lengths[lengths.length - 1] ?? 0,
        over500: lengths.filter((l) => l > 500).length,
      },
      features: report.features,
      heldOut: report.heldOut,
      seconds: +((Date.now() - t0) / 1000).toFixed(1),
    },
  };
}
