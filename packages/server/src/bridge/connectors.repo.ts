/** Connectors' SQL. Secrets are written, never read back through the API. */
import { CONNECTOR_KINDS } from '@liandong/domain';
import type { Queryable } from '../db/pool.ts';

export interface ConnectorInput {
  id: string;
  name: string;
  kind: string;
  endpointUrl: string;
  keyId: string;
  key: string;
  inboundKeyId: string;
  inboundKey: string;
  alg?: 'hmac-sha256' | 'hmac-sm3';
  active?: boolean;
}

const COLUMNS = `id, name, kind, endpoint_url AS "endpointUrl", key_id AS "keyId", inbound_key_id AS "inboundKeyId", alg, active, updated_at AS "updatedAt"`;

export async function listConnectors(db: Queryable) {
  return (await db.query(`SELECT ${COLUMNS} FROM connectors ORDER BY id`)).rows;
}

export async function upsertConnector(db: Queryable, c: ConnectorInput) {
  return (
    await db.query(
      `INSERT INTO connectors (id, name, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret, alg, active)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, endpoint_url = EXCLUDED.endpoint_url, key_id = EXCLUDED.key_id,
      key_secret = EXCLUDED.key_secret, inbound_key_id = EXCLUDED.inbound_key_id, inbound_key_secret = EXCLUDED.inbound_key_secret, alg = EXCLUDED.alg,
      active = EXCLUDED.active, updated_at = now()
    RETURNING ${COLUMNS}`,
      insertValues(c),
    )
  ).rows[0];
}

/** The ten values both inserts write, in the order of their column list. */
const insertValues = (c: ConnectorInput) => [
  c.id,
  c.name,
  c.kind,
  c.endpointUrl,
  c.keyId,
  c.key,
  c.inboundKeyId,
  c.inboundKey,
  c.alg ?? 'hmac-sha256',
  c.active ?? true,
];

/** A new connector only: an id already in use is a unique violation (connectors_pkey), never an overwrite. */
export async function insertConnector(db: Queryable, c: ConnectorInput) {
  return (
    await db.query(
      `INSERT INTO connectors (id, name, kind, endpoint_url, key_id, key_secret, inbound_key_id, inbound_key_secret, alg, active)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
    RETURNING ${COLUMNS}`,
      insertValues(c),
    )
  ).rows[0];
}

/** The settings an administrator edits in place (keys are rotated, never typed in here). */
export interface ConnectorPatch {
  name?: string;
  kind?: string;
  endpointUrl?: string;
  keyId?: string;
  inboundKeyId?: string;
  alg?: 'hmac-sha256' | 'hmac-sm3';
  active?: boolean;
}

const PATCH_COLUMNS: Record<keyof ConnectorPatch, string> = {
  name: 'name',
  kind: 'kind',
  endpointUrl: 'endpoint_url',
  keyId: 'key_id',
  inboundKeyId: 'inbound_key_id',
  alg: 'alg',
  active: 'active',
};

/** One connector's settings (never its secrets), locked for the change that follows when `forUpdate`. */
export async function getConnector(db: Queryable, id: string, forUpdate = false) {
  return (
    await db.query<Record<string, unknown>>(
      `SELECT ${COLUMNS} FROM connectors WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    )
  ).rows[0];
}

export async function patchConnector(db: Queryable, id: string, patch: ConnectorPatch) {
  const keys = (Object.keys(patch) as (keyof ConnectorPatch)[]).filter((k) => patch[k] !== undefined);
  const sets = keys.map((k, i) => `${PATCH_COLUMNS[k]} = $${i + 2}`);
  return (
    await db.query<Record<string, unknown>>(
      `UPDATE connectors SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, ...keys.map((k) => patch[k])],
    )
  ).rows[0];
}

/** Replaces the secret of one direction: `inbound` (the connector signs to us) or `outbound` (we sign to it). */
export async function replaceConnectorKey(
  db: Queryable,
  id: string,
  direction: 'inbound' | 'outbound',
  secret: string,
) {
  const column = direction === 'inbound' ? 'inbound_key_secret' : 'key_secret';
  return (
    await db.query<Record<string, unknown>>(
      `UPDATE connectors SET ${column} = $2, updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
      [id, secret],
    )
  ).rows[0];
}

/** Ids of the active connectors of the given kinds (a diversion goes to the one of its kind). */
export async function findActiveConnectorOfKinds(db: Queryable, kinds: string[]): Promise<string[]> {
  return (
    await db.query<{ id: string }>('SELECT id FROM connectors WHERE active AND kind = ANY($1) ORDER BY id', [kinds])
  ).rows.map((r) => r.id);
}

/** Active partner lines a seat may transfer to (service connectors are not): names and kinds only, never endpoints or keys. */
export async function listActiveTargets(db: Queryable): Promise<{ id: string; name: string; kind: string }[]> {
  return (
    await db.query<{ id: string; name: string; kind: string }>(
      'SELECT id, name, kind FROM connectors WHERE active AND kind = ANY($1) ORDER BY kind, id',
      [CONNECTOR_KINDS],
    )
  ).rows;
}

/** The kinds of the named connectors (active or not), by id. */
export async function connectorKinds(db: Queryable, ids: string[]): Promise<Map<string, string>> {
  const r = await db.query<{ id: string; kind: string }>('SELECT id, kind FROM connectors WHERE id = ANY($1)', [ids]);
  return new Map(r.rows.map((x) => [x.id, x.kind]));
}

/** How many linkage items and messages name the connector as their peer (its history, which a delete would orphan). */
export async function connectorUses(db: Queryable, id: string): Promise<number> {
  return (
    await db.query<{ n: number }>(
      `SELECT (SELECT count(*) FROM linkage_items WHERE peer = $1) + (SELECT count(*) FROM bridge_outbox WHERE peer = $1) AS n`,
      [id],
    )
  ).rows[0]!.n;
}

export async function deleteConnector(db: Queryable, id: string): Promise<void> {
  await db.query('DELETE FROM connectors WHERE id = $1', [id]);
}
