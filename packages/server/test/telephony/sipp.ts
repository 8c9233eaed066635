/**
 * SIPp (Debian's sip-tester) as a real SIP user agent in tests: runs a scenario from ./sipp against a
 * desk on loopback and returns its exit code and the dialogue it saw (first lines of every message
 * sent and received, in order), read from its message trace.
 */
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../ports.ts';

const DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'sipp');

/** Whether SIPp is installed (Debian's sip-tester; .ci/run installs it). */
export const HAS_SIPP = (process.env.PATH ?? '')
  .split(path.delimiter)
  .some((d) => d && fs.existsSync(path.join(d, 'sipp')));

/** What a seat's phone sees in an attended transfer it completes: answered, pointed at the target, hung up on. */
export const CONSULTING_SEAT = [
  'recv INVITE',
  'sent 180',
  'sent 200',
  'recv ACK',
  'recv INVITE',
  'sent 200',
  'recv ACK',
  'recv BYE',
  'sent 200',
];

export interface SippRun {
  code: number;
  dialogue: string[];
  stderr: string;
}

/**
 * A port free for both UDP and TCP on 127.0.0.1 (a SIP desk listens on both), from this vitest worker's
 * block below the ephemeral range (../ports.ts). A seat's or a specialist's phone keeps its port for the
 * whole file while SIPp runs on it one call at a time; a port from the ephemeral range could be taken in
 * between by any socket the kernel numbers itself (another file's SIPp media, an outgoing connection), and
 * the next SIPp then could not bind it ("Unable to bind main socket").
 */
export async function freeSipPort(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (await udpFree(port)) return port;
  }
}

const udpFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const u = dgram.createSocket('udp4');
    u.once('error', () => resolve(false));
    u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
  });

/** Whether `port` is free for both UDP and TCP on 127.0.0.1. */
export async function sipPortFree(port: number): Promise<boolean> {
  const tcp = await new Promise<boolean>((resolve) => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
  return tcp && (await udpFree(port));
}

export async function sipp(
  scenario: string,
  desk: number,
  opts: { port: number; service?: string; args?: string[]; timeoutSeconds?: number },
): Promise<SippRun> {
  // SIPp binds audio and video RTP at the media port and two above it (and RTCP beside each): all four
  // must be free. Another file's SIPp may still take one in between: a run that could not bind is tried
  // again on other ports (it has said nothing yet).
  for (let attempt = 1; ; attempt++) {
    const run = await sippOnce(scenario, desk, opts, await freeMediaPort());
    if (
      attempt >= 3 ||
      run.code === 0 ||
      run.dialogue.length ||
      !/Unable to bind|Address already in use/.test(run.stderr)
    )
      return run;
  }
}

/** A port the kernel numbers (listen on 0, then close), free for UDP too. */
async function ephemeralPort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    if (await udpFree(port)) return port;
  }
}

/**
 * SIPp's media ports, for one run: from the ephemeral range, so they never take the next port of this
 * worker's block (a desk's or a phone's); a run that loses one to another socket is tried again.
 */
async function freeMediaPort(): Promise<number> {
  for (;;) {
    const port = await ephemeralPort();
    if (port > 65530) continue;
    const rest = await Promise.all([1, 2, 3].map((k) => udpFree(port + k)));
    if (rest.every(Boolean)) return port;
  }
}

async function sippOnce(
  scenario: string,
  desk: number,
  opts: { port: number; service?: string; args?: string[]; timeoutSeconds?: number },
  mediaPort: number,
): Promise<SippRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipp-'));
  const trace = path.join(dir, 'messages.log');
  const args = [
    `127.0.0.1:${desk}`,
    '-sf',
    path.join(DIR, scenario),
    '-i',
    '127.0.0.1',
    '-p',
    String(opts.port),
    '-m',
    '1',
    '-nostdin',
    '-timeout',
    `${opts.timeoutSeconds ?? 20}s`,
    '-timeout_error',
    '-trace_msg',
    '-message_file',
    trace,
    '-trace_err',
    '-error_file',
    path.join(dir, 'errors.log'),
    '-mp',
    String(mediaPort),
    ...(opts.service ? ['-s', opts.service] : []),
    ...(opts.args ?? []),
  ];
  return new Promise((resolve) => {
    const child = spawn('sipp', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('exit', (code) => {
      const text = fs.existsSync(trace) ? fs.readFileSync(trace, 'utf8') : '';
      const errors = path.join(dir, 'errors.log');
      if (fs.existsSync(errors)) stderr += fs.readFileSync(errors, 'utf8');
      fs.rmSync(dir, { recursive: true, force: true });
      resolve({ code: code ?? -1, dialogue: dialogue(text), stderr });
    });
  });
}

/**
 * "sent INVITE", "recv 180", … from SIPp's message trace. A retransmission over UDP (the same message
 * again, by its top Via branch and CSeq: a request resent while its answer was late on a loaded machine,
 * a 200 resent until the ACK came) is left out: the dialogue is what was said, not how often.
 */
function dialogue(trace: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const blocks = trace.split(/^-{10,}.*$/m);
  for (const b of blocks) {
    const dir = /message sent/.test(b) ? 'sent' : /message received/.test(b) ? 'recv' : null;
    if (!dir) continue;
    const first = b.split('\n').find((l) => /^(SIP\/2\.0 \d{3}|[A-Z]+ \S+ SIP\/2\.0)/.test(l.trim()));
    if (!first) continue;
    const m = /^SIP\/2\.0 (\d{3})/.exec(first.trim());
    const what = `${dir} ${m ? m[1] : first.trim().split(' ')[0]}`;
    const branch = /^(?:Via|v)\s*:.*?branch=([^;\s]+)/im.exec(b)?.[1];
    const cseq = /^CSeq\s*:\s*(.+)$/im.exec(b)?.[1]?.trim();
    if (branch && cseq) {
      const key = `${what}|${branch}|${cseq}`;
      if (seen.has(key)) continue;
      seen.add(key);
    }
    out.push(what);
  }
  return out;
}

/** Registers a seat's phone (extension, password) whose calls land on `contactPort`. */
export async function registerSeat(desk: number, extension: string, password: string, contactPort: number) {
  const port = await freeSipPort();
  return sipp('register.xml', desk, {
    port,
    service: extension,
    args: ['-au', extension, '-ap', password, '-key', 'contact_port', String(contactPort)],
  });
}

/** Whether `expected` occurs in `dialogue` in this order (other messages may come between). */
export function inOrder(dialogue: string[], expected: string[]): boolean {
  let i = 0;
  for (const d of dialogue) if (d === expected[i]) i++;
  return i === expected.length;
}
