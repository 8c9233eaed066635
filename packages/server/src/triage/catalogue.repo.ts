import type { Catalogue, CatalogueEntry, Route, TriageOutcome } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

interface VersionRow {
  version: number;
  effective_from: string;
  source: string;
  note: string | null;
  entries: CatalogueEntry[];
  created_by: string | null;
  created_at: Date;
}
const toCatalogue = (r: VersionRow): Catalogue => ({
  version: r.version,
  effectiveFrom: r.effective_from,
  source: r.source,
  note: r.note ?? undefined,
  entries: r.entries,
});

/** The newest version already in effect (Asia/Shanghai date). */
export async function findActiveCatalogue(db: Queryable): Promise<Catalogue | null> {
  const r =
    await db.query<VersionRow>(`SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, source, note, entries, created_by, created_at
    FROM triage_catalogue_versions WHERE effective_from <= (now() AT TIME ZONE 'Asia/Shanghai')::date ORDER BY version DESC LIMIT 1`);
  return r.rows[0] ? toCatalogue(r.rows[0]) : null;
}

export async function findCatalogueVersion(
  db: Queryable,
  version: number,
): Promise<(Catalogue & { createdAt: string; createdBy: string | null }) | null> {
  const r = await db.query<VersionRow>(
    `SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS effective_from, source, note, entries, created_by, created_at
    FROM triage_catalogue_versions WHERE version = $1`,
    [version],
  );
  const row = r.rows[0];
  return row ? { ...toCatalogue(row), createdAt: row.created_at.toISOString(), createdBy: row.created_by } : null;
}

export async function listCatalogueVersions(db: Queryable) {
  const r =
    await db.query(`SELECT version, to_char(effective_from, 'YYYY-MM-DD') AS "effectiveFrom", source, note, jsonb_array_length(entries)::int AS "entryCount",
    created_by AS "createdBy", created_at AS "createdAt" FROM triage_catalogue_versions ORDER BY version DESC`);
  return r.rows;
}

/**
 * Catalogues the other desk published that this desk could not install (their number is taken here, or
 * older than this desk's newest: `catalogue.receive_conflict`), since the desks last agreed — a version
 * received and installed (or found the same), or one this desk published (it goes to the peer).
 * While one stands, the two desks may triage by different versions.
 */
export async function listOpenPeerConflicts(db: Queryable) {
  return (
    await db.query<{
      version: number;
      from: string;
      at: Date;
      effectiveFrom: string | null;
      source: string | null;
      entries: number | null;
      newestHere: number | null;
    }>(
      `SELECT a.target::int AS version, a.details->>'from' AS "from", a.at, a.details->>'effectiveFrom' AS "effectiveFrom",
         a.details->>'source' AS source, (a.details->>'entries')::int AS entries, (a.details->>'newestHere')::int AS "newestHere"
       FROM admin_audit a
       WHERE a.action = 'catalogue.receive_conflict'
         AND a.id > COALESCE((SELECT max(b.id) FROM admin_audit b
           WHERE b.action = 'catalogue.publish' OR (b.action = 'catalogue.receive' AND b.details->>'outcome' IN ('installed', 'same'))), 0)
       ORDER BY a.id DESC LIMIT 20`,
    )
  ).rows;
}

/** Inserts the next version number atomically (a concurrent publish gets the following number). */
export async function insertCatalogueVersion(
  db: Queryable,
  c: Omit<Catalogue, 'version'>,
  createdBy: string | null,
  version?: number,
): Promise<number> {
  const r = await db.query<{ version: number }>(
    `INSERT INTO triage_catalogue_versions (version, effective_from, source, note, entries, created_by)
    SELECT COALESCE($1, (SELECT COALESCE(max(version), 0) + 1 FROM triage_catalogue_versions)), $2, $3, $4, $5, $6 RETURNING version`,
    [version ?? null, c.effectiveFrom, c.source, c.note ?? null, JSON.stringify(c.entries), createdBy],
  );
  return r.rows[0]!.version;
}

