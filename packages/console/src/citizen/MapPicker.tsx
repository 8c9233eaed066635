/**
 * A point picked on Chongqing's district map (the same boundaries the dashboard uses; no map tiles are
 * needed). Tapping sets longitude/latitude; a chosen district zooms the map to it.
 */
import { useEffect, useMemo, useState } from 'react';

type Ring = [number, number][];
interface Feature {
  properties: { code: string; name: string; cp: [number, number] };
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: Ring[] | Ring[][] };
}

let geo: Promise<Feature[]> | null = null;
const loadGeo = () =>
  (geo ??= fetch('/geo/chongqing-districts.json')
    .then((r) => {
      if (!r.ok) throw new Error(String(r.status));
      return r.json() as Promise<{ features: Feature[] }>;
    })
    .then((g) => g.features)
    .catch((e) => {
      geo = null;
      throw e;
    }));

const K = Math.cos((29.5 * Math.PI) / 180);
const project = ([lng, lat]: [number, number]): [number, number] => [lng * K * 100, -lat * 100];

export function MapPicker(props: {
  districtCode?: string;
  point: { lat: number; lng: number } | null;
  onPick: (p: { lat: number; lng: number }) => void;
}) {
  const [features, setFeatures] = useState<Feature[] | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    loadGeo().then(setFeatures, () => setFailed(true));
  }, []);
  const polys = useMemo(
    () =>
      (features ?? []).map((f) => ({
        code: f.properties.code,
        rings: (f.geometry.type === 'Polygon'
          ? [f.geometry.coordinates as Ring[]]
          : (f.geometry.coordinates as Ring[][])
        ).map((p) => p[0]!.map(project)),
      })),
    [features],
  );
  const box = useMemo(() => {
    const pts = polys
      .filter((p) => !props.districtCode || p.code === props.districtCode)
      .flatMap((p) => p.rings.flat());
    if (!pts.length) return '0 0 1 1';
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    const pad = Math.max(x1 - x0, y1 - y0) * 0.05;
    return `${x0 - pad} ${y0 - pad} ${x1 - x0 + 2 * pad} ${y1 - y0 + 2 * pad}`;
  }, [polys, props.districtCode]);
  if (failed) return <p className="hint">地图加载失败，请填写地址或选择区县街道</p>;
  if (!features) return <p className="hint">地图加载中…</p>;
  const bw = Number(box.split(' ')[2]);
  const marker = props.point ? project([props.point.lng, props.point.lat]) : null;
  return (
    <svg
      className="map"
      viewBox={box}
      role="img"
      aria-label="地图选点"
      onClick={(e) => {
        const svg = e.currentTarget;
        const pt = svg.createSVGPoint();
        pt.x = e.clientX;
        pt.y = e.clientY;
        const p = pt.matrixTransform(svg.getScreenCTM()!.inverse());
        props.onPick({ lng: Math.round((p.x / K / 100) * 1e5) / 1e5, lat: Math.round((-p.y / 100) * 1e5) / 1e5 });
      }}
    >
      {polys.map((p) =>
        p.rings.map((r, i) => (
          <polygon
            key={`${p.code}-${i}`}
            points={r.map((x) => x.join(',')).join(' ')}
            className={p.code === props.districtCode ? 'district on' : 'district'}
            strokeWidth={bw / 400}
          />
        )),
      )}
      {marker && <circle cx={marker[0]} cy={marker[1]} r={bw / 60} className="pin" strokeWidth={bw / 300} />}
    </svg>
  );
}
