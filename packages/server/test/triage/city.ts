/**
 * A synthetic city ("江州") with its own words for its own matters, and its own habits of where they
 * go: what a city's labelled history looks like to a model that has never seen it. Some of its
 * records are dangers told in plain words: the rules must still hold those, whatever the city's
 * model learned.
 */
import { rng, type Route } from '@liandong/domain';

export interface CityRecord {
  id: string;
  text: string;
  route: Route[];
  emergency: boolean;
  channel: string;
  /** Which template (held out together). */
  template: number;
}

const PLACES = [
  '江州城北',
  '江州河西',
  '沙湾片区',
  '老码头',
  '新港社区',
  '东岳坪',
  '白鹭湾',
  '望江台',
  '柑子园',
  '石门坎',
];
const TEMPLATES: { texts: string[]; route: Route; emergency: boolean }[] = [
  // 江州 calls a neighbours' quarrel 扯筋 and sends it to its 网格 mediation (the governance centre).
  {
    texts: [
      '{p}两家人为晾衣服扯筋，网格长喊调一下',
      '{p}楼上楼下扯筋扯了半天，请网格来说合',
      '{p}亲戚之间为老房子扯筋，喊网格长来评理',
    ],
    route: 'governance_center',
    emergency: false,
  },
  // Its parking app: a car "扫码不应" is for the moving service.
  {
    texts: [
      '{p}有个车扫码不应，堵起我出不了门',
      '{p}车子上的码扫了没人应，我的车开不出来',
      '{p}扫了挪移码也没人来，货车出不去',
    ],
    route: 'vehicle_moving',
    emergency: false,
  },
  // Its hawkers are 游摊, a matter for 12345's city management.
  {
    texts: [
      '{p}游摊把人行道占完了，推娃娃车都过不去',
      '{p}一到晚上游摊就出来，把路占了',
      '{p}游摊天天在学校门口摆，乱得很',
    ],
    route: '12345',
    emergency: false,
  },
  // A private tutor's unpaid fee is 私账: guidance (a civil matter between two people).
  {
    texts: [
      '{p}私账的事，别个欠我补课费不给，能不能帮我要',
      '{p}私账纠扯，熟人欠钱不还，问哪里可以管',
      '{p}私账问题，朋友借的钱说好月底还又不还',
    ],
    route: 'guidance',
    emergency: false,
  },
  // Its water meters sit in 表井; a 表井 running over is the utility's.
  {
    texts: ['{p}表井里头一直在冒水，漫到路上了', '{p}表井的盖子底下哗哗冒水', '{p}表井冒水冒了一早上，路面全是水'],
    route: 'utility',
    emergency: false,
  },
];
/** Dangers told in plain words (the rules know them), in the city's records with what it decided. */
const DANGERS: { texts: string[]; route: Route }[] = [
  { texts: ['{p}有人在打架，有个人头上在流血', '{p}几个人打起来了，有人受伤了'], route: '110' },
  { texts: ['{p}仓库着火了，烟很大', '{p}楼下铺子着火了，火很大'], route: '119' },
];

export function cityRecords(seed = 2026): CityRecord[] {
  const random = rng(seed);
  const out: CityRecord[] = [];
  let n = 0;
  const add = (template: number, text: string, route: Route, emergency: boolean) =>
    out.push({
      id: `city-${++n}`,
      text,
      route: [route],
      emergency,
      channel: random() < 0.5 ? '110' : '12345',
      template,
    });
  TEMPLATES.forEach((t, k) =>
    t.texts.forEach((text, j) =>
      PLACES.forEach((p, i) => add(k * 10 + j + (i % 2 ? 1000 : 0), text.replace('{p}', p), t.route, t.emergency)),
    ),
  );
  DANGERS.forEach((d, k) =>
    d.texts.forEach((text, j) => PLACES.forEach((p) => add(500 + k * 10 + j, text.replace('{p}', p), d.route, true))),
  );
  return out;
}

/** Held out: half the places (the same kinds of matter, told of other places) and every danger. */
export const heldOut = (r: CityRecord) => r.template >= 500;