export interface StoredTriage {
  route: Route;
  emergency: boolean;
  urgent: boolean;
  urgent_kind: string | null;
  linked: Route[];
  category: string;
  confidence: number;
  needs_consultation: boolean;
  review: boolean;
  reasons: string[];
  catalogue_version: number;
  model_version: string | null;
  created_at: Date;
  decisions: {
    decision: string;
    route: Route;
    emergency: boolean;
    urgent: boolean;
    reason: string | null;
    decidedBy: string | null;
    decidedByName: string | null;
    decidedAt: string;
  }[];
}

export async function findTriage(db: Queryable, requestId: string): Promise<StoredTriage | null> {
  const r = await db.query<StoredTriage>(
    `SELECT t.*, COALESCE((SELECT jsonb_agg(jsonb_build_object('decision', d.decision, 'route', d.route, 'emergency', d.emergency, 'urgent', d.urgent,
      'reason', d.reason, 'decidedBy', d.decided_by, 'decidedByName', u.display_name, 'decidedAt', d.decided_at) ORDER BY d.id)
      FROM triage_decisions d LEFT JOIN users u ON u.id = d.decided_by WHERE d.request_id = t.request_id), '[]') AS decisions
    FROM triage_outcomes t WHERE t.request_id = $1`,
    [requestId],
  );
  return r.rows[0] ?? null;
}

export async function insertDecision(
  db: Queryable,
  d: {
    requestId: string;
    decision: 'accepted' | 'overridden';
    route: Route;
    emergency: boolean;
    urgent: boolean;
    reason: string | null;
    decidedBy: string | null;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO triage_decisions (request_id, decision, route, emergency, urgent, reason, decided_by) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [d.requestId, d.decision, d.route, d.emergency, d.urgent, d.reason, d.decidedBy],
  );
}

/** The latest override of each request, with its text: material for retraining. */
export async function listOverridesForTraining(
  db: Queryable,
): Promise<{ text: string; route: Route; emergency: boolean }[]> {
  const r = await db.query<{
    text: string;
    route: Route;
    emergency: boolean;
  }>(`SELECT DISTINCT ON (d.request_id) r.content AS text, d.route, d.emergency
    FROM triage_decisions d JOIN requests r ON r.id = d.request_id WHERE d.decision = 'overridden' ORDER BY d.request_id, d.id DESC`);
  return r.rows;
}

/** A triage outcome as the JSON record the intake statement unpacks. */
export function triageJson(t: TriageOutcome | null): string | null {
  return (
    t &&
    JSON.stringify({
      route: t.route,
      emergency: t.emergency,
      urgent: t.urgent,
      urgent_kind: t.urgentKind,
      linked: t.linked,
      category: t.category,
      confidence: t.confidence,
      needs_consultation: t.needsConsultation,
      review: t.review,
      reasons: t.reasons,
      catalogue_version: t.catalogueVersion,
      model_version: t.modelVersion,
    })
  );
}

/**
 * The intake statements' CTE that stores the triage outcome with the request `r` (one statement, one
 * round trip). `param` is the placeholder number of the triageJson() argument.
 */
export function triageOutcomeCte(param: number): string {
  return `t AS (
      INSERT INTO triage_outcomes (request_id, route, emergency, urgent, urgent_kind, linked, category, confidence, needs_consultation, review, reasons, catalogue_version, model_version)
      SELECT r.id, x.route, x.emergency, x.urgent, x.urgent_kind, x.linked, x.category, x.confidence, x.needs_consultation, COALESCE(x.review, false), x.reasons, x.catalogue_version, x.model_version
      FROM r, jsonb_to_record($${param}::jsonb) AS x(route text, emergency boolean, urgent boolean, urgent_kind text, linked text[], category text, confidence real,
        needs_consultation boolean, review boolean, reasons jsonb, catalogue_version integer, model_version text) WHERE $${param}::jsonb IS NOT NULL
    )`;
}
