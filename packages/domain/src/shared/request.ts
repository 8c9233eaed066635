/** A request (诉求/来电) as it enters either desk. */
export const REQUEST_CHANNELS = [
  'phone_12345',
  'phone_110',
  'web',
  'app',
  'wechat',
  'open311',
  'transferred_in',
] as const;
export type RequestChannel = (typeof REQUEST_CHANNELS)[number];

export const REQUEST_CHANNEL_LABELS: Record<RequestChannel, string> = {
  phone_12345: '12345热线电话',
  phone_110: '110报警电话',
  web: '网站',
  app: '移动应用',
  wechat: '微信',
  open311: 'Open311接口',
  transferred_in: '对方平台转入',
};

/** Chongqing's administrative codes (GB/T 2260): a district is 50 and four digits, a street (镇) three more. */
export const DISTRICT_CODE_PATTERN = '^50\\d{4}$';
export const STREET_CODE_PATTERN = '^50\\d{7}$';
const DISTRICT_CODE = new RegExp(DISTRICT_CODE_PATTERN);
export const isDistrictCode = (v: unknown): v is string => typeof v === 'string' && DISTRICT_CODE.test(v);
