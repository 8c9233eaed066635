import { useEffect, useState } from 'react';
import { get } from '../../api/client.ts';

/**
 * 常用语: the phrases a 12345 call-taker types many times a day, inserted into 诉求内容 where the caret
 * stands (Alt+P opens the list; arrows and Enter choose). The desk's administrators keep the list
 * (系统管理 → 常用语, GET /api/phrases); this is the list it was seeded with, shown while the desk's list
 * loads or when it cannot be loaded.
 */
export const PHRASES: readonly string[] = [
  '来电人反映：',
  '来电人咨询：',
  '来电人投诉：',
  '来电人建议：',
  '来电人求助：',
  '来电人要求尽快处理。',
  '来电人要求回复处理结果。',
  '来电人要求相关部门到现场核实处理。',
  '来电人此前已多次反映，问题仍未解决。',
  '来电人不愿留下姓名。',
  '来电人要求对其个人信息保密。',
];

/**
 * The desk's 常用语, in the administrators' order; null while they load (the list is not swapped under
 * an open menu, which would lose the keyboard's place in it); the built-in list if they cannot be loaded.
 */
export function usePhrases(): readonly string[] | null {
  const [phrases, setPhrases] = useState<readonly string[] | null>(null);
  useEffect(() => {
    const ac = new AbortController();
    get<{ id: string; text: string }[]>('/api/phrases', undefined, ac.signal)
      .then((r) => setPhrases(r.map((p) => p.text)))
      .catch((e: unknown) => {
        if ((e as Error).name !== 'AbortError') setPhrases(PHRASES);
      });
    return () => ac.abort();
  }, []);
  return phrases;
}

/**
 * The text with the phrase put in place of the selection [start, end) (the caret when they are equal), and
 * where the caret goes after it; null when the result would pass `maxLength`.
 */
export function insertPhrase(
  text: string,
  phrase: string,
  start: number,
  end: number,
  maxLength: number,
): { text: string; caret: number } | null {
  const from = Math.max(0, Math.min(start, text.length));
  const to = Math.max(from, Math.min(end, text.length));
  const next = text.slice(0, from) + phrase + text.slice(to);
  return next.length > maxLength ? null : { text: next, caret: from + phrase.length };
}
