/**
 * Property test over the whole HTTP surface (issue 17): requests generated from the OpenAPI document —
 * every documented operation, its path and query parameters and its JSON body, well-formed or hostile
 * (U+0000, lone surrogates, `urn:uuid:` ids, leap seconds, year 0, wrong types, null, huge numbers,
 * SQL and LIKE metacharacters, a catastrophic regular expression, a `__proto__` key) — under every
 * role's token, none, or a forged one. No answer may be a 5xx (but the catalogue's 503s for a switch or
 * a bridge this test desk does not have), and on a sample of refused requests the business tables
 * must be unchanged (nothing half-written).
 *
 * FUZZ_RUNS sets the number of cases (default 1500 in `npm test`; `npm run test:security` runs 10,000).
 * The file prints one summary line: `fuzz: N cases, F failures (5xx), W half-written, …`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, rowCounts, USERS, type TestApp } from '../helpers.ts';

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  items?: Schema;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  nullable?: boolean;
};
interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema: Schema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body: Schema | null;
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 1500);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
/** 503s the catalogue documents for a desk configured without a switch or a peer: a state, not a crash. */
const ALLOWED_503 = new Set(['TELEPHONY_OFF', 'TELEPHONY_NO_PEER', 'BRIDGE_NOT_CONFIGURED']);
/** Not fuzzed: server-sent-event streams never end, and log-out would revoke the shared tokens. */
const SKIPPED = [/\/stream$/, /^\/api\/auth\/logout$/];

const HOSTILE: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  '',
  ' ',
  'a\u0000b',
  '\u0000',
  '\uD800',
  'x\uDFFFy',
  'urn:uuid:6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  '6f1c2a9e-3b4d-4e5f-8a9b-0c1d2e3f4a5b',
  '00000000-0000-0000-0000-000000000000',
  '2016-12-31T23:59:60Z',
  '0000-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '2026-02-30',
  '%',
  '_',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '<script>alert(1)</script>',
  '(a+)+$',
  '../../etc/passwd',
  '５００１０３',
  'x'.repeat(5000),
  [],
  {},
  ['a', null],
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
];

const hostile = fc.constantFrom(...HOSTILE);
const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom('渝中区解放碑', '来电人反映噪音扰民', '张三', '13812345678', '500103', 'CSGL01', 'admin'),
);

function patterned(pattern: string): fc.Arbitrary<string> {
  try {
    return fc.stringMatching(new RegExp(pattern)).filter((s) => s.length <= 200);
  } catch {
    return text;
  }
}

function wellFormed(s: Schema, depth: number): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if (s.const !== undefined) return fc.constant(s.const);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => arb(a, depth)));
  if (s.allOf?.length) return arb(s.allOf[0]!, depth);
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      if (s.format === 'uuid') return fc.uuid();
      if (s.format === 'date-time')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString());
      if (s.format === 'date')
        return fc
          .date({ min: new Date('2000-01-01'), max: new Date('2035-01-01'), noInvalidDate: true })
          .map((d) => d.toISOString().slice(0, 10));
      if (s.pattern) return patterned(s.pattern);
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 60, 200) });
    case 'integer':
      return fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return depth > 3 ? fc.constant([]) : fc.array(arb(s.items ?? {}, depth + 1), { maxLength: 3 });
    case 'object': {
      if (depth > 3 || !s.properties) return fc.constant({});
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) model[k] = arb(v, depth + 1);
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in model) });
    }
    default:
      return fc.oneof(text, hostile);
  }
}

/** Mostly a value the schema describes, sometimes anything hostile. */
function arb(s: Schema, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 5, arbitrary: wellFormed(s, depth) }, { weight: 1, arbitrary: hostile });
}

/** Percent-encodes like encodeURIComponent, but a lone surrogate becomes its 3 (invalid UTF-8) bytes instead of throwing. */
function encode(s: string): string {
  return s.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]|[\s\S]/g, (c) => {
    if (c.length === 2 || c.charCodeAt(0) < 0xd800 || c.charCodeAt(0) > 0xdfff) return encodeURIComponent(c);
    const u = c.charCodeAt(0);
    return [0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f)]
      .map((b) => `%${b.toString(16).toUpperCase()}`)
      .join('');
  });
}
const asParam = (v: unknown) => encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? 'undefined'));

