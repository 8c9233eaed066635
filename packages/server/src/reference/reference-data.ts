/**
 * Chongqing's reference data, built from the committed GB/T 2260 extract (reference/*.json, see
 * scripts/gen-reference.mjs) plus the bodies that receive work orders and incidents.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_TIME_LIMITS } from '@liandong/domain';

const REFERENCE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../reference');

export interface Division {
  code: string;
  name: string;
  kind: 'district' | 'county' | 'autonomous_county';
  streets: { code: string; name: string }[];
}
export interface UnitRow {
  id: string;
  name: string;
  kind: string;
  desk: 'hotline' | 'dispatch' | 'external';
  district_code: string | null;
  street_code: string | null;
  parent_id: string | null;
  fn: string | null;
}
export interface CategoryRow {
  code: string;
  name: string;
  parent_code: string | null;
  default_function: string | null;
  default_unit_kind: string | null;
}

export function loadDivisions(): Division[] {
  const raw = JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'chongqing-divisions.json'), 'utf8')) as {
    divisions: Division[];
  };
  return raw.divisions;
}

export function loadHolidays(): { date: string; kind: 'holiday' | 'workday'; name: string; provisional?: boolean }[] {
  return (JSON.parse(fs.readFileSync(path.join(REFERENCE_DIR, 'holidays.json'), 'utf8')) as { days: never[] }).days;
}

export function streetKind(name: string): 'subdistrict' | 'town' | 'township' {
  if (name.endsWith('街道')) return 'subdistrict';
  if (name.endsWith('镇')) return 'town';
  return 'township';
}

/** Functions shared by city departments and their district counterparts. */
export const DEPARTMENT_FUNCTIONS = {
  'urban-mgmt': ['市城市管理局', '城市管理局'],
  housing: ['市住房城乡建委', '住房城乡建委'],
  environment: ['市生态环境局', '生态环境局'],
  market: ['市市场监管局', '市场监管局'],
  transport: ['市交通运输委', '交通运输委'],
  education: ['市教委', '教委'],
  health: ['市卫生健康委', '卫生健康委'],
  hr: ['市人力社保局', '人力社保局'],
  planning: ['市规划自然资源局', '规划自然资源局'],
  civil: ['市民政局', '民政局'],
} as const;

/** City-level bodies without a district counterpart in this list (utilities answer 12345 orders too). */
const CITY_ONLY: [string, string][] = [
  ['medical-insurance', '市医保局'],
  ['housing-fund', '市住房公积金管理中心'],
  ['emergency', '市应急管理局'],
  ['culture-tourism', '市文化旅游委'],
  ['agriculture', '市农业农村委'],
  ['water-resources', '市水利局'],
  ['commerce', '市商务委'],
  ['justice', '市司法局'],
  ['big-data', '市大数据发展局'],
  ['veterans', '市退役军人事务局'],
  ['tax', '国家税务总局重庆市税务局'],
  ['telecom', '市通信管理局'],
  ['postal', '市邮政管理局'],
  ['water', '重庆水务集团'],
  ['power', '国网重庆市电力公司'],
  ['gas', '重庆燃气集团'],
];

function shortName(d: Division): string {
  return d.name;
}

