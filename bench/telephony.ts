/**
 * Telephony load run: N calls at once through the desk's SIP switch and CTI adapter into the call
 * centre and its records, with SIPp as the callers and as the seats' phones (all on loopback, an
 * embedded PostgreSQL). Checks that no event is lost on the way: every CTI event the adapter emitted
 * is written, every call has its record with offered, answered and ended, and its legs. One JSON line.
 *   npm run bench:telephony -- [--calls 100] [--talk-ms 3000]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../packages/server/src/auth/passwords.ts';
import { startEmbeddedPostgres } from '../packages/server/src/db/embedded.ts';
import { migrate } from '../packages/server/src/db/migrate.ts';
import { createPool } from '../packages/server/src/db/pool.ts';
import { seedReference } from '../packages/server/src/reference/seed-reference.ts';
import { ha1For } from '../packages/server/src/telephony/sip/digest.ts';
import { startTelephony } from '../packages/server/src/telephony/telephony.start.ts';
import { upsertSeat } from '../packages/server/src/telephony/telephony.repo.ts';
import { freeSipPort } from '../packages/server/test/telephony/sipp.ts';

const { values } = parseArgs({ options: { calls: { type: 'string', default: '100' } } });
const N = Number(values.calls);
const TEST_SIPP = path.resolve('packages/server/test/telephony/sipp');

function run(args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    p.on('exit', (c) => resolve(c ?? -1));
  });
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'liandong-bench-telephony-'));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg') });
  const db = createPool(pg.url, 10);
  try {
    await migrate(db);
    await seedReference(db);
    const hash = await hashPassword('bench-password');
    const sipPort = await freeSipPort();
    const seatPort = await freeSipPort();
    const users: { id: string; ext: string }[] = [];
    for (let i = 0; i < N; i++) {
      const ext = String(8000 + i);
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO users (username, display_name, password_hash, role) VALUES ($1, $2, $3, 'call_taker') RETURNING id`,
        [`agent${i}`, `话务员${i}`, hash],
      );
      users.push({ id: rows[0]!.id, ext });
      await upsertSeat(db, { extension: ext, label: `坐席${ext}`, ha1: ha1For(ext, 'cq-12345', `pw${ext}`) });
    }
    const log = { error: (o: object, m: string) => console.error(m, o), warn: () => undefined };
    const phone = await startTelephony(db, {
      desk: 'hotline',
      deskId: 'cq-12345',
      sip: { host: '127.0.0.1', port: sipPort, peer: null },
      log,
    });
    const { center } = phone;
    // Every seat's phone registers (their calls all land on one SIPp that plays the seats' phones).
    for (let i = 0; i < N; i += 20)
      await Promise.all(
        users.slice(i, i + 20).map(async (u) => {
          const code = await run([
            `127.0.0.1:${sipPort}`,
            '-sf',
            path.join(TEST_SIPP, 'register.xml'),
            '-i',
            '127.0.0.1',
            '-p',
            String(await freeSipPort()),
            '-m',
            '1',
            '-nostdin',
            '-timeout',
            '10s',
            '-timeout_error',
            '-s',
            u.ext,
            '-au',
            u.ext,
            '-ap',
            `pw${u.ext}`,
            '-key',
            'contact_port',
            String(seatPort),
          ]);
          if (code !== 0) throw new Error(`seat ${u.ext} did not register`);
        }),
      );
    for (const u of users)
      center.signIn({
        userId: u.id,
        name: `话务员${u.ext}`,
        role: 'call_taker',
        extension: u.ext,
        queues: ['hotline'],
      });

    let live = 0;
    let peak = 0;
    center.on('call', (_c, type: string) => {
      if (type === 'offered') peak = Math.max(peak, ++live);
      if (type === 'ended') live--;
    });
    const started = Date.now();
    const seats = run([
      `127.0.0.1:${sipPort}`,
      '-sf',
      path.resolve('bench/sipp/seat-talks.xml'),
      '-i',
      '127.0.0.1',
      '-p',
      String(seatPort),
      '-m',
      String(N),
      '-nostdin',
      '-timeout',
      '60s',
      '-mp',
      String(await freeSipPort()),
    ]);
    const callers = await run([
      `127.0.0.1:${sipPort}`,
      '-sf',
      path.join(TEST_SIPP, 'caller.xml'),
      '-s',
      '12345',
      '-i',
      '127.0.0.1',
      '-p',
      String(await freeSipPort()),
      '-m',
      String(N),
      '-l',
      String(N),
      '-r',
      String(N),
      '-rp',
      '1000',
      '-nostdin',
      '-timeout',
      '60s',
      '-mp',
      String(await freeSipPort()),
    ]);
    const seatsCode = await seats;
    const elapsedMs = Date.now() - started;
    await center.settled();

    const calls = await db.query<{ n: number; answered: number; ended: number; p50: number; p99: number }>(
      `SELECT count(*)::int AS n, count(answered_at)::int AS answered, count(ended_at)::int AS ended,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - offered_at) * 1000) AS p50,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch FROM answered_at - offered_at) * 1000) AS p99
       FROM calls`,
    );
    const events = await db.query<{ type: string; n: number }>(
      'SELECT type, count(*)::int AS n FROM call_events GROUP BY type ORDER BY type',
    );
    const byType = Object.fromEntries(events.rows.map((r) => [r.type, r.n]));
    const legs = events.rows.reduce((s, r) => s + r.n, 0);
    const c = calls.rows[0]!;
    const complete = ['offered', 'delivered', 'ringing', 'answered', 'ended'].every((t) => byType[t] === N);
    const result = {
      bench: 'telephony',
      calls: N,
      sippCallers: callers === 0 ? 'all completed' : `exit ${callers}`,
      sippSeats: seatsCode === 0 ? 'all completed' : `exit ${seatsCode}`,
      peakConcurrentCalls: peak,
      ctiCallEvents: center.counts.ctiCallEvents,
      writeFailures: center.counts.failedWrites,
      callRecords: c.n,
      answered: c.answered,
      ended: c.ended,
      callEvents: byType,
      callEventRows: legs,
      // every CTI call event is one row; the ACD adds one `delivered` row per offer to a seat
      lostEvents: center.counts.ctiCallEvents - (legs - (byType.delivered ?? 0)),
      everyCallComplete: complete && c.n === N && c.answered === N && c.ended === N,
      answerLatencyMs: { p50: Math.round(c.p50), p99: Math.round(c.p99) },
      elapsedMs,
    };
    console.log(JSON.stringify(result));
    await phone.close();
    if (!result.everyCallComplete || result.lostEvents !== 0) process.exitCode = 1;
  } finally {
    await db.end();
    await pg.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

await main();
