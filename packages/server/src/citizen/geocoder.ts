/**
 * Addresses → district, street and coordinates. The interface is what the public channel and
 * Open311 call; the reference implementation resolves from the shipped data (Chongqing's 38 区县 and
 * 1,031 街道/镇 in the database, district boundaries and centre points from ECharts 4.9.0's map). A city
 * points `GEOCODER_URL` at its own service (HttpGeocoder) for street-level coordinates.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Queryable } from '../db/pool.ts';

export interface GeocodeQuery {
  address?: string;
  districtCode?: string;
  streetCode?: string;
  lat?: number;
  lng?: number;
}

export interface GeocodeResult {
  districtCode: string | null;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
  /** district + street + address, most general first (the Chinese order) */
  formatted: string;
  /** how the coordinates were found: given by the citizen, the district's centre, or the city's service */
  precision: 'point' | 'district' | 'none' | 'external';
}

export interface Geocoder {
  resolve(q: GeocodeQuery): Promise<GeocodeResult>;
}

type Ring = [number, number][];
interface DistrictShape {
  code: string;
  name: string;
  centre: [number, number];
  polygons: Ring[][];
}

const GEO_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../console/public/geo/chongqing-districts.json',
);

function inRing([x, y]: [number, number], ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function loadDistrictShapes(file = GEO_FILE): DistrictShape[] {
  if (!fs.existsSync(file)) return [];
  const g = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    features: {
      properties: { code: string; name: string; cp: [number, number] };
      geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown };
    }[];
  };
  return g.features.map((f) => ({
    code: f.properties.code,
    name: f.properties.name,
    centre: f.properties.cp,
    polygons: f.geometry.type === 'Polygon' ? [f.geometry.coordinates as Ring[]] : (f.geometry.coordinates as Ring[][]),
  }));
}

export class ReferenceGeocoder implements Geocoder {
  private names: Promise<{
    districts: { code: string; name: string }[];
    streets: { code: string; district_code: string; name: string }[];
  }> | null = null;
  private readonly shapes: DistrictShape[];

  constructor(
    private readonly db: Queryable,
    shapes?: DistrictShape[],
  ) {
    this.shapes = shapes ?? loadDistrictShapes();
  }

  private load() {
    this.names ??= (async () => ({
      districts: (await this.db.query<{ code: string; name: string }>('SELECT code, name FROM districts')).rows,
      streets: (
        await this.db.query<{ code: string; district_code: string; name: string }>(
          'SELECT code, district_code, name FROM streets',
        )
      ).rows,
    }))();
    return this.names;
  }

  /** The district whose boundary holds the point. */
  districtAt(lng: number, lat: number): string | null {
    for (const s of this.shapes)
      if (s.polygons.some((poly) => inRing([lng, lat], poly[0]!) && !poly.slice(1).some((h) => inRing([lng, lat], h))))
        return s.code;
    return null;
  }

  async resolve(q: GeocodeQuery): Promise<GeocodeResult> {
    const { districts, streets } = await this.load();
    const address = (q.address ?? '').trim();
    // Codes from the caller (or a city's service) count only when the reference data knows them.
    let districtCode = districts.some((d) => d.code === q.districtCode) ? q.districtCode! : null;
    let streetCode = streets.some((s) => s.code === q.streetCode && s.district_code === districtCode)
      ? q.streetCode!
      : null;
    const point = q.lat !== undefined && q.lng !== undefined;
    if (!districtCode && point) districtCode = this.districtAt(q.lng!, q.lat!);
    if (!districtCode && address) {
      // The longest name found in the text wins (渝北区 before 北区-like fragments).
      const hit = districts
        .filter((d) => address.includes(d.name) || address.includes(d.name.replace(/[区县]$/, '')))
        .sort((a, b) => b.name.length - a.name.length)[0];
      districtCode = hit?.code ?? null;
    }
    if (!streetCode && address) {
      const candidates = streets.filter((s) => (districtCode ? s.district_code === districtCode : true));
      const hits = candidates
        .filter(
          (s) =>
            address.includes(s.name) || (s.name.length > 3 && address.includes(s.name.replace(/(街道|镇|乡)$/, ''))),
        )
        .sort((a, b) => b.name.length - a.name.length);
      // A street name shared by several districts is only taken when the district is known.
      if (hits[0] && (districtCode || hits.filter((h) => h.name === hits[0]!.name).length === 1)) {
        streetCode = hits[0].code;
        districtCode ??= hits[0].district_code;
      }
    }
    const d = districts.find((x) => x.code === districtCode);
    const s = streets.find((x) => x.code === streetCode);
    const shape = this.shapes.find((x) => x.code === districtCode);
    const formatted = [
      d?.name,
      s?.name,
      address
        .replace(d?.name ?? '\u0000', '')
        .replace(s?.name ?? '\u0000', '')
        .trim(),
    ]
      .filter(Boolean)
      .join('');
    if (point) return { districtCode, streetCode, lat: q.lat!, lng: q.lng!, formatted, precision: 'point' };
    if (shape)
      return { districtCode, streetCode, lat: shape.centre[1], lng: shape.centre[0], formatted, precision: 'district' };
    return { districtCode, streetCode, lat: null, lng: null, formatted, precision: 'none' };
  }
}

/**
 * A city's own geocoding service: `POST {url}` with the query as JSON, answering the GeocodeResult
 * fields; codes it returns that are not in the reference data are dropped (the request is still taken).
 */
export class HttpGeocoder implements Geocoder {
  constructor(
    private readonly url: string,
    private readonly fallback: Geocoder,
    private readonly timeoutMs = 3000,
  ) {}

  async resolve(q: GeocodeQuery): Promise<GeocodeResult> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(q),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      if (!res.ok) throw new Error(`geocoder ${res.status}`);
      const r = (await res.json()) as Partial<GeocodeResult>;
      const base = await this.fallback.resolve({
        ...q,
        districtCode: typeof r.districtCode === 'string' ? r.districtCode : q.districtCode,
        streetCode: typeof r.streetCode === 'string' ? r.streetCode : q.streetCode,
      });
      return typeof r.lat === 'number' && typeof r.lng === 'number'
        ? { ...base, lat: r.lat, lng: r.lng, precision: 'external' }
        : base;
    } catch {
      // The city's service being down must not lose the request: the reference data answers.
      return this.fallback.resolve(q);
    }
  }
}
