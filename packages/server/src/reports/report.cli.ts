/**
 * `npx liandong report <name> --period P [--format json|xlsx|docx] [--out FILE] [--url URL]`: the same
 * report as the API, from the database DATABASE_URL (or --url) names, or the embedded data folder when
 * no server holds it. JSON goes to standard output without --out.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '../config.ts';
import { AppError } from '../errors.ts';
import { REPORT_FORMATS, REPORT_NAMES, ReportService, type ReportFormat, type ReportName } from './reports.service.ts';

const USAGE = `用法：npx liandong report <${REPORT_NAMES.join('|')}> --period 2026-10 [--format ${REPORT_FORMATS.join('|')}] [--out FILE] [--url URL]`;

export async function reportCommand(argv: string[], say: (m: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      period: { type: 'string' },
      format: { type: 'string', default: 'json' },
      out: { type: 'string' },
      url: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const name = positionals[0];
  if (!name || positionals.length > 1 || !(REPORT_NAMES as readonly string[]).includes(name))
    throw new ConfigError(`${name ? `没有该报表：${name}。` : ''}${USAGE}`);
  if (!values.period) throw new ConfigError(`缺少 --period。${USAGE}`);
  const format = values.format as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) throw new ConfigError(`--format 须为 ${REPORT_FORMATS.join('、')}`);
  if (format !== 'json' && !values.out) throw new ConfigError(`--format ${format} 需要 --out FILE`);

  const config = loadConfig();
  const { openDatabase } = await import('../db/database.ts');
  const database = await openDatabase({ ...config, databaseUrl: values.url ?? config.databaseUrl }, () => undefined);
  try {
    const desk = config.desk === 'dispatch' ? 'dispatch' : 'hotline';
    const service = new ReportService(database.db, {
      desk,
      deskId: config.deskId,
      shareKey: config.bridge?.shareKey ?? null,
    });
    let out;
    try {
      out = await service.render(name as ReportName, values.period, format);
    } catch (err) {
      if (err instanceof AppError) throw new ConfigError(err.message);
      throw err;
    }
    const bytes = out.format === 'json' ? `${JSON.stringify(out.body, null, 2)}\n` : out.body;
    if (values.out) {
      await writeFile(values.out, bytes);
      say(`已生成 ${values.out}`);
    } else process.stdout.write(bytes);
  } finally {
    await database.close();
  }
}
