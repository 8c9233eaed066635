/**
 * The public guide (宣传受理范围, plan 三(三): 广泛宣传12345和110的工作职责、受理范围, 引导企业和群众正确使用):
 * which line takes what, built from the jurisdiction catalogue (职责清单) in force and the knowledge base,
 * so that it says exactly what the call-takers and the triage work by — and which catalogue version.
 * Pure: the server gives it the catalogue and the knowledge base's published articles.
 */
import type { Catalogue, CatalogueEntry, Route } from '../triage/types.ts';

/** The lines the guide names, in the order a citizen reads them: emergencies first. */
export const GUIDE_LINES = ['110', '119', '120', 'utility', '12345', 'governance_center', 'vehicle_moving'] as const;
export type GuideLineRoute = (typeof GUIDE_LINES)[number];

/** What each line is and how to reach it: fixed public facts, not data of the catalogue. */
const LINE_FACTS: Record<GuideLineRoute, { name: string; dial: string; scope: string; emergency: boolean }> = {
  '110': {
    name: '110报警服务台',
    dial: '拨打110',
    scope:
      '刑事类、治安类、道路交通类警情，危及人身和财产安全或者社会治安秩序的群体性事件，以及公共设施险情、灾害事故等需要公安机关参与处置的紧急求助；对公安机关及其人民警察正在发生的违法违纪或者失职行为的投诉。',
    emergency: true,
  },
  '119': {
    name: '119消防救援',
    dial: '拨打119',
    scope: '火灾，人员被困、落水，山洪、滑坡、房屋垮塌等灾害事故，以及危险动物等需要消防救援队伍处置的求助。',
    emergency: true,
  },
  '120': {
    name: '120医疗急救',
    dial: '拨打120',
    scope: '急症、伤病危及生命，需要急救车和现场救治的。',
    emergency: true,
  },
  utility: {
    name: '水电气抢修',
    dial: '拨打供电、供水、燃气企业的抢修电话，或拨打12345由热线转接',
    scope: '断线、漏电、变压器着火，供水供热爆管、井盖缺失，突然停水停电停气等需要企业抢修的故障和险情。',
    emergency: true,
  },
  '12345': {
    name: '12345政务服务便民热线',
    dial: '拨打12345，或在网上提交诉求',
    scope:
      '企业和群众关于经济调节、市场监管、社会管理、公共服务、生态环境保护等领域的咨询、非紧急求助、投诉、举报和意见建议。',
    emergency: false,
  },
  governance_center: {
    name: '综治中心（矛盾纠纷调解）',
    dial: '到所在区县、街道（镇）综治中心，或拨打12345、110由其转交',
    scope: '没有暴力的民间纠纷：借款、邻里、家庭等矛盾的调解。',
    emergency: false,
  },
  vehicle_moving: {
    name: '挪车服务',
    dial: '拨打12345，由热线转接挪车服务',
    scope: '车辆挡住出入口、通道或车位，联系不上车主，需要挪车的。',
    emergency: false,
  },
};

/** The plan's own words for the cases between the lines (渝府办发〔2022〕130号 二(二)1). */
export const GUIDE_RULES = {
  danger: '存在危及人身和财产安全、公共安全的紧急情况，请直接拨打110、119或120，由110派警先行处置。',
  boundary:
    '责任单位不明确或职责交叉的事项，由12345与110协商确定受理平台；协商后仍无法确定的，由首先接到诉求的平台先行受理。',
  neither: '明确不属于12345和110受理范围的事项，由首先接到的热线做好引导和解释。',
} as const;

export interface GuideItem {
  /** The catalogue entry's code, e.g. "D-FIRE". */
  code: string;
  name: string;
  examples: string[];
}

export interface GuideLine {
  route: GuideLineRoute;
  name: string;
  dial: string;
  scope: string;
  emergency: boolean;
  /** Dangers happening now that this line takes first. */
  dangers: GuideItem[];
  /** Everything else the catalogue routes to this line. */
  matters: GuideItem[];
  /** For 12345: the knowledge base's consultation topics, with a few of their article titles. */
  topics: { topic: string; count: number; titles: string[] }[];
}

export interface PublicGuide {
  catalogue: { version: number; effectiveFrom: string; source: string };
  lines: GuideLine[];
  rules: typeof GUIDE_RULES;
  /** Cases between the lines: who takes the lead, and which line joins. */
  boundary: (GuideItem & { lead: Route; joins: Route[] })[];
  /** Matters neither line takes, with where to go instead (the catalogue's own guidance). */
  elsewhere: (GuideItem & { guidance: string })[];
  knowledge: { articles: number; asOf: string };
}

export interface GuideArticle {
  topic: string;
  title: string;
  /** Applies to the whole city (not one district's office or rule). */
  cityWide: boolean;
  /** How often answers have used it (the most asked first). */
  uses: number;
}

/** Titles shown per knowledge topic. */
const TITLES_PER_TOPIC = 4;

const item = (e: CatalogueEntry): GuideItem => ({ code: e.code, name: e.name, examples: e.examples ?? [] });

/**
 * The guide for the catalogue in force and the published articles in effect on `asOf` (YYYY-MM-DD).
 * Knowledge topics are listed by how many articles they hold; the topic about the lines themselves is
 * not a consultation topic and is left out.
 */
export function buildPublicGuide(catalogue: Catalogue, articles: readonly GuideArticle[], asOf: string): PublicGuide {
  const entries = catalogue.entries;
  const byTopic = new Map<string, GuideArticle[]>();
  for (const a of articles) {
    if (a.topic === '12345与110受理范围') continue;
    const list = byTopic.get(a.topic) ?? [];
    list.push(a);
    byTopic.set(a.topic, list);
  }
  // The most asked first, then those for the whole city, then by title (a stable page).
  const order = (x: GuideArticle, y: GuideArticle) =>
    y.uses - x.uses || Number(y.cityWide) - Number(x.cityWide) || x.title.localeCompare(y.title, 'zh-CN');
  const topics = [...byTopic.entries()]
    .map(([topic, list]) => ({
      topic,
      count: list.length,
      titles: [...list]
        .sort(order)
        .slice(0, TITLES_PER_TOPIC)
        .map((a) => a.title),
    }))
    .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic, 'zh-CN'));

  const lines: GuideLine[] = GUIDE_LINES.map((route) => {
    const mine = entries.filter((e) => e.route === route && e.kind !== 'boundary' && e.kind !== 'guidance');
    return {
      route,
      ...LINE_FACTS[route],
      dangers: mine.filter((e) => e.kind === 'danger').map(item),
      matters: mine.filter((e) => e.kind !== 'danger').map(item),
      topics: route === '12345' ? topics : [],
    };
  });
  return {
    catalogue: { version: catalogue.version, effectiveFrom: catalogue.effectiveFrom, source: catalogue.source },
    lines,
    rules: GUIDE_RULES,
    boundary: entries
      .filter((e) => e.kind === 'boundary')
      .map((e) => ({ ...item(e), lead: e.route, joins: e.linked ?? [] })),
    elsewhere: entries
      .filter((e) => e.kind === 'guidance' && e.guidance)
      .map((e) => ({ ...item(e), guidance: e.guidance! })),
    knowledge: { articles: articles.length, asOf },
  };
}
