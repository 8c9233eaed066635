/**
 * Builds the triage engine for the server and the CLI: lexicon and seed catalogues from
 * packages/server/triage/, Chinese segmentation (jieba's dictionary method in the domain's
 * DictionarySegmenter, over jieba's dictionary words of frequency ≥ 20 — a fifth of the words, the
 * same cuts on intake text — plus the lexicon's words), traditional → simplified conversion (OpenCC,
 * built only when a text holds a traditional character), and the saved model.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import TS_CHARACTERS from 'opencc-js/dict/TSCharacters';
import {
  DictionarySegmenter,
  TriageEngine,
  TriageModel,
  type Catalogue,
  type Lexicon,
  type SavedModel,
  type TriageSegmenter,
  type TriageDesk,
} from '@liandong/domain';

export const TRIAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../triage');
export const DEFAULT_MODEL_PATH = path.join(TRIAGE_DIR, 'model.json');
export const CORPUS_DIR = path.join(TRIAGE_DIR, 'corpus');
/** Seed catalogue versions shipped with the server, oldest first; the last is the default. */
export const SEED_CATALOGUES = [
  'catalogue-v1.json',
  'catalogue-v2.json',
  'catalogue-v3.json',
  'catalogue-v4.json',
  'catalogue-v5.json',
  'catalogue-v6.json',
  'catalogue-v7.json',
  'catalogue-v8.json',
  'catalogue-v9.json',
  'catalogue-v10.json',
  'catalogue-v11.json',
  'catalogue-v12.json',
  'catalogue-v13.json',
];
/** jieba dictionary words below this frequency are left out (rare words; see the header). */
export const SEGMENTER_MIN_FREQUENCY = 20;

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

let lexicon: Lexicon | null = null;
export function loadLexicon(): Lexicon {
  lexicon ??= readJson<Lexicon>(path.join(TRIAGE_DIR, 'lexicon.json'));
  return lexicon;
}
/** Every shipped seed version (old ones stay loadable: outcomes cite them). */
export function loadSeedCatalogues(): Catalogue[] {
  return SEED_CATALOGUES.map((f) => readJson<Catalogue>(path.join(TRIAGE_DIR, f)));
}
export function loadSeedCatalogue(): Catalogue {
  return readJson<Catalogue>(path.join(TRIAGE_DIR, SEED_CATALOGUES[SEED_CATALOGUES.length - 1]!));
}

/** jieba's dictionary words of frequency ≥ SEGMENTER_MIN_FREQUENCY ("word frequency" per line), shipped. */
export const SEGMENTER_DICT_PATH = path.join(TRIAGE_DIR, 'segmenter-dict.txt');

/** The shipped segmenter dictionary, built from the installed jieba dictionary. */
export function buildSegmenterDictionary(): string {
  const require = createRequire(import.meta.url);
  const source = fs.readFileSync(path.join(path.dirname(require.resolve('@node-rs/jieba')), 'dict.txt'), 'utf8');
  const out: string[] = [];
  for (const line of source.split('\n')) {
    const [word, freq] = line.split(' ');
    if (word && freq && /^\d+$/.test(freq) && Number(freq) >= SEGMENTER_MIN_FREQUENCY) out.push(`${word} ${freq}`);
  }
  return `${out.join('\n')}\n`;
}

let segmenter: TriageSegmenter | null = null;
/**
 * The shipped dictionary (or, without it, jieba's, pruned at start) and the lexicon's words. The built
 * table is kept in node_modules/.cache/liandong (keyed by what it was built from), so a start after the
 * first reads it instead of building it (about a tenth of a second).
 */
export function getSegmenter(): TriageSegmenter {
  if (!segmenter) {
    const dict = fs.existsSync(SEGMENTER_DICT_PATH)
      ? fs.readFileSync(SEGMENTER_DICT_PATH, 'utf8')
      : buildSegmenterDictionary();
    const own = loadLexicon()
      .words.map((w) => `${w} 100000`)
      .join('\n');
    const key = createHash('sha1').update(dict).update('\0').update(own).digest('hex').slice(0, 16);
    const cache = path.resolve(TRIAGE_DIR, '../../../node_modules/.cache/liandong', `segmenter-${key}.bin`);
    let seg: DictionarySegmenter | null = null;
    try {
      const buf = fs.readFileSync(cache);
      seg = new DictionarySegmenter({ table: new Int32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4) });
    } catch {
      seg = DictionarySegmenter.fromDictionary([dict, own]);
      try {
        fs.mkdirSync(path.dirname(cache), { recursive: true });
        const t = seg.save();
        fs.writeFileSync(cache, new Uint8Array(t.buffer, t.byteOffset, t.byteLength));
      } catch {
        // A read-only installation builds it at every start.
      }
    }
    const s = seg;
    segmenter = (text) => s.cut(text);
  }
  return segmenter;
}

let traditional: Set<number> | null = null;
let converter: ((s: string) => string) | null = null;
/** Traditional → simplified, converting only texts that hold a traditional character. */
export function toSimplified(): (s: string) => string {
  if (!traditional) {
    traditional = new Set();
    for (const pair of (TS_CHARACTERS as string).split('|')) {
      const c = pair.codePointAt(0)!;
      if (c < 0x10000) traditional.add(c);
    }
  }
  const set = traditional;
  return (s) => {
    for (let i = 0; i < s.length; i++) {
      if (set.has(s.charCodeAt(i))) {
        converter ??= createConverter();
        return converter(s);
      }
    }
    return s;
  };
}
function createConverter(): (s: string) => string {
  const require = createRequire(import.meta.url);
  const OpenCC = require('opencc-js/t2cn') as { Converter: (o: { from: string; to: string }) => (s: string) => string };
  return OpenCC.Converter({ from: 'hk', to: 'cn' });
}

export function loadModel(file = DEFAULT_MODEL_PATH): TriageModel | null {
  if (!fs.existsSync(file)) return null;
  return new TriageModel(readJson<SavedModel>(file));
}

export function createTriageEngine(
  opts: { catalogue?: Catalogue; model?: TriageModel | null; modelPath?: string; desk?: TriageDesk } = {},
): TriageEngine {
  return new TriageEngine({
    catalogue: opts.catalogue ?? loadSeedCatalogue(),
    lexicon: loadLexicon(),
    segment: getSegmenter(),
    toSimplified: toSimplified(),
    model: opts.model !== undefined ? opts.model : loadModel(opts.modelPath),
    desk: opts.desk,
  });
}
