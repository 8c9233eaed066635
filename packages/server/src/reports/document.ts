/**
 * A report as a document: a title, a 文号 line, numbered sections of text and tables. Each report
 * builds one; the exporters lay it out as .xlsx (one sheet per table, numbers as numbers) and as a
 * .docx 通报 in the layout of a government document (GB/T 9704: title, 文号, 一、二、… sections, tables,
 * the issuing body and date).
 */
import ExcelJS from 'exceljs';
import {
  AlignmentType,
  BorderStyle,
  Document,
  Packer,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';

/** How a column's values are written: counts, seconds (shown as minutes or hours), rates and changes. */
export type ColumnFormat = 'text' | 'count' | 'seconds' | 'rate' | 'change' | 'points';
/** `row`: the row's own format (a table of mixed figures); `rowChange`: the change of the row's figure */
export type ColumnSpec = ColumnFormat | 'row' | 'rowChange';

export interface ReportTable {
  /** the sheet's name in the workbook (≤ 31 characters) */
  sheet: string;
  caption: string;
  columns: { header: string; format: ColumnSpec }[];
  rows: (string | number | null)[][];
  /** each row's format, for `row` and `rowChange` columns */
  rowFormats?: ColumnFormat[];
}

export interface ReportSection {
  heading: string;
  paragraphs: string[];
  tables: ReportTable[];
}

export interface ReportDocument {
  title: string;
  /** 文号 line, e.g. 联动通〔2026〕10号 */
  docNo: string;
  /** the period in words, under the title */
  subtitle: string;
  issuer: string;
  issuedOn: string;
  sections: ReportSection[];
}

export function formatSeconds(s: number | null): string {
  if (s === null) return '—';
  if (s < 60) return `${Math.round(s)}秒`;
  if (s < 3600) return `${Math.round(s / 60)}分钟`;
  if (s < 86_400 * 2) return `${(s / 3600).toFixed(1)}小时`;
  return `${(s / 86_400).toFixed(1)}天`;
}

export function formatValue(v: string | number | null, f: ColumnFormat): string {
  if (v === null) return '—';
  if (typeof v === 'string') return v;
  switch (f) {
    case 'seconds':
      return formatSeconds(v);
    case 'rate':
      return `${(v * 100).toFixed(1)}%`;
    case 'change':
      return `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}%`;
    case 'points':
      return `${v > 0 ? '+' : ''}${(v * 100).toFixed(1)}个百分点`;
    default:
      return String(v);
  }
}

/** The format of one cell. */
export function cellFormat(t: ReportTable, row: number, col: number): ColumnFormat {
  const spec = t.columns[col]!.format;
  if (spec === 'row') return t.rowFormats?.[row] ?? 'count';
  if (spec === 'rowChange') return t.rowFormats?.[row] === 'rate' ? 'points' : 'change';
  return spec;
}

const NUM_FMT: Partial<Record<ColumnFormat, string>> = {
  count: '#,##0',
  seconds: '#,##0',
  rate: '0.0%',
  change: '+0.0%;-0.0%;0.0%',
  points: '+0.0%;-0.0%;0.0%',
};

export async function toXlsx(doc: ReportDocument): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = doc.issuer;
  wb.created = new Date();
  const used = new Set<string>();
  for (const section of doc.sections)
    for (const t of section.tables) {
      let name = t.sheet.slice(0, 31);
      for (let i = 2; used.has(name); i++) name = `${t.sheet.slice(0, 28)}${i}`;
      used.add(name);
      const ws = wb.addWorksheet(name);
      ws.addRow([`${doc.title}（${doc.subtitle}）`]).font = { bold: true };
      ws.addRow([t.caption]);
      const header = ws.addRow(t.columns.map((c) => (c.format === 'seconds' ? `${c.header}（秒）` : c.header)));
      header.font = { bold: true };
      t.rows.forEach((r, ri) => {
        const row = ws.addRow(r.map((v) => v ?? null));
        t.columns.forEach((_c, i) => {
          const fmt = NUM_FMT[cellFormat(t, ri, i)];
          if (fmt) row.getCell(i + 1).numFmt = fmt;
        });
      });
      t.columns.forEach((c, i) => (ws.getColumn(i + 1).width = c.format === 'text' ? 24 : 14));
      ws.views = [{ state: 'frozen', ySplit: 3 }];
    }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const FONT_BODY = 'FangSong';
const FONT_TITLE = 'SimSun';
const run = (text: string, o: { size?: number; bold?: boolean; font?: string } = {}) =>
  new TextRun({ text, size: o.size ?? 32, bold: o.bold, font: o.font ?? FONT_BODY });
const CELL_BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function docxTable(t: ReportTable): Table {
  const cell = (text: string, bold = false) =>
    new TableCell({
      children: [new Paragraph({ alignment: AlignmentType.CENTER, children: [run(text, { size: 21, bold })] })],
      borders: { top: CELL_BORDER, bottom: CELL_BORDER, left: CELL_BORDER, right: CELL_BORDER },
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: t.columns.map((c) => cell(c.header, true)) }),
      ...t.rows.map((r, ri) => new TableRow({ children: r.map((v, i) => cell(formatValue(v, cellFormat(t, ri, i)))) })),
    ],
  });
}

export async function toDocx(doc: ReportDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 200 }, children: [run(doc.docNo)] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 200 },
      children: [run(doc.title, { size: 44, bold: true, font: FONT_TITLE })],
    }),
    new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 400 }, children: [run(`（${doc.subtitle}）`)] }),
  ];
  for (const s of doc.sections) {
    children.push(
      new Paragraph({ spacing: { before: 200 }, children: [run(s.heading, { bold: true, font: 'SimHei' })] }),
    );
    for (const p of s.paragraphs) children.push(new Paragraph({ indent: { firstLine: 640 }, children: [run(p)] }));
    for (const t of s.tables) {
      children.push(
        new Paragraph({
          alignment: AlignmentType.CENTER,
          spacing: { before: 120 },
          children: [run(t.caption, { size: 24, bold: true })],
        }),
      );
      children.push(docxTable(t));
    }
  }
  children.push(
    new Paragraph({ alignment: AlignmentType.RIGHT, spacing: { before: 600 }, children: [run(doc.issuer)] }),
    new Paragraph({ alignment: AlignmentType.RIGHT, children: [run(doc.issuedOn)] }),
  );
  const file = new Document({
    creator: doc.issuer,
    title: doc.title,
    sections: [
      {
        // A4, margins of GB/T 9704 (top 37 mm, bottom 35 mm, left 28 mm, right 26 mm), in twips
        properties: {
          page: { size: { width: 11906, height: 16838 }, margin: { top: 2098, bottom: 1984, left: 1588, right: 1474 } },
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(file);
}
