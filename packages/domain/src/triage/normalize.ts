import type { Lexicon, TriageTextError } from './types.ts';

export const MAX_TEXT_CHARS = 5000;

// Emoji and pictographs, variation selectors, zero-width joiners.
const EMOJI = /[\p{Extended_Pictographic}\u{1F3FB}-\u{1F3FF}\u{FE0E}\u{FE0F}\u{200D}]/gu;
const MEANINGFUL = /[\p{Script=Han}\p{L}\p{N}]/u;

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
  const byFirst = new Map<string, [string, string][]>();
  for (const p of pairs) {
    const list = byFirst.get(p[0][0]!) ?? [];
    list.push(p);
    byFirst.set(p[0][0]!, list);
  }
  return (text: string) => {
    const s = toSimplified(text.normalize('NFKC'))
      .toLowerCase()
      .replace(EMOJI, '')
      .replace(/[ \t\u3000]+/g, ' ')
      .replace(/\s*\n\s*/g, '\n')
      .trim();
    let out = '';
    for (let i = 0; i < s.length; ) {
      const list = byFirst.get(s[i]!);
      const hit = list?.find(([from]) => s.startsWith(from, i));
      if (hit) {
        out += hit[1];
        i += hit[0].length;
        continue;
      }
      out += s[i];
      i += 1;
    }
    return out;
  };
}

/** Why a text cannot be triaged, or null when it can. */
export function checkText(text: unknown): { code: TriageTextError; message: string } | null {
  if (typeof text !== 'string') return { code: 'TEXT_MISSING', message: '缺少诉求文本（text 须为字符串）' };
  if (text.length > MAX_TEXT_CHARS)
    return { code: 'TEXT_TOO_LONG', message: `诉求文本过长（${text.length} 字符，上限 ${MAX_TEXT_CHARS}）` };
  if (!text.trim()) return { code: 'TEXT_EMPTY', message: '诉求文本为空' };
  if (!MEANINGFUL.test(text.replace(EMOJI, '')))
    return { code: 'TEXT_NO_CONTENT', message: '诉求文本没有可识别的文字（仅有标点或表情）' };
  return null;
}
