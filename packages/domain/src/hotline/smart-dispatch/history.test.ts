import { describe, expect, it } from 'vitest';
import type { HistoryFormatError } from './history.ts';
import { decodeHistory, readHistory } from './history.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** GB18030 bytes of a few characters (TextEncoder only writes UTF-8): 停水 → CDA3 CBAE, 水务 → CBAE CEF1. */
const GB: Record<string, number[]> = { 停: [0xcd, 0xa3], 水: [0xcb, 0xae], 务: [0xce, 0xf1] };
function gb18030(s: string): Uint8Array {
  const out: number[] = [];
  for (const ch of s) out.push(...(GB[ch] ?? [ch.charCodeAt(0)]));
  return Uint8Array.from(out);
}

describe('reading a dispatch history', () => {
  it('reads JSON Lines, listing bad lines apart with their line number and a code', () => {
    const h = readHistory(
      utf8(
        [
          '{"text":"停水两天","label":"水务","title":"停水","district":"渝中区"}',
          '',
          '{"text":"broken',
          '[1,2]',
          '{"text":"  ","label":"水务"}',
          '{"text":"没有单位"}',
          '{"text":"电梯坏了","label":"住建"}',
        ].join('\n'),
      ),
    );
    expect(h.format).toBe('jsonl');
    expect(h.records).toEqual([
      { text: '停水两天', title: '停水', label: '水务', district: '渝中区' },
      { text: '电梯坏了', title: null, label: '住建', district: null },
    ]);
    expect(h.problems.map((p) => [p.line, p.code])).toEqual([
      [3, 'LINE_NOT_JSON'],
      [4, 'LINE_NOT_OBJECT'],
      [5, 'TEXT_MISSING'],
      [6, 'LABEL_MISSING'],
    ]);
  });

  it('reads CSV with a header in any column order, quoted fields with commas, quotes and line breaks, and a BOM', () => {
    const csv = '\ufefflabel,Text,title\r\n水务,"停水了，""急""\n请处理",停水\r\n住建,电梯坏了,\r\n少一列\r\n';
    const h = readHistory(utf8(csv));
    expect(h.format).toBe('csv');
    expect(h.encoding).toBe('utf-8');
    expect(h.records).toEqual([
      { text: '停水了，"急"\n请处理', title: '停水', label: '水务', district: null },
      { text: '电梯坏了', title: null, label: '住建', district: null },
    ]);
    expect(h.problems).toMatchObject([{ line: 4, code: 'CSV_COLUMNS' }]);
  });

  it('detects GB18030 (bytes that are not UTF-8)', () => {
    expect(decodeHistory(gb18030('停水')).text).toBe('停水');
    const h = readHistory(gb18030('text,label\n停水,水务\n'));
    expect(h.encoding).toBe('gb18030');
    expect(h.records[0]).toMatchObject({ text: '停水', label: '水务' });
  });

  it('refuses an empty file and a CSV without text or label columns', () => {
    const code = (s: string) => {
      try {
        readHistory(utf8(s));
      } catch (e) {
        return (e as HistoryFormatError).code;
      }
      return null;
    };
    expect(code('  \n ')).toBe('HISTORY_EMPTY');
    expect(code('content,label\n停水,水务')).toBe('CSV_NO_TEXT_COLUMN');
    expect(code('text,unit\n停水,水务')).toBe('CSV_NO_LABEL_COLUMN');
  });
});
