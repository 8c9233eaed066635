/**
 * Reading a city's spreadsheet: an .xlsx workbook (its first sheet) or a CSV file (UTF-8, or GB18030 as
 * Excel saves CSV on a Chinese Windows), first row the column headers. A file that cannot be read at all
 * is refused as a whole with IMPORT_FILE_INVALID.
 */
import ExcelJS from 'exceljs';
import { parseCsv } from '@liandong/domain';
import { AppError } from '../errors.ts';

export const MAX_IMPORT_ROWS = 20_000;

export interface Column {
  key: string;
  header: string;
  required: boolean;
  /** What goes in the column, for the template's 说明 sheet. */
  note: string;
  example: string;
}

const isZip = (b: Buffer) => b.length > 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

function decodeText(b: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return new TextDecoder('gb18030').decode(b);
  }
}

async function readCells(body: Buffer): Promise<string[][]> {
  if (!isZip(body)) return parseCsv(decodeText(body));
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(body as unknown as ArrayBuffer);
  } catch {
    throw new AppError('IMPORT_FILE_INVALID', '文件无法读取：不是有效的 Excel 工作簿（.xlsx）');
  }
  const sheet = wb.worksheets[0];
  if (!sheet) throw new AppError('IMPORT_FILE_INVALID', '工作簿中没有工作表');
  const rows: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(String(row.getCell(c).text ?? ''));
    rows[n - 1] = cells;
  });
  return Array.from(rows, (r) => r ?? []);
}

/**
 * The file's data rows keyed by column, each with its row number as the person sees it in the sheet
 * (the header is row 1). Blank rows are skipped; unknown or missing headers refuse the file.
 */
export async function readTable(
  body: Buffer,
  columns: readonly Column[],
): Promise<{ row: number; values: Record<string, string> }[]> {
  if (body.length === 0) throw new AppError('IMPORT_FILE_INVALID', '文件为空');
  const cells = await readCells(body);
  const header = (cells[0] ?? []).map((h) =>
    h
      .replace(/^\ufeff/, '')
      .replace(/[*＊]/g, '')
      .trim(),
  );
  while (header.length && header[header.length - 1] === '') header.pop();
  if (header.length === 0) throw new AppError('IMPORT_FILE_INVALID', '第1行须为列名');
  const byHeader = new Map(columns.map((c) => [c.header, c]));
  const unknown = header.filter((h) => h && !byHeader.has(h));
  if (unknown.length)
    throw new AppError('IMPORT_FILE_INVALID', `无法识别的列：${unknown.join('、')}（请使用模板中的列名）`, { unknown });
  const missing = columns.filter((c) => c.required && !header.includes(c.header)).map((c) => c.header);
  if (missing.length) throw new AppError('IMPORT_FILE_INVALID', `缺少必填列：${missing.join('、')}`, { missing });
  const dup = header.filter((h, i) => h && header.indexOf(h) !== i);
  if (dup.length) throw new AppError('IMPORT_FILE_INVALID', `列名重复：${[...new Set(dup)].join('、')}`);
  const out: { row: number; values: Record<string, string> }[] = [];
  for (let i = 1; i < cells.length; i++) {
    const r = cells[i] ?? [];
    if (r.every((v) => !v.trim())) continue;
    const values: Record<string, string> = {};
    header.forEach((h, j) => {
      if (h) values[byHeader.get(h)!.key] = (r[j] ?? '').trim();
    });
    out.push({ row: i + 1, values });
  }
  if (out.length === 0) throw new AppError('IMPORT_FILE_INVALID', '文件中没有数据行');
  if (out.length > MAX_IMPORT_ROWS)
    throw new AppError('IMPORT_FILE_INVALID', `一次最多导入${MAX_IMPORT_ROWS}行，本文件有${out.length}行`);
  return out;
}

/** An .xlsx template: the headers (required ones marked *), one example row, and a sheet explaining each column. */
export async function templateXlsx(title: string, columns: readonly Column[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet(title);
  sheet.addRow(columns.map((c) => (c.required ? `${c.header}*` : c.header))).font = { bold: true };
  sheet.addRow(columns.map((c) => c.example));
  columns.forEach((c, i) => {
    sheet.getColumn(i + 1).width = Math.max(12, c.header.length * 2 + 4, c.example.length * 2 + 2);
    // Codes such as 500103 stay text (not numbers Excel would reformat).
    sheet.getColumn(i + 1).numFmt = '@';
  });
  const help = wb.addWorksheet('说明');
  help.addRow(['列名', '是否必填', '说明']).font = { bold: true };
  for (const c of columns) help.addRow([c.header, c.required ? '必填' : '选填', c.note]);
  help.getColumn(1).width = 16;
  help.getColumn(2).width = 10;
  help.getColumn(3).width = 80;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The same template as CSV (UTF-8 with a byte-order mark, so Excel opens it in Chinese). */
export function templateCsv(columns: readonly Column[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  return `\ufeff${columns.map((c) => q(c.header)).join(',')}\r\n${columns.map((c) => q(c.example)).join(',')}\r\n`;
}
