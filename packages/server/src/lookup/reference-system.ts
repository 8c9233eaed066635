/**
 * A reference business system (`liandong business-system --system social_security|medical_insurance|
 * housing_fund`): implements the system's side of docs/business-lookup.md from the document alone — the
 * signed `POST /lookup/v1/query` (signature, clock, nonce, shape) — over a few fictional people kept in
 * memory. A person is found only by identity number and name together (404 not_found otherwise). Tests
 * and the demo run one process per system. `GET /queries` lists what it was asked (ids, no numbers).
 */
import { createServer, type IncomingMessage } from 'node:http';
import { checkSigned, readBody } from '../bridge/read-body.ts';
import { BUSINESS_SYSTEMS, SYSTEM_QUERIES, type BusinessSystem, type LookupQuery } from '@liandong/domain';
import type { SignatureAlg } from '../bridge/signing.ts';

export interface ReferenceSystemOptions {
  system: BusinessSystem;
  port: number;
  host: string;
  /** the key the desk signs with (the desk's connector: keyId / key) */
  deskKeyId: string;
  deskKey: string;
  alg: SignatureAlg;
  /** answers this late (ms), for tests of a slow system */
  delayMs?: number;
}

/** Fictional people (identity numbers with valid check digits; no real person's). */
export const REFERENCE_PEOPLE = [
  { idNumber: '500103199001011232', name: '陈晓明' },
  { idNumber: '500105198512203322', name: '刘芳' },
  { idNumber: '500106197003154026', name: '王建国' },
] as const;

type Person = (typeof REFERENCE_PEOPLE)[number];

function answerFor(system: BusinessSystem, query: LookupQuery, p: Person, index: number): unknown {
  const months = ['2026-09', '2026-10', '2026-11'];
  if (query === 'balance') {
    const base = { social_security: 18_640.5, medical_insurance: 2_315.2, housing_fund: 46_880 }[system];
    return {
      holder: p.name,
      accountNo: `${system === 'housing_fund' ? 'GJJ' : system === 'medical_insurance' ? 'YB' : 'SB'}${p.idNumber.slice(6, 14)}${index}`,
      balance: Math.round((base + index * 1_111.11) * 100) / 100,
      asOf: '2026-11-30',
      status: index === 2 ? '封存' : '正常',
    };
  }
  if (query === 'contributions') {
    const amount = { social_security: 1_020.8, medical_insurance: 372.6, housing_fund: 1_440 }[system];
    return {
      holder: p.name,
      records: months.map((period) => ({
        period,
        amount,
        payer: index === 1 ? '个人（灵活就业）' : '重庆某某科技有限公司',
        status: index === 2 && period === '2026-11' ? '欠缴' : '已到账',
      })),
    };
  }
  return {
    holder: p.name,
    records: [
      {
        claimNo: `BX2026${p.idNumber.slice(10, 16)}01`,
        submittedOn: '2026-11-12',
        hospital: '重庆医科大学附属第一医院',
        amount: 3_260,
        reimbursed: index === 0 ? 2_282 : null,
        status: index === 0 ? '已报销' : '审核中',
      },
    ],
  };
}

const read = (req: IncomingMessage) => readBody(req, 16 * 1024);

export function startReferenceSystem(o: ReferenceSystemOptions): Promise<{ close(): Promise<void>; port: number }> {
  if (!(BUSINESS_SYSTEMS as readonly string[]).includes(o.system)) throw new Error(`unknown system ${o.system}`);
  const nonces = new Map<string, number>();
  const asked: { id: string; query: string; at: string; found: boolean }[] = [];
  const inbound = new Map([[o.deskKeyId, { secret: o.deskKey, alg: o.alg }]]);
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://system');
      if (req.method === 'GET' && url.pathname === '/health') return reply(200, { status: 'ok', system: o.system });
      if (req.method === 'GET' && url.pathname === '/queries') return reply(200, asked);
      if (req.method !== 'POST' || url.pathname !== '/lookup/v1/query') return reply(404, { error: 'no_such_path' });
      const raw = await read(req);
      const signed = checkSigned(req.headers, raw, inbound, nonces);
      if (!signed.ok) return reply(401, { error: signed.error });
      let m: Record<string, unknown>;
      try {
        m = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return reply(400, { error: 'schema_invalid' });
      }
      const query = m.query as LookupQuery;
      if (
        typeof m.id !== 'string' ||
        m.system !== o.system ||
        !SYSTEM_QUERIES[o.system].includes(query) ||
        typeof m.idNumber !== 'string' ||
        typeof m.name !== 'string' ||
        typeof m.consentId !== 'string' ||
        !m.consentId
      )
        return reply(400, { error: 'schema_invalid' });
      if (o.delayMs) await new Promise((r) => setTimeout(r, o.delayMs));
      const index = REFERENCE_PEOPLE.findIndex((p) => p.idNumber === m.idNumber && p.name === m.name);
      asked.push({ id: m.id, query, at: new Date().toISOString(), found: index >= 0 });
      if (index < 0) return reply(404, { error: 'not_found' });
      return reply(200, answerFor(o.system, query, REFERENCE_PEOPLE[index]!, index));
    } catch {
      if (!res.headersSent) reply(500, { error: 'internal' });
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : o.port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      });
    });
  });
}