export function buildUnits(divisions: Division[]): UnitRow[] {
  const units: UnitRow[] = [];
  const add = (u: Omit<UnitRow, 'fn'> & { fn?: string | null }) => units.push({ ...u, fn: u.fn ?? null });
  for (const [fn, [cityName]] of Object.entries(DEPARTMENT_FUNCTIONS)) {
    add({
      id: `city.${fn}`,
      name: cityName,
      kind: 'city_department',
      desk: 'hotline',
      district_code: null,
      street_code: null,
      parent_id: null,
      fn,
    });
  }
  for (const [fn, name] of CITY_ONLY) {
    add({
      id: `city.${fn}`,
      name,
      kind: 'city_department',
      desk: 'hotline',
      district_code: null,
      street_code: null,
      parent_id: null,
      fn,
    });
  }
  add({
    id: 'police.command',
    name: '重庆市公安局110指挥中心',
    kind: 'police_command',
    desk: 'dispatch',
    district_code: null,
    street_code: null,
    parent_id: null,
  });
  for (const [fn, name] of [
    ['traffic', '重庆市公安局交巡警总队'],
    ['criminal', '重庆市公安局刑事侦查总队'],
    ['public-order', '重庆市公安局治安管理总队'],
    ['cyber', '重庆市公安局网络安全保卫总队'],
  ]) {
    add({
      id: `police.${fn}`,
      name: name!,
      kind: 'police_specialized',
      desk: 'dispatch',
      district_code: null,
      street_code: null,
      parent_id: 'police.command',
      fn,
    });
  }
  add({
    id: 'ext.fire-119',
    name: '重庆市消防救援总队119指挥中心',
    kind: 'external',
    desk: 'external',
    district_code: null,
    street_code: null,
    parent_id: null,
    fn: 'fire',
  });
  add({
    id: 'ext.medical-120',
    name: '重庆市急救医疗中心120',
    kind: 'external',
    desk: 'external',
    district_code: null,
    street_code: null,
    parent_id: null,
    fn: 'medical',
  });
  add({
    id: 'ext.vehicle-moving',
    name: '重庆市便民挪车服务平台',
    kind: 'external',
    desk: 'external',
    district_code: null,
    street_code: null,
    parent_id: null,
    fn: 'vehicle-moving',
  });

  for (const d of divisions) {
    const dn = shortName(d);
    const isCounty = d.kind !== 'district';
    const agency = `d${d.code}.agency`;
    add({
      id: agency,
      name: `${dn}政务服务热线中心`,
      kind: 'district_agency',
      desk: 'hotline',
      district_code: d.code,
      street_code: null,
      parent_id: null,
      fn: 'agency',
    });
    for (const [fn, [, localName]] of Object.entries(DEPARTMENT_FUNCTIONS)) {
      add({
        id: `d${d.code}.${fn}`,
        name: `${dn}${localName}`,
        kind: 'district_department',
        desk: 'hotline',
        district_code: d.code,
        street_code: null,
        parent_id: agency,
        fn,
      });
    }
    add({
      id: `g${d.code}`,
      name: `${dn}综治中心`,
      kind: 'external',
      desk: 'external',
      district_code: d.code,
      street_code: null,
      parent_id: null,
      fn: 'governance',
    });
    const bureau = `p${d.code}.bureau`;
    add({
      id: bureau,
      name: isCounty ? `${dn}公安局` : `重庆市公安局${dn}分局`,
      kind: 'police_bureau',
      desk: 'dispatch',
      district_code: d.code,
      street_code: null,
      parent_id: 'police.command',
    });
    for (const [fn, label] of [
      ['traffic', '交巡警支队'],
      ['criminal', '刑侦支队'],
      ['public-order', '治安支队'],
    ]) {
      add({
        id: `p${d.code}.${fn}`,
        name: `${isCounty ? `${dn}公安局` : `${dn}分局`}${label}`,
        kind: 'police_specialized',
        desk: 'dispatch',
        district_code: d.code,
        street_code: null,
        parent_id: bureau,
        fn: fn!,
      });
    }
    for (const s of d.streets) {
      const kind = streetKind(s.name);
      const office = kind === 'subdistrict' ? `${s.name}办事处` : `${s.name}人民政府`;
      add({
        id: `s${s.code}`,
        name: `${dn}${office}`,
        kind: 'street_office',
        desk: 'hotline',
        district_code: d.code,
        street_code: s.code,
        parent_id: agency,
        fn: 'street',
      });
      // A police station for each subdistrict and town (townships are covered by a neighbouring station).
      if (kind !== 'township') {
        const base = s.name.replace(/(街道|镇)$/, '');
        const clash = d.streets.some((o) => o.code !== s.code && o.name.replace(/(街道|镇)$/, '') === base);
        add({
          id: `p${s.code}.station`,
          name: `${dn}${clash ? s.name : base}派出所`,
          kind: 'police_station',
          desk: 'dispatch',
          district_code: d.code,
          street_code: s.code,
          parent_id: bureau,
        });
      }
    }
  }
  return units;
}

