/**
 * The analysis share feed (数据共享, plan 任务4、12): what each desk publishes of its records for the
 * joint analysis by the other desk. The desks keep their own databases; this is the only copy of a
 * record that leaves a desk for analysis, and it is de-identified: no caller, no coordinates, no
 * record number, and the text with names, phone numbers, ID numbers and plate numbers masked.
 * `SHARE_FIELDS` is the table a 安全性评估 reviews (docs/data-sharing.md repeats it; a test checks both agree).
 */

/**
 * Which of a desk's records a share record stands for: a 12345 work order, a 110 incident, or a 12345
 * request that became neither — a call marked 无效 or 骚扰 (carried for the harassment report alone).
 */
export const SHARE_KINDS = ['work_order', 'incident', 'request'] as const;
export type ShareKind = (typeof SHARE_KINDS)[number];

export const isShareKind = (k: unknown): k is ShareKind => (SHARE_KINDS as readonly unknown[]).includes(k);

/** The kinds a desk publishes of its own records (and reads from its own tables, not from the feed). */
export function deskShareKinds(desk: 'hotline' | 'dispatch' | 'both'): ShareKind[] {
  if (desk === 'hotline') return ['work_order', 'request'];
  if (desk === 'dispatch') return ['incident'];
  return ['work_order', 'incident', 'request'];
}

/** How a field is treated before it leaves the desk. */
export type ShareTreatment = 'as_is' | 'masked' | 'coarsened' | 'derived';

export interface ShareField {
  field: keyof ShareRecord;
  /** what the field may carry, in words */
  carries: string;
  treatment: ShareTreatment;
  /** where it comes from: work order (12345) / incident (110) */
  source: string;
}

/** Every field of a share record: nothing is sent that is not in this table. */
export const SHARE_FIELDS: readonly ShareField[] = [
  {
    field: 'recordId',
    carries: 'the record’s internal id (a UUID with no meaning outside the desk), to update it when it changes',
    treatment: 'as_is',
    source: 'work_orders.id / incidents.id / invalid_calls.id',
  },
  {
    field: 'kind',
    carries:
      '`work_order` (12345), `incident` (110) or `request` (a 12345 call marked invalid or harassing, no work order)',
    treatment: 'as_is',
    source: 'the table',
  },
  {
    field: 'receivedAt',
    carries: 'when the request was received (Beijing time, to the minute)',
    treatment: 'coarsened',
    source: 'requests.received_at',
  },
  {
    field: 'districtCode',
    carries: 'district (区县) code',
    treatment: 'as_is',
    source: 'work_orders.district_code / incidents.district_code',
  },
  { field: 'streetCode', carries: 'street (街道/乡镇) code', treatment: 'as_is', source: 'requests.street_code' },
  {
    field: 'gridCell',
    carries:
      'the 0.01° × 0.01° grid cell (about 1 km) holding the coordinates, where they exist; never the coordinates',
    treatment: 'coarsened',
    source: 'requests.lat, requests.lng',
  },
  {
    field: 'type',
    carries: 'work order type (咨询, 求助, 投诉 …) or incident category (刑事, 治安, 纠纷 …); `call` for a request',
    treatment: 'as_is',
    source: 'work_orders.order_type / incidents.category',
  },
  {
    field: 'category',
    carries: 'dispatch catalogue category code (12345); null for incidents',
    treatment: 'as_is',
    source: 'work_orders.category_code',
  },
  { field: 'channel', carries: 'intake channel (phone, web, app …)', treatment: 'as_is', source: 'requests.channel' },
  {
    field: 'status',
    carries: 'the record’s status in its state machine; `closed` for a request',
    treatment: 'as_is',
    source: 'work_orders.status / incidents.status',
  },
  {
    field: 'outcome',
    carries:
      'the disposition of an incident (处警结果) and how it closed; for a work order whether it was replied, merged or archived; for a request `invalid` or `harassment`',
    treatment: 'derived',
    source: 'incidents.disposition, close_kind / work_orders.status / invalid_calls.kind',
  },
  {
    field: 'satisfaction',
    carries: 'the follow-up result (满意, 基本满意, 不满意); null for incidents',
    treatment: 'as_is',
    source: 'work_orders.satisfaction',
  },
  {
    field: 'urgent',
    carries: 'an urgent work order (紧急工单) or a priority-1 incident',
    treatment: 'derived',
    source: 'work_orders.urgent / incidents.priority',
  },
  {
    field: 'overdue',
    carries: 'a work order past its due time; false for incidents',
    treatment: 'as_is',
    source: 'work_orders.overdue',
  },
  {
    field: 'unitId',
    carries: 'the lead unit (承办单位) or the police unit handling it: an organisation, never a person',
    treatment: 'as_is',
    source: 'work_orders.lead_unit_id / incidents.unit_id',
  },
  {
    field: 'tier',
    carries: 'the 110 dispatch tier (指挥中心, 业务警种, 派出所); null for work orders',
    treatment: 'as_is',
    source: 'incidents.tier',
  },
  {
    field: 'durations',
    carries: 'seconds from receipt to dispatch, arrival, reply and close (each null until it happens)',
    treatment: 'derived',
    source: 'the record’s timestamps',
  },
  {
    field: 'text',
    carries:
      'the request text with names, phone numbers, ID numbers, plate numbers, e-mail addresses and any run of 7 or more digits masked',
    treatment: 'masked',
    source: 'requests.content',
  },
  {
    field: 'exercise',
    carries: 'a drill (应急演练, bridge-protocol 1.1 `exercise`): handled end to end, counted in no statistic',
    treatment: 'as_is',
    source: 'requests.exercise',
  },
  {
    field: 'callerKey',
    carries:
      'HMAC-SM3 of the caller’s normalised phone number with the desks’ sharing key: the same caller matches across the desks, the number is not revealed; null without a number or a sharing key',
    treatment: 'derived',
    source: 'callers.phone',
  },
  {
    field: 'placeKey',
    carries:
      'HMAC-SM3 of the normalised address with the desks’ sharing key: the same place matches across the desks, the address is not revealed; null without an address or a sharing key',
    treatment: 'derived',
    source: 'requests.address',
  },
  {
    field: 'changedAt',
    carries: 'when the record last changed (to the minute)',
    treatment: 'coarsened',
    source: 'work_orders.updated_at / incidents.updated_at / invalid_calls.marked_at',
  },
];

