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
import { inTransaction, type Db } from '../db/pool.ts';
import { findWorkOrder } from '../hotline/work-orders.repo.ts';
import { AppError, fromDomain } from '../errors.ts';
import { HttpBusinessSystem, type BusinessSystemClient } from './business-system.ts';
import { connectorName, findConsent, insertConsent, insertLookup } from './lookup.repo.ts';

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
    if (c.workOrderId && !(await findWorkOrder(this.db, c.workOrderId)))
      throw new AppError('WORK_ORDER_NOT_FOUND', undefined, { field: 'workOrderId' });
    const id = randomUUID();
    // the consent and its audit entry together, or neither
    const r = await inTransaction(this.db, async (tx) => {
      const made = await insertConsent(tx, {
        id,
        system: c.system,
        subjectHash: subjectHash(subject.value.idNumber, subject.value.name),
        idNumberMasked: maskIdNumber(subject.value.idNumber),
        nameMasked: maskName(subject.value.name),
        how,
        workOrderId: c.workOrderId ?? null,
        givenTo: actor.id,
        validMinutes: CONSENT_VALID_MINUTES,
      });
      await audit(tx, actor.id, 'lookup.consent', id, {
        system: c.system,
        idNumber: maskIdNumber(subject.value.idNumber),
        how,
      });
      return made;
    });
    return {
      consentId: id,
      system: c.system,
      systemLabel: BUSINESS_SYSTEM_LABELS[c.system],
      subject: { idNumber: maskIdNumber(subject.value.idNumber), name: maskName(subject.value.name) },
      givenAt: r.given_at.toISOString(),
      expiresAt: r.expires_at.toISOString(),
    };
  }

  async lookup(actor: Actor, l: { consentId: string; query: LookupQuery; idNumber: string; name: string }) {
    requirePermission(actor, 'business.lookup');
    const subject = checkSubject({ idNumber: l.idNumber, name: l.name });
    if (!subject.ok) throw fromDomain(subject);
    const consent = await findConsent(this.db, l.consentId);
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
    // every look-up is recorded and audited, answered or not
    await inTransaction(this.db, async (tx) => {
      await insertLookup(tx, {
        consentId: l.consentId,
        system,
        query: l.query,
        connectorId: peer.id,
        actorId: actor.id,
        outcome,
        httpStatus: out.status,
        durationMs: Date.now() - started,
      });
      await audit(tx, actor.id, 'lookup.query', l.consentId, { system, query: l.query, outcome });
    });
    if (out.kind === 'not_found') throw new AppError('LOOKUP_SUBJECT_NOT_FOUND');
    if (out.kind === 'refused') throw new AppError('BUSINESS_SYSTEM_REFUSED', undefined, { status: out.status });
    if (out.kind === 'unavailable')
      throw new AppError('BUSINESS_SYSTEM_UNAVAILABLE', undefined, { status: out.status });
    if (!parsed || !parsed.ok) throw fromDomain(parsed ?? { code: 'BUSINESS_SYSTEM_BAD_ANSWER', message: '' });
    const source = await connectorName(this.db, peer.id);
    return {
      system,
      systemLabel: BUSINESS_SYSTEM_LABELS[system],
      query: l.query,
      queryLabel: LOOKUP_QUERY_LABELS[l.query],
      source: source ?? peer.id,
      at: new Date().toISOString(),
      answer: maskLookupAnswer(parsed.value),
    };
  }
}
