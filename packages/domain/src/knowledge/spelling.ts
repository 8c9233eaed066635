/**
 * Homophone typos from pinyin input (社宝 → 社保, 公基金 → 公积金): a span of the caller's words that
 * is neither a word of the knowledge base nor of the general dictionary, but sounds exactly like a
 * knowledge-base word, is read as that word. Pinyin and the dictionary check are injected.
 */

export interface SpellingDeps {
  /** Toneless pinyin, one syllable per character (社宝 → ['she', 'bao']). */
  pinyin: (text: string) => string[];
  /** Precise segmentation by the general dictionary (jieba without new-word guessing). */
  cut: (text: string) => string[];
}

export interface SpellingCorrector {
  correct(normalisedText: string): { text: string; corrections: [string, string][] };
}

const HAN_RUN = /^\p{Script=Han}+$/u;
const MIN_LEN = 2;
const MAX_LEN = 4;

/**
 * A candidate span starts and ends at word boundaries of the precise segmentation and holds at least
 * one lone character (a word the dictionary did not recognise: 社宝 → 社/宝, 公基金 → 公/基金), so a
 * correct phrase is never rewritten across its words (的人医保 keeps 医保).
 *
 * @param vocabulary knowledge-base words with their document frequency
 */
export function createSpellingCorrector(
  vocabulary: ReadonlyMap<string, number>,
  deps: SpellingDeps,
): SpellingCorrector {
  const bySound = new Map<string, { word: string; df: number }>();
  for (const [word, df] of vocabulary) {
    if (word.length < MIN_LEN || word.length > MAX_LEN || !HAN_RUN.test(word)) continue;
    const syllables = deps.pinyin(word);
    if (syllables.length !== word.length) continue;
    const key = syllables.join(' ');
    const prev = bySound.get(key);
    if (!prev || prev.df < df) bySound.set(key, { word, df });
  }
  return {
    correct(text: string) {
      const corrections: [string, string][] = [];
      const words = deps.cut(text);
      let out = '';
      for (let i = 0; i < words.length;) {
        let fixed = false;
        for (let n = Math.min(MAX_LEN, words.length - i); n >= 1 && !fixed; n -= 1) {
          const parts = words.slice(i, i + n);
          const span = parts.join('');
          if (span.length < MIN_LEN || span.length > MAX_LEN || !HAN_RUN.test(span)) continue;
          if (!parts.some((p) => p.length === 1) || vocabulary.has(span)) continue;
          const hit = bySound.get(deps.pinyin(span).join(' '));
          if (hit && hit.word !== span) {
            corrections.push([span, hit.word]);
            out += hit.word;
            i += n;
            fixed = true;
          }
        }
        if (!fixed) {
          out += words[i];
          i += 1;
        }
      }
      return { text: out, corrections };
    },
  };
}
