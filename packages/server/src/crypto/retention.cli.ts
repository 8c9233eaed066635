/**
 * `npx liandong retention purge [--dry-run] [--url URL]`: erases the personal data past its retention
 * now (the desks' workers do it every RETENTION_PURGE_HOURS), on the database --url or DATABASE_URL
 * names, or on both desks' embedded databases; prints one JSON line per database with the rows per kind.
 * `--dry-run` counts and changes nothing.
 */
import { parseArgs } from 'node:util';
import { withDatabases } from '../audit/audit.cli.ts';
import { ConfigError, loadRetention } from '../config.ts';
import { purgeExpired } from './retention.ts';

const USAGE = '用法：npx liandong retention purge [--dry-run] [--url URL]';

export async function retentionCommand(argv: string[], write: (line: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'dry-run': { type: 'boolean', default: false }, url: { type: 'string' } },
  });
  if (positionals.length !== 1 || positionals[0] !== 'purge') throw new ConfigError(USAGE);
  const policy = loadRetention(process.env);
  const { purgeMs: _every, ...days } = policy;
  await withDatabases(values.url, async (db, database) => {
    const erased = await purgeExpired(db, policy, { dryRun: values['dry-run'] });
    write(JSON.stringify({ database, dryRun: values['dry-run'], policy: days, erased }));
  });
}