export interface ShareDurations {
  toDispatch: number | null;
  toArrive: number | null;
  toReply: number | null;
  toClose: number | null;
}

/** One record of the feed, exactly the fields of SHARE_FIELDS. */
export interface ShareRecord {
  recordId: string;
  kind: ShareKind;
  receivedAt: string;
  districtCode: string | null;
  streetCode: string | null;
  gridCell: string | null;
  type: string;
  category: string | null;
  channel: string;
  status: string;
  outcome: string | null;
  satisfaction: string | null;
  urgent: boolean;
  overdue: boolean;
  unitId: string | null;
  tier: string | null;
  durations: ShareDurations;
  text: string;
  exercise: boolean;
  callerKey: string | null;
  placeKey: string | null;
  changedAt: string;
}

/**
 * A phone number as the pseudonym is taken of it: digits only, without +86 / 0086 / 86 before a mobile
 * number, so 138 1234 5678 and +86-13812345678 are one caller. Null when fewer than 5 digits remain.
 */
export function normalisePhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  let d = phone.replace(/\D/g, '');
  if (/^(?:0086|86)1[3-9]\d{9}$/.test(d)) d = d.replace(/^(?:0086|86)/, '');
  return d.length >= 5 ? d : null;
}

/**
 * An address as the pseudonym is taken of it: full-width folded (NFKC), without spaces, punctuation and
 * the city's name before it, so 重庆市渝中区解放碑 8号 and 渝中区解放碑8号 are one place. Null when empty.
 */
export function normaliseAddress(address: string | null | undefined): string | null {
  if (!address) return null;
  const a = address
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]/gu, '')
    .replace(/^(?:中国)?重庆市?/, '')
    .toLowerCase();
  return a.length >= 2 ? a : null;
}

/** The grid cell's size in degrees: 0.01° is about 1.1 km north–south and 0.97 km east–west at Chongqing. */
export const GRID_DEGREES = 0.01;

/** The cell of a point, named by its south-west corner in hundredths of a degree: `g2955_10657`. */
export function gridCell(lat: number | null, lng: number | null): string | null {
  if (lat === null || lng === null || !Number.isFinite(lat) || !Number.isFinite(lng)) return null;
  return `g${Math.floor(lat / GRID_DEGREES)}_${Math.floor(lng / GRID_DEGREES)}`;
}

