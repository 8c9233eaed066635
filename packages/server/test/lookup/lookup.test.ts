/**
 * 社保/医保/公积金 look-ups (issue 15 item 6; docs/business-lookup.md): one interface for the three systems,
 * each a connector (URL and keys), called only with the caller's recorded consent, answers checked and
 * masked, every call audited. The systems are reference implementations run as separate processes
 * (`liandong business-system`), as a city's real ones would be.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers.ts';
import { LookupService } from '../../src/lookup/lookup.service.ts';
import type { Actor } from '../../src/auth/actor.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/liandong.mjs');
const CHEN = { idNumber: '500103199001011232', name: '陈晓明' };
const LIU = { idNumber: '500105198512203322', name: '刘芳' };
/** a valid number no system knows */
const NOBODY = { idNumber: '11010519491231002X', name: '张三' };

let t: TestApp;
const children = new Map<string, ChildProcess>();
const tokens: Record<string, string> = {};
const as = (who: string) => ({ authorization: `Bearer ${tokens[who] ?? t.tokens[who as keyof TestApp['tokens']]}` });
const post = (who: string, url: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: as(who), payload });
const count = async (table: string) =>
  (await t.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0]!.n;

/** Starts a reference system and gives its address (it prints it when listening). */
function startSystem(system: string, key: [string, string]): Promise<string> {
  const child = spawn(
    process.execPath,
    [BIN, 'business-system', '--system', system, '--desk-key-id', key[0], '--desk-key', key[1]],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.set(system, child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) resolve(`http://127.0.0.1:${m[1]}`);
    });
    child.once('exit', (code) => reject(new Error(`business-system ${system} exited ${code}: ${out}`)));
  });
}