function operations(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    if (SKIPPED.some((re) => re.test(path))) continue;
    for (const [method, op] of Object.entries(methods)) {
      const content = (op.requestBody as { content?: Record<string, { schema: Schema }> } | undefined)?.content;
      ops.push({
        method: method.toUpperCase(),
        path,
        parameters: ((op.parameters as Parameter[] | undefined) ?? []).filter((p) => p.in !== 'header'),
        body: content?.['application/json']?.schema ?? null,
      });
    }
  }
  return ops;
}

let t: TestApp;
let ops: Operation[];
beforeAll(async () => {
  t = await createTestApp();
  await t.app.ready();
  ops = operations(t.app.swagger() as never);
});
afterAll(async () => {
  await t?.close();
});

it(
  'answers no generated request with a 5xx and leaves nothing half-written',
  { timeout: 60_000 + RUNS * 60 },
  async () => {
    expect(ops.length).toBeGreaterThan(100);
    const roles = Object.keys(USERS) as (keyof typeof USERS)[];
    const request = fc.constantFrom(...ops).chain((op) =>
      fc.record({
        op: fc.constant(op),
        path: fc.tuple(...op.parameters.filter((p) => p.in === 'path').map((p) => arb(p.schema)), fc.constant(0)),
        query: fc.tuple(
          ...op.parameters.filter((p) => p.in === 'query').map((p) => fc.option(arb(p.schema), { nil: undefined })),
          fc.constant(0),
        ),
        extraQuery: fc.option(fc.tuple(text, hostile), { nil: undefined, freq: 8 }),
        body: op.body ? arb(op.body) : fc.option(hostile, { nil: undefined, freq: 3 }),
        who: fc.oneof(
          { weight: 8, arbitrary: fc.constantFrom(...roles) },
          { weight: 1, arbitrary: fc.constantFrom('none', 'forged') },
        ),
        checkWrites: fc.nat(24).map((n) => n === 0),
      }),
    );

    let cases = 0;
    const failures: string[] = [];
    const halfWritten: string[] = [];
    const byStatus = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        cases++;
        const pathParams = op(r.op).filter((p) => p.in === 'path');
        let url = r.op.path;
        pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, asParam(r.path[i]))));
        const qs: string[] = [];
        op(r.op)
          .filter((p) => p.in === 'query')
          .forEach((p, i) => {
            const v = r.query[i];
            if (v === undefined) return;
            for (const x of Array.isArray(v) ? v : [v]) qs.push(`${encode(p.name)}=${asParam(x)}`);
          });
        if (r.extraQuery) qs.push(`${encode(r.extraQuery[0])}=${asParam(r.extraQuery[1])}`);
        if (qs.length) url += `?${qs.join('&')}`;
        const headers: Record<string, string> = {};
        if (r.who === 'forged') headers.authorization = 'Bearer forged-token-0123456789';
        else if (r.who !== 'none') headers.authorization = `Bearer ${t.tokens[r.who]}`;
        let payload: string | undefined;
        if (r.body !== undefined && r.op.method !== 'GET' && r.op.method !== 'DELETE') {
          headers['content-type'] = 'application/json';
          payload = JSON.stringify(r.body) ?? 'null';
        }
        const before = r.checkWrites ? await rowCounts(t.db) : null;
        const res = await t.app.inject({ method: r.op.method as 'GET', url, headers, payload });
        byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500) {
          const code = (() => {
            try {
              return (res.json() as { code?: string }).code ?? '';
            } catch {
              return '';
            }
          })();
          if (!(res.statusCode === 503 && ALLOWED_503.has(code)))
            failures.push(
              `${r.op.method} ${url.slice(0, 300)} ${payload?.slice(0, 300) ?? ''} → ${res.statusCode} ${res.body.slice(0, 200)}`,
            );
        }
        if (before && res.statusCode >= 400) {
          const after = await rowCounts(t.db);
          delete before.admin_audit;
          delete after.admin_audit;
          if (JSON.stringify(before) !== JSON.stringify(after))
            halfWritten.push(`${r.op.method} ${url.slice(0, 200)} → ${res.statusCode}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const statuses = [...byStatus.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    console.log(
      `fuzz: ${cases} cases over ${ops.length} operations, ${failures.length} failures (5xx), ${halfWritten.length} half-written; ${statuses}`,
    );
    expect(failures.slice(0, 20)).toEqual([]);
    expect(halfWritten.slice(0, 20)).toEqual([]);
    expect(cases).toBe(RUNS);
  },
);

function op(o: Operation): Parameter[] {
  return o.parameters;
}
