import type { Lexicon, TriageTextError } from './types.ts';

export const MAX_TEXT_CHARS = 5000;

// Emoji and pictographs, variation selectors, zero-width joiners.
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{200D}]/gu;
const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]/u;
/** A quick test for what EMOJI could remove (most texts have none). */
const MAYBE_EMOJI =
  /[\u{1F000}-\u{1FFFF}\u2190-\u2BFF\u3030\u303D\u3297\u3299\uFE0E\uFE0F\u200D\u00A9\u00AE\u203C\u2049\u2122\u2139]/u;

export interface Normaliser {
  (text: string): string;
}

/**
 * Full-width → half-width (NFKC), traditional → simplified (injected converter), lower case,
 * Chongqing dialect and common typos → standard words, emoji removed, runs of spaces folded (line
 * breaks kept: they end sentences).
 */
export function createNormaliser(
  lexicon: Pick<Lexicon, 'dialect' | 'typos'>,
  toSimplified: (s: string) => string = (s) => s,
): Normaliser {
  // Longest first, so 遭人 is replaced before 遭.
  const pairs = [...lexicon.typos, ...lexicon.dialect].sort((a, b) => b[0].length - a[0].length);
  const byFirst = new Map<number, [string, string][]>();
  for (const p of pairs) {
    const c = p[0].charCodeAt(0);
    const list = byFirst.get(c) ?? [];
    list.push(p);
    byFirst.set(c, list);
  }
  const first = new Uint8Array(65536);
  for (const c of byFirst.keys()) first[c] = 1;
  return (text: string) => {
    let s = toSimplified(text.normalize('NFKC')).toLowerCase();
    if (MAYBE_EMOJI.test(s)) s = s.replace(EMOJI, '');
    s = s
      .replace(/[ \t\u3000]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim();
    // Copy runs untouched, replace where a dialect word or typo starts.
    let out = '';
    let from = 0;
    for (let i = 0; i < s.length;) {
      if (first[s.charCodeAt(i)]) {
        const hit = byFirst.get(s.charCodeAt(i))!.find(([w]) => s.startsWith(w, i));
        if (hit) {
          out += s.slice(from, i) + hit[1];
          i += hit[0].length;
          from = i;
          continue;
        }
      }
      i += 1;
    }
    return from === 0 ? s : out + s.slice(from);
  };
}

/** Why a text cannot be triaged, or null when it can. */
export function checkText(text: unknown): { code: TriageTextError; message: string } | null {
  if (typeof text !== 'string') return { code: 'TEXT_MISSING', message: '缺少诉求文本（text 须为字符串）' };
  if (text.length > MAX_TEXT_CHARS)
    return { code: 'TEXT_TOO_LONG', message: `诉求文本过长（${text.length} 字符，上限 ${MAX_TEXT_CHARS}）` };
  if (!text.trim()) return { code: 'TEXT_EMPTY', message: '诉求文本为空' };
  if (!MEANINGFUL.test(text) || (MAYBE_EMOJI.test(text) && !MEANINGFUL.test(text.replace(EMOJI, ''))))
    return { code: 'TEXT_NO_CONTENT', message: '诉求文本没有可识别的文字（仅有标点或表情）' };
  return null;
}
