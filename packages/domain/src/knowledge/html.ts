/**
 * Article bodies are rich text in a small HTML subset (p, h3, ul, ol, li, strong; no attributes): what a
 * call-taker reads and the public page shows, safe to render as it is once it passes this check.
 */
import { fail, ok, type Result } from '../shared/result.ts';

export const BODY_TAGS = ['p', 'h3', 'ul', 'ol', 'li', 'strong'] as const;
const ALLOWED = new Set<string>(BODY_TAGS);
const BLOCK = new Set(['p', 'h3', 'ul', 'ol', 'li']);
/** Where each tag may stand: its parent (or the top of the body). */
const PARENTS: Record<string, readonly string[]> = {
  p: ['', 'li'],
  h3: [''],
  ul: ['', 'li'],
  ol: ['', 'li'],
  li: ['ul', 'ol'],
  strong: ['p', 'h3', 'li'],
};
const TAG = /<\/?([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--|<!|<\?/g;
const ENTITY = /&(?:#(\d{1,7})|#x([0-9a-fA-F]{1,6})|([a-z]+));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

export const MAX_BODY_CHARS = 20_000;

/** Checks the body; the answer is the body as given (it is stored as written when valid). */
export function checkBody(html: string): Result<string> {
  if (html.length > MAX_BODY_CHARS) return fail('KNOWLEDGE_BODY_INVALID', `正文过长（上限 ${MAX_BODY_CHARS} 字符）`);
  const stack: string[] = [];
  let m: RegExpExecArray | null;
  let last = 0;
  TAG.lastIndex = 0;
  const textOk = (s: string) => !/[<>]/.test(s) && !/&(?!(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-z]+);)/.test(s);
  while ((m = TAG.exec(html))) {
    if (!textOk(html.slice(last, m.index))) return fail('KNOWLEDGE_BODY_INVALID', '正文含有未转义的 < > 或 & 字符');
    last = TAG.lastIndex;
    if (!m[1]) return fail('KNOWLEDGE_BODY_INVALID', '正文不能包含注释或声明');
    const name = m[1].toLowerCase();
    if (!ALLOWED.has(name))
      return fail('KNOWLEDGE_BODY_INVALID', `正文只能使用 ${BODY_TAGS.join('、')} 标签，不能使用 <${name}>`);
    if (m[2]!.trim()) return fail('KNOWLEDGE_BODY_INVALID', `<${name}> 标签不能带属性`);
    if (m[0].startsWith('</')) {
      if (stack.pop() !== name) return fail('KNOWLEDGE_BODY_INVALID', `</${name}> 没有对应的开始标签`);
    } else {
      const parent = stack[stack.length - 1] ?? '';
      if (!PARENTS[name]!.includes(parent))
        return fail('KNOWLEDGE_BODY_INVALID', `<${name}> 不能放在${parent ? ` <${parent}> 中` : '正文最外层'}`);
      stack.push(name);
    }
  }
  if (!textOk(html.slice(last))) return fail('KNOWLEDGE_BODY_INVALID', '正文含有未转义的 < > 或 & 字符');
  if (stack.length) return fail('KNOWLEDGE_BODY_INVALID', `<${stack[stack.length - 1]}> 没有结束标签`);
  if (!bodyText(html).trim()) return fail('KNOWLEDGE_BODY_INVALID', '正文为空');
  return ok(html);
}

/** Plain text of a body: blocks become line breaks, entities are decoded. */
export function bodyText(html: string): string {
  return html
    .replace(TAG, (all, name: string | undefined) => (name && BLOCK.has(name.toLowerCase()) ? '\n' : ''))
    .replace(ENTITY, (all, dec: string | undefined, hex: string | undefined, named: string | undefined) => {
      const cp = dec ? Number(dec) : hex ? parseInt(hex, 16) : -1;
      if (cp >= 0) return cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
      return NAMED[named!] ?? all;
    })
    .replace(/[ \t]*\n[\s]*/g, '\n')
    .trim();
}