async function connect(id: string, kind: string, url: string, key: [string, string]) {
  await t.db.query(
    `INSERT INTO connectors (id, name, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [id, `测试${kind}`, kind, url, key[0], key[1], `${id}-in`, `${id}-inbound-secret-0001`],
  );
  await t.app.services.peers.reload();
}

const KEYS: Record<string, [string, string]> = {
  social_security: ['desk-sb', 'desk-to-shebao-secret-000001'],
  medical_insurance: ['desk-yb', 'desk-to-yibao-secret-0000001'],
  housing_fund: ['desk-gjj', 'desk-to-gongjijin-secret-0001'],
};

beforeAll(async () => {
  t = await createTestApp();
  const hash = (await t.db.query<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'ct1'"))
    .rows[0]!.password_hash;
  await t.db.query(
    `INSERT INTO users (username, display_name, password_hash, role) VALUES ('ct2', '测试ct2', $1, 'call_taker')`,
    [hash],
  );
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'ct2', password: 'test-password-1' },
  });
  tokens.ct2 = res.json<{ token: string }>().token;
  for (const [system, key] of Object.entries(KEYS))
    await connect(`cq-${system.replace('_', '-')}`, system, await startSystem(system, key), key);
}, 60_000);
afterAll(async () => {
  for (const c of children.values()) c.kill('SIGTERM');
  await t?.close();
});

const consent = (who: string, system: string, s = CHEN, over: object = {}) =>
  post(who, '/api/lookups/consents', { system, ...s, how: '口头同意，通话录音留存', ...over });

describe('business look-ups with the caller’s consent', () => {
  it('lists the linked systems and what each answers, to the call-takers only', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/api/lookups/systems', headers: as('callTaker') });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual([
      expect.objectContaining({ system: 'social_security', label: '社保', configured: true }),
      expect.objectContaining({ system: 'medical_insurance', label: '医保', configured: true }),
      expect.objectContaining({ system: 'housing_fund', label: '住房公积金', configured: true }),
    ]);
    expect(r.json()[1].queries.map((q: { label: string }) => q.label)).toEqual(['账户余额', '缴费记录', '报销进度']);
    for (const who of ['dispatcher', 'supervisor', 'analyst'] as const)
      expect((await t.app.inject({ method: 'GET', url: '/api/lookups/systems', headers: as(who) })).statusCode).toBe(
        403,
      );
  });

  it('refuses a consent with a bad identity number, no name or no stated consent, and writes nothing', async () => {
    const before = await count('lookup_consents');
    for (const [body, field] of [
      [{ idNumber: '500103199001011233' }, 'idNumber'], // wrong check digit
      [{ idNumber: '5001031990' }, 'idNumber'],
      [{ name: '陈' }, 'name'],
      [{ how: '   ' }, 'how'],
      [{ system: 'tax' }, null],
    ] as const) {
      const r = await consent('callTaker', 'social_security', CHEN, body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().code).toBe('VALIDATION_FAILED');
      if (field) expect(JSON.stringify(r.json())).toContain(field);
    }
    expect(await count('lookup_consents')).toBe(before);
    expect((await consent('dispatcher', 'social_security')).statusCode).toBe(403);
  });

  it('records the consent without the number; the look-up answers masked, and both are audited', async () => {
    const c = await consent('callTaker', 'social_security');
    expect(c.statusCode, c.body).toBe(201);
    const { consentId, subject, expiresAt, givenAt } = c.json();
    expect(subject).toEqual({ idNumber: '500***********1232', name: '陈**' });
    expect(new Date(expiresAt).getTime() - new Date(givenAt).getTime()).toBe(60 * 60_000);
    const row = await t.db.query('SELECT row_to_json(c)::text AS j FROM lookup_consents c WHERE id = $1', [consentId]);
    expect(row.rows[0].j).not.toContain(CHEN.idNumber);
    expect(row.rows[0].j).not.toContain(CHEN.name);

    const r = await post('callTaker', '/api/lookups', { consentId, query: 'balance', ...CHEN });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({
      systemLabel: '社保',
      queryLabel: '账户余额',
      source: '测试social_security',
      answer: { query: 'balance', holder: '陈**', balance: 18640.5, asOf: '2026-11-30', status: '正常' },
    });
    expect(r.json().answer.accountNo).toMatch(/^\*+\d{4}$/);
    const contributions = await post('callTaker', '/api/lookups', { consentId, query: 'contributions', ...CHEN });
    expect(contributions.json().answer.records).toHaveLength(3);

    const logged = await t.db.query<{ query: string; outcome: string }>(
      'SELECT query, outcome FROM business_lookups WHERE consent_id = $1 ORDER BY id',
      [consentId],
    );
    expect(logged.rows).toEqual([
      { query: 'balance', outcome: 'answered' },
      { query: 'contributions', outcome: 'answered' },
    ]);
    const audited = await t.db.query<{ action: string; details: string }>(
      "SELECT action, details::text FROM admin_audit WHERE target = $1 AND action LIKE 'lookup.%' ORDER BY id",
      [consentId],
    );
    expect(audited.rows.map((a) => a.action)).toEqual(['lookup.consent', 'lookup.query', 'lookup.query']);
    expect(audited.rows.map((a) => a.details).join('')).not.toContain(CHEN.idNumber);
  });

  it('a consent covers its person, its system and its call-taker only, for 60 minutes', async () => {
    const { consentId } = (await consent('callTaker', 'housing_fund')).json();
    const other = await post('callTaker', '/api/lookups', { consentId, query: 'balance', ...LIU });
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('LOOKUP_CONSENT_MISMATCH');
    const colleague = await post('ct2', '/api/lookups', { consentId, query: 'balance', ...CHEN });
    expect(colleague.json().code).toBe('LOOKUP_CONSENT_MISMATCH');
    const notOffered = await post('callTaker', '/api/lookups', { consentId, query: 'reimbursements', ...CHEN });
    expect(notOffered.statusCode).toBe(422);
    expect(notOffered.json().code).toBe('LOOKUP_QUERY_NOT_OFFERED');
    const missing = await post('callTaker', '/api/lookups', {
      consentId: '00000000-0000-4000-8000-000000000000',
      query: 'balance',
      ...CHEN,
    });
    expect(missing.json().code).toBe('LOOKUP_CONSENT_NOT_FOUND');
    await t.db.query(
      "UPDATE lookup_consents SET given_at = now() - interval '2 hours', expires_at = now() - interval '1 hour' WHERE id = $1",
      [consentId],
    );
    const late = await post('callTaker', '/api/lookups', { consentId, query: 'balance', ...CHEN });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('LOOKUP_CONSENT_EXPIRED');
    // none of these reached the system
    expect(await count(`business_lookups WHERE consent_id = '${consentId}'`)).toBe(0);
  });

  it('a person the system does not know, a system that is down or not linked: said plainly, and recorded', async () => {
    const nobody = (await consent('callTaker', 'medical_insurance', NOBODY)).json();
    const r = await post('callTaker', '/api/lookups', {
      consentId: nobody.consentId,
      query: 'reimbursements',
      ...NOBODY,
    });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('LOOKUP_SUBJECT_NOT_FOUND');

    const chen = (await consent('callTaker', 'medical_insurance')).json();
    const ok = await post('callTaker', '/api/lookups', { consentId: chen.consentId, query: 'reimbursements', ...CHEN });
    expect(ok.json().answer.records[0]).toMatchObject({ status: '已报销', reimbursed: 2282 });
    expect(ok.json().answer.records[0].claimNo).toMatch(/^\*+\d{4}$/);

    const yb = children.get('medical_insurance')!;
    const exited = new Promise((resolve) => yb.once('exit', resolve));
    yb.kill('SIGTERM');
    await exited;
    const down = await post('callTaker', '/api/lookups', { consentId: chen.consentId, query: 'balance', ...CHEN });
    expect(down.statusCode).toBe(503);
    expect(down.json().code).toBe('BUSINESS_SYSTEM_UNAVAILABLE');
    const outcomes = await t.db.query<{ outcome: string }>(
      'SELECT outcome FROM business_lookups WHERE consent_id = ANY($1) ORDER BY id',
      [[nobody.consentId, chen.consentId]],
    );
    expect(outcomes.rows.map((o) => o.outcome)).toEqual(['not_found', 'answered', 'unavailable']);

    await t.db.query("UPDATE connectors SET active = false WHERE kind = 'medical_insurance'");
    await t.app.services.peers.reload();
    const unlinked = await post('callTaker', '/api/lookups', {
      consentId: chen.consentId,
      query: 'balance',
      ...CHEN,
    });
    expect(unlinked.statusCode).toBe(503);
    expect(unlinked.json().code).toBe('BUSINESS_SYSTEM_NOT_CONFIGURED');
    const systems = await t.app.inject({ method: 'GET', url: '/api/lookups/systems', headers: as('callTaker') });
    expect(systems.json()[1]).toMatchObject({ system: 'medical_insurance', configured: false });
  });

  it('an answer that fails the check is not shown', async () => {
    const actor = (
      await t.db.query<Actor>(
        `SELECT id, username, display_name AS "displayName", role, unit_id AS "unitId", district_code AS "districtCode"
           FROM users WHERE username = 'ct1'`,
      )
    ).rows[0]!;
    const garbled = new LookupService(t.db, t.app.services.peers, 1000, () => ({
      lookup: async () => ({ kind: 'answered', status: 200, body: { holder: '陈晓明', balance: 'lots' } }),
    }));
    const { consentId } = await garbled.consent(actor, { system: 'social_security', ...CHEN, how: '口头同意' });
    await expect(garbled.lookup(actor, { consentId, query: 'balance', ...CHEN })).rejects.toMatchObject({
      code: 'BUSINESS_SYSTEM_BAD_ANSWER',
    });
    const o = await t.db.query('SELECT outcome FROM business_lookups WHERE consent_id = $1', [consentId]);
    expect(o.rows).toEqual([{ outcome: 'bad_answer' }]);
  });
});