/** The 12345 dispatch catalogue (派单目录), after GB/T 39666-2020's top-level domains. */
export const CATALOGUE: [
  code: string,
  name: string,
  fn: string | null,
  unitKind: string | null,
  children: [string, string, string?][],
][] = [
  [
    'CSGL',
    '城市管理',
    'urban-mgmt',
    'district_department',
    [
      ['CSGL01', '占道经营'],
      ['CSGL02', '违法搭建'],
      ['CSGL03', '市容环境卫生'],
      ['CSGL04', '户外广告招牌'],
      ['CSGL05', '城市照明'],
      ['CSGL06', '市政设施损坏'],
      ['CSGL07', '渣土运输'],
    ],
  ],
  [
    'ZFJS',
    '住房建设',
    'housing',
    'district_department',
    [
      ['ZFJS01', '物业管理'],
      ['ZFJS02', '房屋质量'],
      ['ZFJS03', '建筑施工扰民'],
      ['ZFJS04', '老旧小区改造'],
      ['ZFJS05', '电梯安全', 'market'],
      ['ZFJS06', '房屋租赁'],
    ],
  ],
  [
    'HJBH',
    '生态环境',
    'environment',
    'district_department',
    [
      ['HJBH01', '噪声污染'],
      ['HJBH02', '大气污染'],
      ['HJBH03', '水污染'],
      ['HJBH04', '餐饮油烟'],
    ],
  ],
  [
    'SCJG',
    '市场监管',
    'market',
    'district_department',
    [
      ['SCJG01', '消费纠纷'],
      ['SCJG02', '食品安全'],
      ['SCJG03', '价格违法'],
      ['SCJG04', '虚假宣传'],
      ['SCJG05', '无证经营'],
    ],
  ],
  [
    'JTYS',
    '交通运输',
    'transport',
    'district_department',
    [
      ['JTYS01', '出租汽车服务'],
      ['JTYS02', '公交线路站点'],
      ['JTYS03', '道路养护'],
      ['JTYS04', '网约车管理'],
    ],
  ],
  [
    'LDSB',
    '劳动社保',
    'hr',
    'district_department',
    [
      ['LDSB01', '拖欠工资'],
      ['LDSB02', '社保缴纳'],
      ['LDSB03', '养老保险待遇'],
      ['LDSB04', '就业创业'],
    ],
  ],
  [
    'YLWS',
    '医疗卫生',
    'health',
    'district_department',
    [
      ['YLWS01', '医疗服务'],
      ['YLWS02', '医保报销', 'medical-insurance'],
      ['YLWS03', '疫苗接种'],
    ],
  ],
  [
    'JYTY',
    '教育',
    'education',
    'district_department',
    [
      ['JYTY01', '入学招生'],
      ['JYTY02', '校外培训'],
      ['JYTY03', '学校收费'],
    ],
  ],
  [
    'MZSW',
    '民政服务',
    'civil',
    'district_department',
    [
      ['MZSW01', '低保救助'],
      ['MZSW02', '养老服务'],
      ['MZSW03', '婚姻登记'],
      ['MZSW04', '流浪乞讨救助'],
    ],
  ],
  [
    'GHZR',
    '规划自然资源',
    'planning',
    'district_department',
    [
      ['GHZR01', '不动产登记'],
      ['GHZR02', '规划审批'],
    ],
  ],
  [
    'SDQR',
    '水电气',
    null,
    'city_department',
    [
      ['SDQR01', '停水及供水质量', 'water'],
      ['SDQR02', '停电及用电', 'power'],
      ['SDQR03', '燃气供应', 'gas'],
    ],
  ],
  [
    'JCZL',
    '基层治理',
    'street',
    'street_office',
    [
      ['JCZL01', '邻里纠纷'],
      ['JCZL02', '小区公共事务'],
      ['JCZL03', '农村基础设施'],
    ],
  ],
  [
    'ZWFW',
    '政务服务',
    'agency',
    'district_agency',
    [
      ['ZWFW01', '办事咨询'],
      ['ZWFW02', '政策咨询'],
      ['ZWFW03', '公积金', 'housing-fund'],
    ],
  ],
  ['QTSX', '其他事项', 'agency', 'district_agency', [['QTSX01', '其他']]],
];

export function buildCategories(): CategoryRow[] {
  const rows: CategoryRow[] = [];
  for (const [code, name, fn, kind, children] of CATALOGUE) {
    rows.push({ code, name, parent_code: null, default_function: fn, default_unit_kind: kind });
    for (const [cc, cn, cfn] of children) {
      const cityFn = cfn && CITY_ONLY.some(([f]) => f === cfn);
      rows.push({
        code: cc,
        name: cn,
        parent_code: code,
        default_function: cfn ?? fn,
        default_unit_kind: cityFn ? 'city_department' : cfn && kind === 'city_department' ? 'city_department' : kind,
      });
    }
  }
  return rows;
}

export const DEFAULT_LIMIT_ROWS = DEFAULT_TIME_LIMITS.map((l) => ({
  order_type: l.orderType,
  urgent: l.urgent,
  amount: l.amount,
  unit: l.unit,
}));
