/**
 * Builds the triage engine for the server and the CLI: lexicon and seed catalogue from
 * packages/server/triage/, Chinese segmentation (jieba with the lexicon's words as a custom
 * dictionary), traditional → simplified conversion (OpenCC), and the saved model.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import * as OpenCC from 'opencc-js';
import {
  TriageEngine,
  TriageModel,
  makeFeaturizer,
  type Catalogue,
  type Featurizer,
  type Lexicon,
  type SavedModel,
} from '@liandong/domain';

export const TRIAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../triage');
export const DEFAULT_MODEL_PATH = path.join(TRIAGE_DIR, 'model.json');
export const CORPUS_PATH = path.join(TRIAGE_DIR, 'corpus.jsonl');

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

export function loadLexicon(): Lexicon {
  return readJson<Lexicon>(path.join(TRIAGE_DIR, 'lexicon.json'));
}
export function loadSeedCatalogue(): Catalogue {
  return readJson<Catalogue>(path.join(TRIAGE_DIR, 'catalogue-v1.json'));
}

let jieba: Jieba | null = null;
let featurizer: Featurizer | null = null;
let converter: ((s: string) => string) | null = null;

export function getFeaturizer(): Featurizer {
  if (!featurizer) {
    jieba = Jieba.withDict(dict);
    const lexicon = loadLexicon();
    jieba.loadDict(Buffer.from(lexicon.words.map((w) => `${w} 100000`).join('\n')));
    const j = jieba;
    featurizer = makeFeaturizer((s) => j.cut(s, false));
  }
  return featurizer;
}

export function toSimplified(): (s: string) => string {
  converter ??= OpenCC.Converter({ from: 'hk', to: 'cn' });
  return converter;
}

export function loadModel(file = DEFAULT_MODEL_PATH): TriageModel | null {
  if (!fs.existsSync(file)) return null;
  return new TriageModel(readJson<SavedModel>(file), getFeaturizer());
}

export function createTriageEngine(
  opts: { catalogue?: Catalogue; model?: TriageModel | null; modelPath?: string } = {},
): TriageEngine {
  return new TriageEngine({
    catalogue: opts.catalogue ?? loadSeedCatalogue(),
    lexicon: loadLexicon(),
    toSimplified: toSimplified(),
    model: opts.model !== undefined ? opts.model : loadModel(opts.modelPath),
  });
}
