/**
 * The JSON Lines commands' common rules (`triage`, `dispatch suggest`): one answer line per input line,
 * in order; a line that is not a JSON object gets an error object (with its id when one can be read) and
 * the run goes on; the first answer goes out at once (an interactive caller waits for it), then in batches.
 */
import readline from 'node:readline';

const ID_IN_BROKEN_LINE = /"id"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d+)/;

/** The line as an object, or the error answer to print for it; `shape` names the fields expected. */
export function parseJsonLine(
  line: string,
  shape: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; answer: string } {
  let input: unknown;
  try {
    input = JSON.parse(line);
  } catch {
    const m = line.match(ID_IN_BROKEN_LINE);
    let id: string | null = null;
    if (m) {
      try {
        id = String(JSON.parse(m[1]!));
      } catch {
        id = null;
      }
    }
    return {
      ok: false,
      answer: JSON.stringify({ id, error: { code: 'LINE_NOT_JSON', message: '该行不是合法的 JSON' } }),
    };
  }
  if (!input || typeof input !== 'object' || Array.isArray(input))
    return {
      ok: false,
      answer: JSON.stringify({ id: null, error: { code: 'LINE_NOT_OBJECT', message: `该行须为 JSON 对象 ${shape}` } }),
    };
  return { ok: true, value: input as Record<string, unknown> };
}

/** Standard input to standard output, a line at a time, blank lines skipped. */
export async function answerJsonLines(answer: (line: string) => string): Promise<void> {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  let buf: string[] = [];
  let first = true;
  const flush = async () => {
    if (!buf.length) return;
    const chunk = buf.join('\n') + '\n';
    buf = [];
    if (!process.stdout.write(chunk)) await new Promise((r) => process.stdout.once('drain', r));
  };
  for await (const line of rl) {
    if (!line.trim()) continue;
    buf.push(answer(line));
    if (first || buf.length >= 256) await flush();
    first = false;
  }
  await flush();
}
