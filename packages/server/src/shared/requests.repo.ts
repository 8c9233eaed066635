/** Requests and units, shared by both desks' modules. */
import type { Queryable } from '../db/pool.ts';

export interface RequestDetailRow {
  channel: string;
  confidential: boolean;
  content: string;
  address: string;
  district_code: string | null;
  street_code: string | null;
  lat: number | null;
  lng: number | null;
  received_at: Date;
  caller_name: string | null;
  caller_phone: string | null;
  district_name: string | null;
  street_name: string | null;
}

export async function findRequestDetail(db: Queryable, requestId: string): Promise<RequestDetailRow | null> {
  const r = await db.query<RequestDetailRow>(
    `
    SELECT r.channel, r.confidential, r.content, r.address, r.district_code, r.street_code, r.lat, r.lng, r.received_at,
           c.name AS caller_name, c.phone AS caller_phone, d.name AS district_name, s.name AS street_name
    FROM requests r LEFT JOIN callers c ON c.id = r.caller_id LEFT JOIN districts d ON d.code = r.district_code
    LEFT JOIN streets s ON s.code = r.street_code WHERE r.id = $1`,
    [requestId],
  );
  return r.rows[0] ?? null;
}

export interface UnitRef {
  id: string;
  name: string;
  kind: string;
  desk: string;
  district_code: string | null;
  active: boolean;
}

export async function findUnits(db: Queryable, ids: string[]): Promise<UnitRef[]> {
  if (ids.length === 0) return [];
  const r = await db.query<UnitRef>(
    'SELECT id, name, kind, desk, district_code, active FROM units WHERE id = ANY($1)',
    [ids],
  );
  return r.rows;
}
