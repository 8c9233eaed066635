#!/usr/bin/env node
/**
 * Builds the console's district boundary file from ECharts 4.9.0's Chongqing map
 * (echarts/map/json/province/chongqing.json, Apache-2.0), which ships in ECharts' compressed
 * "UTF8Encoding" form. Output: plain GeoJSON, one feature per 区县 with our GB/T 2260 code, names
 * brought up to date (梁平县 → 梁平区 in 2016, 武隆县 → 武隆区 in 2016).
 *
 *   npm pack echarts@4.9.0 && tar xzf echarts-4.9.0.tgz package/map/json/province/chongqing.json
 *   node scripts/gen-district-geo.mjs package/map/json/province/chongqing.json
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const src = process.argv[2];
if (!src) {
  console.error('usage: node scripts/gen-district-geo.mjs <echarts-4.9.0 chongqing.json>');
  process.exit(2);
}
const RENAMED = { 梁平县: '梁平区', 武隆县: '武隆区' };

function decodeRing(coords, offsets, scale) {
  const out = [];
  let px = offsets[0],
    py = offsets[1];
  for (let i = 0; i < coords.length; i += 2) {
    let x = coords.charCodeAt(i) - 64,
      y = coords.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    x += px;
    y += py;
    px = x;
    py = y;
    out.push([Math.round((x / scale) * 1e4) / 1e4, Math.round((y / scale) * 1e4) / 1e4]);
  }
  return out;
}

const raw = JSON.parse(fs.readFileSync(src, 'utf8'));
const scale = raw.UTF8Scale ?? 1024;
const divisions = JSON.parse(
  fs.readFileSync(path.join(root, 'packages/server/reference/chongqing-divisions.json'), 'utf8'),
).divisions;
const codeByName = new Map(divisions.map((d) => [d.name, d.code]));
const features = raw.features.map((f) => {
  const name = RENAMED[f.properties.name] ?? f.properties.name;
  const code = codeByName.get(name);
  if (!code) throw new Error(`no GB/T 2260 code for ${name}`);
  const g = f.geometry;
  const coordinates = !raw.UTF8Encoding
    ? g.coordinates
    : g.type === 'Polygon'
      ? g.coordinates.map((ring, i) => decodeRing(ring, g.encodeOffsets[i], scale))
      : g.coordinates.map((poly, i) => poly.map((ring, j) => decodeRing(ring, g.encodeOffsets[i][j], scale)));
  return { type: 'Feature', properties: { code, name, cp: f.properties.cp }, geometry: { type: g.type, coordinates } };
});
const missing = divisions.filter((d) => !features.some((f) => f.properties.code === d.code));
if (missing.length) throw new Error(`no boundary for ${missing.map((d) => d.name).join(', ')}`);
const out = path.join(root, 'packages/console/public/geo/chongqing-districts.json');
fs.writeFileSync(
  out,
  JSON.stringify({
    type: 'FeatureCollection',
    source: 'ECharts 4.9.0 map/json/province/chongqing.json (Apache-2.0)',
    features,
  }),
);
console.log(`${features.length} districts → ${path.relative(root, out)} (${fs.statSync(out).size} bytes)`);
