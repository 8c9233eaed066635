/**
 * Another writer's texts: for each writer's file of the shipped corpus, trains the model without that
 * file (the rest of the corpus, augmented as `triage train` does) and measures the engine — rules with
 * that model, and rules alone — on the file it never saw. The rules were written while reading every
 * file, so this measures the model's reach and the rules' only partly; it is the development signal for
 * generalisation, not an unseen measurement (docs/triage-quality.md keeps those apart).
 * Prints one JSON line per held-out file.
 *   node --import tsx bench/triage-writers.ts [--only c110,cweb] [--misses DIR]
 * (`--misses` writes each held-out file's misses, rules with the model, to DIR/WRITER.tsv.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { TriageModel, evaluate, type LabelledCase } from '@liandong/domain';
import { createTriageEngine } from '../packages/server/src/triage/triage-engine.ts';
import { readCorpusFile, shippedCorpusFiles, trainFromCorpus } from '../packages/server/src/triage/training.ts';

const WRITERS = ['c110', 'cweb', 'c12345', 'cdanger'];
const { values } = parseArgs({ options: { only: { type: 'string' }, misses: { type: 'string' } } });
const only = values.only ? values.only.split(',') : WRITERS;

const files = shippedCorpusFiles();
for (const writer of only) {
  const heldOutFile = files.find((f) => path.basename(f, '.jsonl') === writer);
  if (!heldOutFile) throw new Error(`no corpus file ${writer}`);
  const training = files
    .filter((f) => f !== heldOutFile)
    .flatMap((f) => readCorpusFile(f, { source: path.basename(f, '.jsonl') }));
  const t0 = Date.now();
  const { model } = trainFromCorpus(training, { augmentShipped: true, version: `without-${writer}` });
  const trainSeconds = +((Date.now() - t0) / 1000).toFixed(1);
  const cases: LabelledCase[] = readCorpusFile(heldOutFile, { source: writer }).map((it, i) => ({
    id: `${writer}-${i + 1}`,
    text: it.text,
    ...(it.title ? { title: it.title } : {}),
    ...(it.channel ? { channel: it.channel } : {}),
    route: it.routes,
    emergency: it.emergency,
    urgent: null,
  }));
  const figures = (engine: ReturnType<typeof createTriageEngine>, missesTo?: string) => {
    const e = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    if (missesTo) {
      fs.mkdirSync(path.dirname(missesTo), { recursive: true });
      fs.writeFileSync(
        missesTo,
        e.misses
          .map((m) =>
            [m.id, JSON.stringify(m.expected), m.got, `${m.emergency}/${m.expectedEmergency}`, m.text].join('\t'),
          )
          .join('\n'),
      );
    }
    return {
      routeAccuracy: e.routeAccuracy,
      emergencyRecall: e.emergencyRecall,
      emergencies: e.emergencyTotal,
      dangersLeft: e.emergenciesInNonEmergencyQueue,
      falseAlarmRate: e.falseAlarmRate,
      confusion: e.confusion,
    };
  };
  const withModel = figures(
    createTriageEngine({ model: new TriageModel(model) }),
    values.misses ? path.join(values.misses, `${writer}.tsv`) : undefined,
  );
  const rulesOnly = figures(createTriageEngine({ model: null }));
  process.stdout.write(
    `${JSON.stringify({ heldOut: writer, cases: cases.length, trainSeconds, withModel, rulesOnly })}\n`,
  );
}
