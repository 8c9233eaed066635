/**
 * A city's dispatch history as a file: JSON Lines (the first non-blank character is `{`) or CSV with a
 * header, in UTF-8 (with or without a byte-order mark) or GB18030 (detected: bytes that are not valid
 * UTF-8 are read as GB18030, and so are bytes that read as more Han characters in GB18030). Each record has `text` (required), `title` (optional), `label` (the unit
 * that handled it — a department, a unit code or a category: any string) and optionally `district`.
 */
import { parseCsv } from '../../telephony/call-records.ts';

export interface HistoryRecord {
  text: string;
  title: string | null;
  label: string;
  district: string | null;
}

export interface HistoryProblem {
  /** 1-based line (JSON Lines) or record (CSV, counting the header as 1). */
  line: number;
  code: 'LINE_NOT_JSON' | 'LINE_NOT_OBJECT' | 'TEXT_MISSING' | 'LABEL_MISSING' | 'CSV_COLUMNS';
  message: string;
}

export interface History {
  format: 'jsonl' | 'csv';
  encoding: 'utf-8' | 'gb18030';
  records: HistoryRecord[];
  /** Records left out, and why (the rest are used). */
  problems: HistoryProblem[];
}

export class HistoryFormatError extends Error {
  constructor(
    readonly code: 'HISTORY_EMPTY' | 'CSV_NO_TEXT_COLUMN' | 'CSV_NO_LABEL_COLUMN',
    message: string,
  ) {
    super(message);
  }
}

/** The text of a file's bytes: UTF-8 (a BOM is dropped) unless the bytes are not UTF-8, then GB18030. */
export function decodeHistory(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'gb18030' } {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  let utf8: string;
  try {
    utf8 = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
  // A short GB18030 text can also be valid UTF-8 (two-byte sequences: Latin, Greek, Cyrillic letters).
  // When the UTF-8 reading has such letters, the reading with more Han characters wins.
  if (/[\u0080-\u07ff]/.test(utf8)) {
    const gb = new TextDecoder('gb18030').decode(bytes);
    if (hanCount(gb) > hanCount(utf8)) return { text: gb, encoding: 'gb18030' };
  }
  return { text: utf8, encoding: 'utf-8' };
}

function hanCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x4e00 && c <= 0x9fff) n++;
  }
  return n;
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null);
const nonBlank = (v: unknown): string | null => {
  const s = str(v);
  return s !== null && s.trim() ? s.trim() : null;
};

function toRecord(o: Record<string, unknown>, line: number, problems: HistoryProblem[]): HistoryRecord | null {
  const text = nonBlank(o.text);
  if (text === null) {
    problems.push({ line, code: 'TEXT_MISSING', message: '缺少诉求文本（text）' });
    return null;
  }
  const label = nonBlank(o.label);
  if (label === null) {
    problems.push({ line, code: 'LABEL_MISSING', message: '缺少承办单位（label）' });
    return null;
  }
  return { text, title: nonBlank(o.title), label, district: nonBlank(o.district) };
}

/** Reads a history file's bytes. Bad records are listed in `problems`; a file without any is an error. */
export function readHistory(bytes: Uint8Array): History {
  const { text, encoding } = decodeHistory(bytes);
  const first = text.match(/\S/)?.[0];
  if (first === undefined) throw new HistoryFormatError('HISTORY_EMPTY', '历史数据文件为空');
  const records: HistoryRecord[] = [];
  const problems: HistoryProblem[] = [];
  if (first === '{') {
    const lines = text.split('\n');
    for (let k = 0; k < lines.length; k++) {
      const line = lines[k]!.trim();
      if (!line) continue;
      let o: unknown;
      try {
        o = JSON.parse(line);
      } catch {
        problems.push({ line: k + 1, code: 'LINE_NOT_JSON', message: '该行不是合法的 JSON' });
        continue;
      }
      if (!o || typeof o !== 'object' || Array.isArray(o)) {
        problems.push({ line: k + 1, code: 'LINE_NOT_OBJECT', message: '该行须为 JSON 对象 {"text","label"}' });
        continue;
      }
      const r = toRecord(o as Record<string, unknown>, k + 1, problems);
      if (r) records.push(r);
    }
    return { format: 'jsonl', encoding, records, problems };
  }
  const rows = parseCsv(text);
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (col('text') < 0) throw new HistoryFormatError('CSV_NO_TEXT_COLUMN', 'CSV 表头须有 text 列');
  if (col('label') < 0) throw new HistoryFormatError('CSV_NO_LABEL_COLUMN', 'CSV 表头须有 label 列');
  for (let k = 1; k < rows.length; k++) {
    const row = rows[k]!;
    if (row.length !== header.length) {
      problems.push({
        line: k + 1,
        code: 'CSV_COLUMNS',
        message: `第 ${k + 1} 条记录有 ${row.length} 列，表头有 ${header.length} 列`,
      });
      continue;
    }
    const o: Record<string, unknown> = {};
    header.forEach((h, j) => (o[h] = row[j]));
    const r = toRecord(o, k + 1, problems);
    if (r) records.push(r);
  }
  return { format: 'csv', encoding, records, problems };
}
