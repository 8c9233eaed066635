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

export interface RequestLocation {
  address: string;
  districtCode: string | null;
  streetCode: string | null;
  lat: number | null;
  lng: number | null;
}