/** The commonest Chinese surnames (two-character ones first), for names written with a title or a cue. */
const SURNAMES =
  '欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|' +
  '王|李|张|刘|陈|杨|黄|赵|吴|周|徐|孙|马|朱|胡|郭|何|高|林|罗|郑|梁|谢|宋|唐|许|韩|冯|邓|曹|彭|曾|肖|田|董|袁|潘|于|蒋|蔡|余|杜|叶|程|苏|魏|吕|丁|任|沈|姚|卢|姜|崔|钟|谭|陆|汪|范|金|石|廖|贾|夏|韦|付|方|白|邹|孟|熊|秦|邱|江|尹|薛|闫|段|雷|侯|龙|史|陶|黎|贺|顾|毛|郝|龚|邵|万|钱|严|覃|武|戴|莫|孔|向|汤|常|温|康|施|文|牛|樊|葛|邢|安|齐|易|乔|伍|庞|颜|倪|庄|聂|章|鲁|岳|翟|殷|詹|申|欧|耿|关|兰|焦|俞|左|柳|甘|祝|包|宁|尚|符|舒|阮|柯|纪|梅|童|凌|毕|单|季|裴|霍|涂|成|苗|谷|盛|曲|翁|冉|骆|蓝|路|游|辛|靳|管|柴|蒙|鲍|华|喻|祁|蒲|房|滕|屈|饶|解|牟|艾|尤|阳|时|穆|农|司|卓|古|吉|缪|简|车|项|连|芦|麦|褚|娄|窦|戚|岑|景|党|宫|费|卜|冷|晏|席|卫|米|柏|宗|瞿|桂|全|佟|应|臧|闵|苟|邬|边|卞|姬|师|和|仇|栾|隋|商|刁|沙|荣|巫|寇|桑|郎|甄|丛|仲|虞|敖|巩|明|佘|池|查|麻|苑|迟|邝';

/** Who a name is said to be: a title after it, or a cue before it. */
const TITLES = '先生|女士|小姐|师傅|老师|同志|阿姨|大爷|大妈|老人|老汉|医生|律师|经理|老板|警官|书记|主任';
const CUES = '我叫|名叫|叫做|姓名[：:]?|户主|业主|租户|当事人|报警人|来电人|嫌疑人|邻居|丈夫|妻子|老公|老婆|儿子|女儿';
/** a given-name character: any Han character but 某 (already masked) */
const GIVEN = '(?:(?!某)[\\u4e00-\\u9fa5])';

const TEXT_PATTERNS: [RegExp, string][] = [
  // ID card numbers (18 with a check digit, or the old 15), before phone numbers and digit runs
  [/(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)\d{15}(?!\d)/g, '[证件号]'],
  // mobile numbers, also written 138 1234 5678 or 138-1234-5678, with or without +86
  [/(?:\+?86[\s-]?)?(?<!\d)1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)/g, '[电话]'],
  // landlines with an area code
  [/(?<!\d)0\d{2,3}[\s-]?\d{7,8}(?!\d)/g, '[电话]'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[邮箱]'],
  // plates: province, letter, optional separator, 5 (ordinary) or 6 (new energy) characters
  [
    /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][\s·.-]?[A-Za-z0-9]{5,6}(?![A-Za-z0-9])/g,
    '[车牌]',
  ],
  // any other run of 7 or more digits (bank cards, account numbers, a phone without its prefix)
  [/\d(?:[\s-]?\d){6,}/g, '[号码]'],
  // a surname and one or two given characters before a title: 王建国先生 → 王某先生
  // (a title is never itself the name: in 王建师傅经理 the 师傅 stays)
  [new RegExp(`(?!${TITLES})(${SURNAMES})${GIVEN}{1,2}(?=${TITLES})`, 'g'), '$1某'],
  // a name after a cue: 邻居张伟 → 邻居张某
  [new RegExp(`(${CUES})(${SURNAMES})${GIVEN}{1,2}`, 'g'), '$1$2某'],
];

/**
 * The text as the feed carries it. `names` are names the desk knows belong to the matter (the caller's);
 * each is masked wherever it occurs, as its surname and 某 when it is two or more characters.
 */
export function maskShareText(text: string, names: readonly (string | null | undefined)[] = []): string {
  let out = text;
  // known names first, longest first, so a full name is masked before a shorter one inside it
  const known = [...new Set(names.map((n) => n?.trim() ?? '').filter((n) => Array.from(n).length >= 2))].sort(
    (a, b) => b.length - a.length,
  );
  for (const name of known) out = out.split(name).join(`${Array.from(name)[0]}某`);
  for (const [re, mask] of TEXT_PATTERNS) out = out.replace(re, mask);
  return out;
}

/** The fields a received share record may have: exactly the table's (anything else is refused). */
export function unexpectedShareFields(record: unknown): string[] {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return ['(not an object)'];
  const allowed = new Set<string>(SHARE_FIELDS.map((f) => f.field));
  const bad = Object.keys(record).filter((k) => !allowed.has(k));
  const d = (record as { durations?: unknown }).durations;
  const durationKeys = new Set(['toDispatch', 'toArrive', 'toReply', 'toClose']);
  if (d && typeof d === 'object')
    bad.push(
      ...Object.keys(d)
        .filter((k) => !durationKeys.has(k))
        .map((k) => `durations.${k}`),
    );
  return bad;
}
