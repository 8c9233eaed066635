/**
 * Look-ups in the business systems (plan task 8; issue 15 item 6; docs/business-lookup.md). A call-taker
 * first records the caller's consent for one system and one person (identity number and name): valid for
 * CONSENT_VALID_MINUTES, for that call-taker only; then asks the system what the caller wants to know
 * (balance, contributions, reimbursements). The consent keeps the identity number's keyed hash and its
 * masked form, never the number; each look-up gives the number and name again and must match it. The
 * system's answer is checked (it comes from outside) and shown masked; every look-up is written down
 * (business_lookups) and audited, whatever its outcome.
 */
import { randomUUID, createHmac } from 'node:crypto';
import {
  BUSINESS_SYSTEM_LABELS,
  CONSENT_VALID_MINUTES,
  LOOKUP_QUERY_LABELS,
  SYSTEM_QUERIES,
  checkSubject,
  maskIdNumber,
  maskLookupAnswer,
  maskName,
  parseLookupAnswer,
  type BusinessSystem,
  type LookupQuery,
} from '@liandong/domain';
import { audit } from '../admin/audit.repo.ts';
import type { Actor } from '../auth/actor.ts';
import { requirePermission } from '../auth/permissions.ts';
import type { PeerDirectory } from '../bridge/peers.ts';
import { piiKeyring } from '../crypto/pii.ts';
import type { Db } from '../db/pool.ts';
import { AppError, fromDomain } from '../errors.ts';
import { HttpBusinessSystem, type BusinessSystemClient } from './business-system.ts';

/** The keyed hash a consent knows its person by (HMAC-SM3 under the look-up key, as callers' numbers). */
const subjectHash = (idNumber: string, name: string) =>
  createHmac('sm3', piiKeyring().lookup).update(`subject:${idNumber}:${name}`).digest('hex');

export interface ConsentInput {
  system: BusinessSystem;
  idNumber: string;
  name: string;
  how: string;
  workOrderId?: string | null;
}

export class LookupService {
  constructor(
    private readonly db: Db,
    private readonly peers: PeerDirectory,
    private readonly timeoutMs: number,
    /** for tests: the client of a connector */
    private readonly clientFor: (peer: {
      url: string;
      keyId: string;
      key: string;
      alg: 'hmac-sha256' | 'hmac-sm3';
    }) => BusinessSystemClient = (p) => new HttpBusinessSystem({ ...p, timeoutMs: this.timeoutMs }),
  ) {}

  /** The systems this desk is linked to, with what each answers (the call-taker's panel). */
  async systems(actor: Actor) {
    requirePermission(actor, 'business.lookup');
    const dir = await this.peers.fresh();
    return (Object.keys(SYSTEM_QUERIES) as BusinessSystem[]).map((system) => ({
      system,
      label: BUSINESS_SYSTEM_LABELS[system],
      configured: dir.servicesOf(system).length > 0,
      queries: SYSTEM_QUERIES[system].map((q) => ({ query: q, label: LOOKUP_QUERY_LABELS[q] })),
    }));
  }

  async consent(actor: Actor, c: ConsentInput) {
    requirePermission(actor, 'business.lookup');
    const subject = checkSubject({ idNumber: c.idNumber, name: c.name });
    if (!subject.ok) throw fromDomain(subject);
    const how = c.how.trim();
    if (!how) throw new AppError('VALIDATION_FAILED', '请写明来电人如何表示同意', { field: 'how' });
    if (c.workOrderId) {
      const w = await this.db.query('SELECT 1 FROM work_orders WHERE id = $1', [c.workOrderId]);
      if (!w.rowCount) throw new AppError('WORK_ORDER_NOT_FOUND', undefined, { field: 'workOrderId' });
    }
    const id = randomUUID();
    const r = await this.db.query<{ given_at: Date; expires_at: Date }>(
      `INSERT INTO lookup_consents (id, system, subject_hash, id_number_masked, name_masked, how, work_order_id, given_to, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(mins => $9)) RETURNING given_at, expires_at`,
      [
        id,
        c.system,
        subjectHash(subject.value.idNumber, subject.value.name),
        maskIdNumber(subject.value.idNumber),
        maskName(subject.value.name),
        how,
        c.workOrderId ?? null,
        actor.id,
        CONSENT_VALID_MINUTES,
      ],
    );
    await audit(this.db, actor.id, 'lookup.consent', id, {
      system: c.system,
      idNumber: maskIdNumber(subject.value.idNumber),
      how,
    });
    return {
      consentId: id,
      system: c.system,
      systemLabel: BUSINESS_SYSTEM_LABELS[c.system],
      subject: { idNumber: maskIdNumber(subject.value.idNumber), name: maskName(subject.value.name) },
      givenAt: r.rows[0]!.given_at.toISOString(),
      expiresAt: r.rows[0]!.expires_at.toISOString(),
    };
  }

