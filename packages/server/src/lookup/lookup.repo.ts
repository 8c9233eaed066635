/** Look-up consents and the record of each look-up (docs/business-lookup.md). */
import type { BusinessSystem, LookupQuery } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export async function insertConsent(
  db: Queryable,
  c: {
    id: string;
    system: BusinessSystem;
    subjectHash: string;
    idNumberMasked: string;
    nameMasked: string;
    how: string;
    workOrderId: string | null;
    givenTo: string | null;
    validMinutes: number;
  },
): Promise<{ given_at: Date; expires_at: Date }> {
  const r = await db.query<{ given_at: Date; expires_at: Date }>(
    `INSERT INTO lookup_consents (id, system, subject_hash, id_number_masked, name_masked, how, work_order_id, given_to, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now() + make_interval(mins => $9)) RETURNING given_at, expires_at`,
    [c.id, c.system, c.subjectHash, c.idNumberMasked, c.nameMasked, c.how, c.workOrderId, c.givenTo, c.validMinutes],
  );
  return r.rows[0]!;
}

export async function findConsent(db: Queryable, id: string) {
  const r = await db.query<{ system: BusinessSystem; subject_hash: string | null; given_to: string; live: boolean }>(
    'SELECT system, subject_hash, given_to, expires_at > now() AS live FROM lookup_consents WHERE id = $1',
    [id],
  );
  return r.rows[0] ?? null;
}

export async function insertLookup(
  db: Queryable,
  l: {
    consentId: string;
    system: BusinessSystem;
    query: LookupQuery;
    connectorId: string;
    actorId: string | null;
    outcome: string;
    httpStatus: number;
    durationMs: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO business_lookups (consent_id, system, query, connector_id, actor_id, outcome, http_status, duration_ms)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [l.consentId, l.system, l.query, l.connectorId, l.actorId, l.outcome, l.httpStatus, l.durationMs],
  );
}

export async function connectorName(db: Queryable, id: string): Promise<string | null> {
  const r = await db.query<{ name: string }>('SELECT name FROM connectors WHERE id = $1', [id]);
  return r.rows[0]?.name ?? null;
}
