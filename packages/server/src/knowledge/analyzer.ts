/**
 * The knowledge base's text analysis for the server and the CLI: the lexicon in
 * packages/server/knowledge/lexicon.json, jieba (its dictionary plus the lexicon's words) in search
 * mode, traditional → simplified (OpenCC, as triage does), and pinyin for homophone typos.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';
import { pinyin } from 'pinyin-pro';
import {
  createKnowledgeAnalyzer,
  createSpellingCorrector,
  type KnowledgeAnalyzer,
  type KnowledgeLexicon,
  type SpellingCorrector,
} from '@liandong/domain';
import { toSimplified } from '../triage/triage-engine.ts';

export const KNOWLEDGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../knowledge');

export function loadKnowledgeLexicon(): KnowledgeLexicon {
  return JSON.parse(fs.readFileSync(path.join(KNOWLEDGE_DIR, 'lexicon.json'), 'utf8')) as KnowledgeLexicon;
}

let jieba: Jieba | null = null;
let analyzer: KnowledgeAnalyzer | null = null;

function getJieba(lexicon: KnowledgeLexicon): Jieba {
  if (!jieba) {
    jieba = Jieba.withDict(dict);
    const own = new Set([
      ...lexicon.words,
      ...lexicon.synonyms.map((g) => g[0]!),
      ...lexicon.dialect.map((p) => p[1]),
      ...lexicon.typos.map((p) => p[1]),
    ]);
    jieba.loadDict(
      Buffer.from(
        [...own]
          .filter((w) => w.length > 1 && !/\s/.test(w))
          .map((w) => `${w} 200000`)
          .join('\n'),
      ),
    );
  }
  return jieba;
}

/** One analyzer per process (jieba's dictionary takes a moment to load). */
export function getKnowledgeAnalyzer(): KnowledgeAnalyzer {
  if (!analyzer) {
    const lexicon = loadKnowledgeLexicon();
    const j = getJieba(lexicon);
    analyzer = createKnowledgeAnalyzer({
      lexicon,
      segment: (s) => j.cutForSearch(s, false),
      segmentPrecise: (s) => j.cut(s, false),
      segmentTagged: (s) => j.tag(s, false),
      toSimplified: toSimplified(),
    });
  }
  return analyzer;
}

const sounds = new Map<string, string[]>();
const soundOf = (s: string): string[] => {
  let p = sounds.get(s);
  if (!p) {
    p = pinyin(s, { toneType: 'none', type: 'array' });
    if (sounds.size > 200_000) sounds.clear();
    sounds.set(s, p);
  }
  return p;
};

export function createCorrector(vocabulary: ReadonlyMap<string, number>): SpellingCorrector {
  const j = getJieba(loadKnowledgeLexicon());
  return createSpellingCorrector(vocabulary, {
    pinyin: soundOf,
    cut: (s) => j.cut(s, false),
  });
}

/**
 * A text's words by the same jieba in search mode (a compound and its parts: 提取公积金, 提取, 公积金), the
 * knowledge lexicon's words added: the reports' topics, where two ways of putting one question must meet.
 */
export function segmentWords(text: string): string[] {
  return (jieba ?? getJieba(loadKnowledgeLexicon())).cutForSearch(text, false);
}