  async lookup(actor: Actor, l: { consentId: string; query: LookupQuery; idNumber: string; name: string }) {
    requirePermission(actor, 'business.lookup');
    const subject = checkSubject({ idNumber: l.idNumber, name: l.name });
    if (!subject.ok) throw fromDomain(subject);
    const consent = (
      await this.db.query<{ system: BusinessSystem; subject_hash: string; given_to: string; live: boolean }>(
        'SELECT system, subject_hash, given_to, expires_at > now() AS live FROM lookup_consents WHERE id = $1',
        [l.consentId],
      )
    ).rows[0];
    if (!consent) throw new AppError('LOOKUP_CONSENT_NOT_FOUND', undefined, { field: 'consentId' });
    if (!consent.live) throw new AppError('LOOKUP_CONSENT_EXPIRED');
    if (
      consent.given_to !== actor.id ||
      consent.subject_hash !== subjectHash(subject.value.idNumber, subject.value.name)
    )
      throw new AppError('LOOKUP_CONSENT_MISMATCH');
    const system = consent.system;
    if (!SYSTEM_QUERIES[system].includes(l.query))
      throw new AppError(
        'LOOKUP_QUERY_NOT_OFFERED',
        `${BUSINESS_SYSTEM_LABELS[system]}不提供${LOOKUP_QUERY_LABELS[l.query]}查询`,
        {
          field: 'query',
        },
      );
    const peer = (await this.peers.fresh()).servicesOf(system)[0];
    if (!peer) throw new AppError('BUSINESS_SYSTEM_NOT_CONFIGURED', `${BUSINESS_SYSTEM_LABELS[system]}尚未对接`);
    const started = Date.now();
    const out = await this.clientFor(peer).lookup({
      id: randomUUID(),
      system,
      query: l.query,
      idNumber: subject.value.idNumber,
      name: subject.value.name,
      consentId: l.consentId,
    });
    const parsed = out.kind === 'answered' ? parseLookupAnswer(l.query, out.body) : null;
    const outcome = out.kind === 'answered' && parsed && !parsed.ok ? 'bad_answer' : out.kind;
    await this.db.query(
      `INSERT INTO business_lookups (consent_id, system, query, connector_id, actor_id, outcome, http_status, duration_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [l.consentId, system, l.query, peer.id, actor.id, outcome, out.status, Date.now() - started],
    );
    await audit(this.db, actor.id, 'lookup.query', l.consentId, { system, query: l.query, outcome });
    if (out.kind === 'not_found') throw new AppError('LOOKUP_SUBJECT_NOT_FOUND');
    if (out.kind === 'refused') throw new AppError('BUSINESS_SYSTEM_REFUSED', undefined, { status: out.status });
    if (out.kind === 'unavailable')
      throw new AppError('BUSINESS_SYSTEM_UNAVAILABLE', undefined, { status: out.status });
    if (!parsed || !parsed.ok) throw fromDomain(parsed ?? { code: 'BUSINESS_SYSTEM_BAD_ANSWER', message: '' });
    const source = await this.db.query<{ name: string }>('SELECT name FROM connectors WHERE id = $1', [peer.id]);
    return {
      system,
      systemLabel: BUSINESS_SYSTEM_LABELS[system],
      query: l.query,
      queryLabel: LOOKUP_QUERY_LABELS[l.query],
      source: source.rows[0]?.name ?? peer.id,
      at: new Date().toISOString(),
      answer: maskLookupAnswer(parsed.value),
    };
  }
}
