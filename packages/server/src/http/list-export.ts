/**
 * A list as a spreadsheet (.xlsx, exceljs): what the reader sees in the list, with the filters they chose,
 * for a centre that sends lists to departments. At most EXPORT_MAX_ROWS rows; the sheet says when there were
 * more.
 */
import ExcelJS from 'exceljs';
import { beijingIso } from '@liandong/domain';

export const EXPORT_MAX_ROWS = 10_000;
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface ExportColumn<T> {
  header: string;
  value(row: T): string | number | null;
  width?: number;
}

export interface ListExport<T> {
  /** The sheet's title and the file's name (工单查询, 警情查询). */
  title: string;
  /** The file's name in ASCII (the UTF-8 name is given beside it). */
  asciiName: string;
  columns: ExportColumn<T>[];
}

/** The workbook: a title line (with how many rows of how many), the header, the rows. */
export async function listToXlsx<T>(e: ListExport<T>, rows: T[], total: number, at: Date): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.created = at;
  const ws = wb.addWorksheet(e.title.slice(0, 31));
  const stamp = beijingMinute(at.toISOString());
  ws.addRow([
    total > rows.length
      ? `${e.title}（导出于 ${stamp}，共 ${total} 条，按所选条件导出前 ${rows.length} 条）`
      : `${e.title}（导出于 ${stamp}，共 ${total} 条）`,
  ]).font = { bold: true };
  ws.addRow(e.columns.map((c) => c.header)).font = { bold: true };
  for (const r of rows) ws.addRow(e.columns.map((c) => c.value(r)));
  e.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.width ?? 14));
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** An instant of the API (ISO 8601) as Beijing time to the minute, as the console shows it. */
export function beijingMinute(iso: string | null | undefined): string | null {
  return iso ? beijingIso(new Date(iso)).slice(0, 16).replace('T', ' ') : null;
}

/** `attachment` with an ASCII name and the Chinese one (RFC 6266 / 5987). */
export function attachment(asciiName: string, name: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
