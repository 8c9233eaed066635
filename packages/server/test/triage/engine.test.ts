/**
 * The shipped triage (catalogue, lexicon, corpus, model) on the labelled sets, and what a city gets
 * from training on its own history.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TriageModel, evaluate, type LabelledCase, type TriageOutcome } from '@liandong/domain';
import {
  SEED_CATALOGUES,
  SEGMENTER_DICT_PATH,
  TRIAGE_DIR,
  buildSegmenterDictionary,
  createTriageEngine,
  loadModel,
  loadSeedCatalogues,
} from '../../src/triage/triage-engine.ts';
import { readShippedCorpus, trainFromCorpus, type CorpusItem } from '../../src/triage/training.ts';
import { cityRecords, heldOut } from './city.ts';

const engine = createTriageEngine();
const run = (text: string, channel?: string) => {
  const o = engine.triage({ id: 't', text, channel });
  if (!o.ok) throw new Error(o.code);
  return o.value as TriageOutcome;
};
const readJsonl = (f: string) =>
  fs
    .readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LabelledCase);
// The shared sets live beside the repository (../shared), as in CI; a bare clone elsewhere skips them.
const SHARED = process.env.TRIAGE_SHARED_DIR ?? path.resolve(import.meta.dirname, '../../../../../shared/data');
const DEV = process.env.TRIAGE_DEV_FILE ?? path.join(SHARED, 'triage-dev.jsonl');
const PROBES = path.join(SHARED, 'triage-probes.jsonl');
const UNSEEN_40 = path.resolve(import.meta.dirname, 'unseen.jsonl');
const UNSEEN_A = path.join(TRIAGE_DIR, 'eval/unseen-a.jsonl');
const EVAL_SETS = [DEV, PROBES, UNSEEN_40, UNSEEN_A].filter((f) => fs.existsSync(f));

describe('the plan’s policy on the shipped catalogue', () => {
  it.each([
    ['violence now → 110, emergency, 120 linked', '我被人打了，鼻子在流血，打我的人还没走', '110', true, ['120']],
    ['a past theft is police business, not an emergency', '昨晚家里被盗，丢了金项链和现金', '110', false, []],
    ['fire → 119 with 110', '楼下仓库起火了，烟很大', '119', true, ['110']],
    ['gas leak → 119 with the gas company', '家里天然气管道在漏气', '119', true, ['utility']],
    ['a worry is not an event', '楼道里堆满了杂物，担心发生火灾', '12345', false, []],
    ['a blocking car → vehicle moving', '有辆车挡住了我的车，车上没有留电话', 'vehicle_moving', false, []],
    ['a pet → guidance', '报警人称家里猫跑丢了', 'guidance', false, []],
  ] as const)('%s', (_l, text, route, emergency, linked) => {
    const o = run(text);
    expect(o.route).toBe(route);
    expect(o.emergency).toBe(emergency);
    for (const l of linked) expect(o.linked).toContain(l);
    expect(o.catalogueVersion).toBe(13);
    expect(o.reasons.join('')).toContain('清单第13版');
  });

  it('Chongqing dialect, traditional characters and full-width text are understood', () => {
    expect(run('遭人打了，脑壳都打破了')).toMatchObject({ route: '110', emergency: true });
    expect(run('他們在樓下打架，有人受傷了')).toMatchObject({ route: '110', emergency: true });
    expect(run('ＡＢＣ小区门口有人在打架')).toMatchObject({ route: '110', emergency: true });
  });

  it('the model may raise an emergency but never clears one a danger rule found', () => {
    const rulesOnly = createTriageEngine({ model: null });
    expect(run('有人拿着刀在小区门口追人').emergency).toBe(true);
    expect(rulesOnly.triage({ text: '有人拿着刀在小区门口追人' })).toMatchObject({
      ok: true,
      value: { emergency: true, route: '110' },
    });
  });

  it('every version shipped stays loadable (outcomes cite them)', () => {
    const versions = loadSeedCatalogues().map(
      (c) => createTriageEngine({ catalogue: c, model: null }).catalogueVersion,
    );
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
  });

  it('a shipped version is never edited in place: a change to the catalogue is a new version file', () => {
    // Outcomes cite "清单第N版" and a database seeded with version N keeps it: version N must always
    // mean the same entries. To change the catalogue, copy the newest file to catalogue-v(N+1).json,
    // bump its "version", add it to SEED_CATALOGUES and add its hash here.
    const SHIPPED: Record<string, string> = {
      'catalogue-v1.json': '2977f8b66e1bc21f7e4b02453998efe2039b2251f4212a21b16b88267f8ab822',
      'catalogue-v2.json': 'd6dd8ada13c01218f5e7b338692d7a96344fe7e06b2c709640e803e110f8d7e1',
      'catalogue-v3.json': 'c8ac2f4fd55c90119c372bb63ff91bc7b55bed8f8117d9408589ddf0aa76a34d',
      'catalogue-v4.json': '20a0e4205dd968b5235bdff4f5d960f9276e4debbc6de089ff286ecb9cb07266',
      'catalogue-v5.json': '3aed695c4a160771a032aa2ceb936a95a2541101529d06e5f5f3ba39c1b0cc3c',
      'catalogue-v6.json': 'ae5e0968cca5f7214b4f5681eeb6906e354be7e4e24ed907d6d82cef66c0e4d2',
      'catalogue-v7.json': 'ce7da2e649726e61bda4529373d62008730e056e51a4688635cf1449fc2b13d8',
      'catalogue-v8.json': '0ecd7dcf6a3b477ae4a5342eca92fb2d2f825167eff852626c97028d00b372e9',
      'catalogue-v9.json': 'a7fe16b293d5ba09c76ee8a7fc159744f9eb1de4fcf87121fbffabe293f5e0c3',
      'catalogue-v10.json': '687844dc396bcc6e394768eaeee0189c7a77a8c20ce9e72a2fa7e6b3b7c81e9c',
      'catalogue-v11.json': '470c7a9ce05a06c6f4eebdd95f56aa1117b84b5f3fd5c9ec11b5b0e332c06067',
      'catalogue-v12.json': '9d7676587bcc046fd16ffedf9cf3ea85a88bfdf8fc7d53e810900867e83aa9b8',
      'catalogue-v13.json': '828f6f1c6409d276fcd41fb6f7cbd2dd644d1ed52efff281e2370ca73b1bd9ef',
    };
    expect(SEED_CATALOGUES).toEqual(Object.keys(SHIPPED));
    SEED_CATALOGUES.forEach((file, i) => {
      const parsed = JSON.parse(fs.readFileSync(path.join(TRIAGE_DIR, file), 'utf8')) as { version: number };
      expect(parsed.version, file).toBe(i + 1);
      expect(createHash('sha256').update(JSON.stringify(parsed)).digest('hex'), file).toBe(SHIPPED[file]);
    });
  });
});

describe('events told without their usual word (the shipped catalogue, rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  const read = (text: string, channel: string) => {
    const o = rules.triage({ id: 'r', text, channel });
    if (!o.ok) throw new Error(o.code);
    return o.value as TriageOutcome;
  };
  it.each([
    [
      'money paid to a business that does not exist is fraud',
      '110',
      '我在网上订了一套家具，交了三千块定金，到地方一看根本没有这家店，电话也打不通了',
      '110',
      false,
      null,
    ],
    ['a slap within a quarrel is violence', '110', '在菜市场跟人吵了两句，那个男的扇了我一耳光', '110', true, null],
    [
      'a minor collision in plain words is police traffic',
      '110',
      '我骑电动车跟一辆小车挂了一下，人没事，他拦着我要赔钱',
      '110',
      false,
      null,
    ],
    [
      'property held to force payment is police',
      '110',
      '修车店说我不给五百块就不还车，把我车钥匙拔了',
      '110',
      false,
      null,
    ],
    ['gambling described without the word', '110', '那个农家乐里头天天有人打大牌，一把输赢几千块', '110', false, null],
    [
      'an old man walking on the expressway is a danger',
      '110',
      '高速公路应急车道上有个老人在往前走，车子开得飞快',
      '110',
      true,
      null,
    ],
    [
      'a supply fault goes to the utilities’ repair line',
      '12345',
      '我们整栋楼突然停电了，物业说是线路故障，到现在还没人来修',
      'utility',
      false,
      null,
    ],
    ['a planned outage stays with 12345', '12345', '小区这两天管网改造停水，有没有通知好久来水', '12345', false, null],
    [
      'a question the call-taker only pointed elsewhere is guidance',
      '12345',
      '来电人询问其信用卡年费如何减免。话务员告知请咨询发卡银行客服。',
      'guidance',
      false,
      null,
    ],
    [
      'a family quarrel without violence goes to mediation',
      '110',
      '我和我弟弟为了老房子分割的事吵了一架，没动手，想找人评评理',
      'governance_center',
      false,
      null,
    ],
    [
      'water cut to a building in a cold spell with the elderly is urgent',
      '12345',
      '寒潮来了，我们整栋楼停水两天了，屋头还有八十多岁的老人',
      'utility',
      false,
      'emergency_rescue',
    ],
    [
      'a patient refused a bed is urgent',
      '12345',
      '医院说没有床位不收我爸这个病人，他是癌症晚期，我们怎么办',
      '12345',
      false,
      'critical_care',
    ],
    [
      'a loose sign before a storm is urgent',
      '12345',
      '明天有暴雨，我们小区门口那块大广告牌已经松动了，随时可能掉下来',
      '12345',
      false,
      'emergency_rescue',
    ],
    [
      'a patient in a hospital with no bed is an urgent order, not an ambulance',
      '12345',
      '我爸今天早上突发脑梗，现在在区医院急诊，医生说要转上级医院，联系了两家都说没有床位，我们怎么办',
      '12345',
      false,
      'critical_care',
    ],
    [
      'but one getting worse now is still an emergency',
      '12345',
      '我爸脑梗在区医院急诊，联系的医院说没有床位。他现在昏迷不醒，呼吸越来越弱',
      '120',
      true,
      'critical_care',
    ],
  ] as const)('%s', (_l, channel, text, route, emergency, urgentKind) => {
    const o = read(text, channel);
    expect(o.route).toBe(route);
    expect(o.emergency).toBe(emergency);
    expect(o.urgentKind).toBe(urgentKind);
  });
});

describe('catalogue version 3: what happened, not a word that looks like it (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  it.each([
    ['a crane swaying over workers is a danger now', '大风天，江边工地的塔吊一直在晃，底下还站着几个工人', '119', true],
    [
      'a fan still turning is no money being transferred',
      '隔壁饭馆的抽风机半夜两点还在转，吵得人睡不着',
      '12345',
      false,
    ],
    ['money still being transferred is', '我妈在银行柜台还在给那个账户转账，我们怎么劝都不听', '110', true],
    ['impersonation that took goods is police business', '有人冒充快递员，从我们店里骗走了两箱货', '110', false],
    ['"冒" in 冒充 and "烟" in 烟酒 are no smoke', '他冒充我们公司的业务员，收走了客户的一箱烟酒', '110', false],
    [
      'a pole about to fall goes to the power line, not an ambulance',
      '村口那根水泥电线杆斜了，看起来要倒了',
      'utility',
      true,
    ],
    ['an overloaded school van is a traffic violation', '接送学生的那辆面包车天天严重超员', '110', false],
    ['a crowd blocking a door now is for the police now', '一群人拉着横幅堵在售楼处门口，不让人进出', '110', true],
    [
      'a driver who locks the doors and will not let the passenger out',
      '网约车司机把车门锁了，不放我下车，非要加钱',
      '110',
      true,
    ],
    [
      'a branch that smashed a windscreen is no disorder',
      '昨晚刮大风，小区里的树枝掉下来把我车的挡风玻璃砸烂了',
      '12345',
      false,
    ],
  ] as const)('%s', (_l, text, route, emergency) => {
    const o = rules.triage({ id: 'v3', text, channel: '12345' });
    if (!o.ok) throw new Error(o.code);
    expect(o.value).toMatchObject({ route, emergency });
  });
});

describe('catalogue version 4: dangers told in plain words (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  it.each([
    ['signs of a stroke', '我爸刚才接电话的时候说话含糊，手脚无力，现在叫他也不太答应', '120', true],
    ['a fever with delirium', '外婆烧得一直说胡话，刚才还抽了几下', '120', true],
    ['self-harm told without the word', '他刚给我发消息说活着没有意义，现在人站在江边那座桥上', '110', true],
    ['a child outside a window', '对面楼有个小孩坐在八楼的窗台上，腿都伸到外面了', '119', true],
    ['water rising now', '小区地下车库进水了，水已经齐腰了，还在涨', '119', true],
    ['a plant pot on a window sill is no person at a height', '物业说窗台上的花盆不归他们管', '12345', false],
  ] as const)('%s', (_l, text, route, emergency) => {
    const o = rules.triage({ id: 'v4', text, channel: '12345' });
    if (!o.ok) throw new Error(o.code);
    expect(o.value).toMatchObject({ route, emergency });
    expect(o.value.catalogueVersion).toBeGreaterThanOrEqual(4);
  });
});

describe('catalogue version 5: a danger told beside another matter, or without its usual word (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  it.each([
    ['gas told by its smell', '热水器那边一股臭鸡蛋的味道，我老婆说头晕', '119', true],
    [
      'a child on a balcony railing after a complaint',
      '楼上装修天天吵。另外他家小孩爬到阳台栏杆上了，没有大人',
      '110',
      true,
    ],
    ['someone living alone not seen for days', '楼下独居的刘大爷一个星期没看到出门了，敲门也没人应', '110', true],
    ['fumes that make people cough', '工业园那边飘过来刺鼻的气味，我们这栋楼好几个人都在咳嗽', '119', true],
    ['stones falling now', '后山的护坡一直在往下掉石头，下面是上学的路', '119', true],
    [
      "one's own intent after a question about something else",
      '想问一下社保卡怎么补办，我现在真的不想活了',
      '110',
      true,
    ],
    ["a cough from a neighbour's cooking fumes is a complaint", '楼下饭馆的油烟每天飘上来，呛得人咳嗽', '12345', false],
    [
      'knocking without an answer, with nobody living alone, is no danger',
      '我敲门找物业没人应，想问一下物业电话',
      '12345',
      false,
    ],
  ] as const)('%s', (_l, text, route, emergency) => {
    const o = rules.triage({ id: 'v5', text, channel: '12345' });
    if (!o.ok) throw new Error(o.code);
    expect(o.value).toMatchObject({ route, emergency });
    expect(o.value.catalogueVersion).toBeGreaterThanOrEqual(5);
  });
});

describe('round 6: what almost happened, harmed no one, or is a figure of speech (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  const LONG_COMPLAINT =
    '楼上住户每天晚上十一点以后还在拖椅子、跳绳，跟物业反映了三次，物业只是上去敲门说一下，过两天又照旧。救命啊，真的要被逼疯了';
  it.each([
    ['a near miss is no accident', 'phone_12345', '井盖破了半边，晚上看不到，已有电瓶车差点翻了', false, null],
    [
      'a near miss beside a danger now keeps the danger',
      'phone_110',
      '娃儿爬到阳台栏杆上了，差点掉下去，现在还在上面',
      true,
      null,
    ],
    [
      'no one hurt, told after the fall',
      'wechat',
      '公交车急刹车把一个老人甩倒了，幸好没啥子大事，老人自己起来了，希望公交公司管一下',
      false,
      null,
    ],
    ['"没事吧" asks, it does not say no one is hurt', 'phone_110', '老人摔倒了起不来，头在流血，没事吧', true, '120'],
    ["an animal's injury is not 120's", 'app', '路边有只流浪狗好像腿断了 一直在叫', false, null],
    ["a bite is a person's injury", 'phone_110', '孩子被狗咬了，流了很多血', true, '120'],
    [
      'a fixture knocked askew is a repair',
      'phone_12345',
      '小区门口那个公交站的站牌被撞歪了，麻烦扶正一下',
      false,
      null,
    ],
    [
      'a fixture knocked down on someone is a danger',
      'phone_110',
      '一辆车把站牌撞倒了，下面有个人倒在地上流血',
      true,
      null,
    ],
    ['a lone cry in a long written complaint is a figure of speech', 'web', LONG_COMPLAINT, false, null],
    ['a cry on the phone is a cry', 'phone_110', '救命啊，救命啊', true, '110'],
    ['"抢钱啊" about a bill is no robbery', 'wechat', '煤气费太贵了吧！这个月一百八，抢钱啊', false, null],
    [
      'a fraud reported before, asked about now, is not a new police matter',
      'wechat',
      '我去年在网上被骗了两万，已经报案了，现在想问一下能不能申请什么救助',
      false,
      '12345',
    ],
    [
      'a new threat after the report is',
      'phone_110',
      '我上周报了案，今天他又来威胁我了，说要弄死我，请问怎么办',
      true,
      '110',
    ],
    [
      'a time compared with is not the time of the event',
      'web',
      '屋后堡坎今天早上比昨天又宽了两指，还有泥巴和石头往下掉',
      true,
      null,
    ],
    [
      '"之后" after "刚才" orders the events, it does not date them',
      'phone_110',
      '刚才有个人进了隔壁婆婆家，进去之后门就关了，婆婆在喊你们出去',
      true,
      '110',
    ],
    ['someone sitting on a parapet', 'phone_12345', '楼顶有个年轻人坐在女儿墙上面，脚吊在外面，一直在哭', true, '110'],
    ['poison told with 把', 'phone_110', '我女儿把一瓶农药喝了，现在在地上吐', true, '120'],
    [
      'pills ready, inside a question about relief',
      'phone_12345',
      '我想咨询一下低保的事情。我已经把药准备好了，今天晚上就和他一起走',
      true,
      '110',
    ],
    [
      'a driver who will not stop and has locked the doors',
      'phone_110',
      '我在出租车上，司机一直往郊区开，我让他停车他不停，还把门锁了',
      true,
      '110',
    ],
  ] as const)('%s', (_l, channel, text, emergency, route) => {
    const o = rules.triage({ id: 'r6', text, channel });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.emergency, o.value.reasons.join(' / ')).toBe(emergency);
    if (route) expect(o.value.route, o.value.reasons.join(' / ')).toBe(route);
    if (!emergency) expect(o.value.route).not.toBe('120');
  });
});

describe('catalogue version 6: police business told without police words (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  it.each([
    ['a phone gone from an opened bag', '下车发现包拉链开了，里头手机莫得了'],
    ['an e-bike gone overnight, its cable cut', '我电瓶车昨天晚上停在楼下，今天早上起来就莫得了，充电线都遭剪断了'],
    ['tin foil and straws on a roof', '楼顶有几个人在吸啥子东西，锡纸啊吸管啊丢一地'],
    ['a task scam that asks for money first', '群里说做联单任务要先垫付才能拿高佣金，我垫了两千'],
    ['a loan taken out in my name', '今天接到银行电话说有人以我的名义办了贷款'],
    ['a hidden camera in a lift', '有人在小区电梯里偷偷装了个摄像头'],
    [
      'a threat that knows where the family lives',
      '一直收到陌生号码的短信，说晓得我住哪里，晓得我娃儿在哪个学校，不然就让我好看',
    ],
    [
      'a man watching girls at a school gate and filming them',
      '有个男的天天站在校门口对面，盯到那些女娃儿看，还拿手机拍',
    ],
    ['a card swapped at a cash machine', '旁边一个男的说帮我弄卡，回去一看卡不是我的那张，我账户里头少了两万'],
  ] as const)('%s', (_l, text) => {
    const o = rules.triage({ id: 'v6', text, channel: 'phone_110' });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.route, o.value.reasons.join(' / ')).toBe('110');
    expect(o.value.emergency).toBe(false);
  });
});

describe('round 7: who handles it, what happened before, what one would not do (rules alone)', () => {
  const rules = createTriageEngine({ model: null });
  it.each([
    [
      'asking whom to tell does not make a gas smell behind an old neighbour’s door a thing of the past',
      'phone_12345',
      '我对门那个婆婆一个人住，这两天从她门缝里飘出来一股好大的燃气味，我敲了门没人应。帮我问一下这个婆婆的事要找哪个。',
      true,
    ],
    [
      '"摔倒过" has happened before',
      'web',
      '那段路坑坑洼洼的，下雨积满水看不到，骑电瓶车的好几个人摔倒过，希望尽快修补',
      false,
    ],
    [
      '"不想闹事" is not a disturbance',
      'phone_110',
      '有几个工友说要去堵老板的门，我劝住了，不想闹事，就想晓得正规是找哪个',
      false,
    ],
    [
      '"不让我们出去吃" is a canteen, not a confinement',
      'app',
      '学校食堂的饭菜又贵又难吃，不让我们出去吃，也不让带饭，能不能管一下',
      false,
    ],
    ['workers locked in by a crowd are', 'phone_110', '一群人围到厂门口，说老板欠钱，把大门锁了不准工人出去', true],
    [
      'a transfer at the counter while the caller is still on the line',
      'phone_110',
      '有个老爷子在柜台要转二十万到安全账户，现在电话还通着，我们劝他他不听',
      true,
    ],
    [
      'bricks falling as the message is written',
      'web',
      '3栋和幼儿园之间那面墙上裂了一条好长的缝，我写这个留言的时候还在不停往下掉砖',
      true,
    ],
    [
      'someone in a flooded car',
      'phone_12345',
      '下穿隧道里有一辆车被淹在里面了，水都到车窗了，里面好像还有人在拍玻璃',
      true,
    ],
  ] as const)('%s', (_l, channel, text, emergency) => {
    const o = rules.triage({ id: 'r7', text, channel });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.emergency, o.value.reasons.join(' / ')).toBe(emergency);
  });
});

/** Rules alone: the outcome's emergency, and its route (null: anything but 110), with the reasons on failure. */
const rulesOnly = createTriageEngine({ model: null });
function expectRead(
  input: { text: string; channel: string; title?: string },
  route: string | null,
  emergency: boolean,
): TriageOutcome {
  const o = rulesOnly.triage({ id: 'round', ...input });
  if (!o.ok) throw new Error(o.code);
  const why = o.value.reasons.join(' / ');
  expect(o.value.emergency, why).toBe(emergency);
  if (route) expect(o.value.route, why).toBe(route);
  else expect(o.value.route, why).not.toBe('110');
  return o.value;
}

describe('round 8: a hazard to make safe, a wound still bleeding, police matters told by what was done (rules alone)', () => {
  it.each([
    // [label, channel, text, route, emergency, urgent]
    [
      'a missing manhole cover is an urgent order, not an emergency',
      'phone_12345',
      '我们小区门口人行道上有个井盖不见了，一个大洞，晚上看不到',
      '12345',
      false,
      true,
    ],
    [
      'someone fallen into it is an emergency',
      'phone_110',
      '路口井盖不见了，刚才有个老人掉下去了，喊不答应',
      null,
      true,
      null,
    ],
    [
      'a tree across the road, no one hurt: urgent, 12345',
      'phone_110',
      '山路上一棵树被风吹倒了，挡住了整条路，车过不去，没有人受伤',
      '12345',
      false,
      true,
    ],
    [
      'a tree fallen on someone is an emergency',
      'phone_110',
      '刚才大风把一棵树吹倒了，砸到一个路人，他躺在地上不动',
      '120',
      true,
      null,
    ],
    [
      'a burst main that hit shutter doors traps no one',
      'phone_110',
      '街上自来水管爆了，水很大，几家店的卷帘门被水冲到了，没有人受伤',
      'utility',
      false,
      null,
    ],
    ['a child swept away is an emergency', 'phone_110', '河边一个小孩被水冲走了，看不到人了', '119', true, null],
    [
      'the attacker held, the wound still bleeding',
      'phone_110',
      '接警：某工地两名工人发生冲突，一人被另一人用刀砍伤手臂，流血不止，砍人者已被控制',
      '120',
      true,
      null,
    ],
    [
      'the attacker held and the injured in care',
      'phone_110',
      '接警：某工地两名工人发生冲突，一人被另一人用刀砍伤手臂，伤者已送医，砍人者已被控制',
      '110',
      false,
      null,
    ],
    [
      '"没得哪个动手" denies violence',
      'phone_110',
      '我们几个业主在物业办公室理论，声音大，但是没得哪个动手，就想问这个事归哪个管',
      null,
      false,
      null,
    ],
    [
      '"不需要叫救护车" after a fall',
      'phone_110',
      '我骑电瓶车摔了一跤，腿上擦破点皮，不需要叫救护车，就是对面那个车撞了我不认账',
      '110',
      false,
      null,
    ],
    [
      'a fire "前几年" is past',
      'phone_12345',
      '我们楼前几年发生过一次火灾，到现在楼道里的灭火器还是空的，请消防部门来检查',
      '12345',
      false,
      null,
    ],
    ['a cable cut and taken', 'phone_110', '我们厂里仓库后面那根电线被人剪了一大截，拿走了', '110', false, null],
    ['a number plate taken off', 'phone_110', '我停在路边的车，后面那块车牌被人下了', '110', false, null],
    ['a stall kicked over', 'phone_110', '今天早上摆摊，旁边那个人把我的摊子踢翻了，东西全部摔烂', '110', false, null],
    ['a card opened in my name', 'app', '查征信发现名下多了一张信用卡，不是我办的，银行让我去报案', '110', false, null],
    [
      'asked to report it to the police, on 12345',
      'phone_12345',
      '我家的耕牛昨晚不见了，牛圈的门被撬开了，你们能不能帮我报个警',
      '110',
      false,
      null,
    ],
    [
      'rocks from the hill broke the road: a repair',
      'phone_12345',
      '上周下大雨，山上滚下来的石头砸坏了村道的路面，现在还没人修，请公路部门处理',
      '12345',
      false,
      null,
    ],
    [
      'bicycles on the tactile paving are not traffic police business',
      'phone_12345',
      '小区楼下共享单车乱停，把盲道都堵死了',
      '12345',
      false,
      null,
    ],
    [
      'promised yearly returns for pensioners’ savings',
      'phone_110',
      '他们在小区门口招人投资，说年化收益百分之十八，好多老人都把养老钱交了',
      '110',
      false,
      null,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency, urgent) => {
    const o = expectRead({ text, channel }, route, emergency);
    if (urgent !== null) expect(o.urgent, o.reasons.join(' / ')).toBe(urgent);
    expect(o.catalogueVersion).toBe(13);
  });
});

describe('round 9: a cry beside its matter, an animal stuck, what a figure starts, a burst pipe (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'a cry about a burst pipe is the pipe: the utility, urgent',
      'phone_110',
      '救命啊！厨房的水管爆了，水一直在喷，关不到总阀',
      'utility',
      false,
    ],
    [
      'an animal that cannot get down is no person in danger',
      'phone_110',
      '邻居家的狗掉到楼下雨棚上了，下不来，叫了一早上',
      null,
      false,
    ],
    ['a child stuck is', 'phone_110', '孩子的头卡在阳台栏杆中间出不来了', '119', true],
    [
      'an ellipsis ends the question before a danger',
      'phone_12345',
      '我想问下补助的事，跑了好几次都没批……算了，我不想活了，我现在站在楼顶上',
      '110',
      true,
    ],
    [
      'a blow told by a figure is none',
      'wechat',
      '办居住证和交社保两个部门说法互相打架，两头都办不了，到底先办哪个',
      null,
      false,
    ],
    [
      'a breakdown on the hard shoulder, everyone behind the barrier',
      'phone_110',
      '我的车在高速上抛锚了，停在应急车道，人都站到护栏外面了，拖车电话是多少',
      null,
      false,
    ],
    [
      'a breakdown in a live lane is a danger',
      'phone_110',
      '隧道里一辆货车抛锚停在行车道上，没放警示牌，后面的车差点撞上',
      '110',
      true,
    ],
    ['water reaching live electrics is', 'phone_110', '地下室水管爆了，水流进了配电房，里面有滋滋声', 'utility', true],
    ['"我怕有人掉下去" is a fear', 'phone_12345', '人行道上井盖没了，我怕有人掉下去，拿了个箱子挡到', '12345', false],
    [
      'where to go about a fraud that is over, by chat: guidance',
      'wechat',
      '上周在商场被人骗买了假玉，人早就跑了，我也认了，以后遇到这种找哪个部门？',
      'guidance',
      false,
    ],
    [
      "someone else's hotel records: guidance",
      'phone_110',
      '我想查一下我老公的开房记录，你们查得到不',
      'guidance',
      false,
    ],
    [
      'chips changed for money',
      'phone_12345',
      '楼下出租屋每天晚上一桌桌的人，拿手机扫码换筹码，走的时候又拿筹码换钱',
      '110',
      false,
    ],
    ['a pistol dug up', 'phone_110', '工地上挖出一把生锈的手枪，现在停工了没人碰', '110', false],
    ['traps and poisoned grain', 'phone_12345', '后山有人下铁夹子，还用拌了药的谷子毒斑鸠拿去卖', '110', false],
    [
      "a key copied, photos taken in one's sleep",
      'phone_110',
      '前男友配了我家的钥匙，还拍了我睡觉的时候的照片放在门口',
      '110',
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });

  it('a lock filled with glue and paint on the door is police business', () => {
    const o = rulesOnly.triage({
      text: '今天早上出门发现门锁眼被人灌了胶水，门上还用红油漆写了字',
      channel: 'phone_110',
    });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.route).toBe('110');
    expect(o.value.reasons.join('')).toContain('P-DAMAGE');
  });
});

describe('round 10: a building moving now, a habit that does not reach what is in progress, a tip-off letter (rules alone)', () => {
  it.each([
    // [label, channel, title, text, route (null: not 110), emergency]
    [
      'a habit of rain does not reach a slope sliding now',
      'phone_110',
      '',
      '下了好几天雨，屋后的坡坡在往下垮泥巴，墙上的缝一下午宽了好多，隔壁老人还在屋头',
      '119',
      true,
    ],
    [
      'a building that creaks and moves',
      'phone_12345',
      '',
      '我们这栋楼墙上的裂缝越来越大，刚才楼里咔咔地响，有人在喊楼在动',
      '119',
      true,
    ],
    [
      'a ceiling soaked through is a repair',
      'phone_12345',
      '',
      '楼上漏水把我家厨房的天花板泡垮了一块，楼上没人，物业找不到业主',
      '12345',
      false,
    ],
    [
      'an animal named in the clause before',
      'phone_110',
      '',
      '楼下有只小猫掉进下水道口子里了，卡在里面一直叫，我们弄不出来',
      null,
      false,
    ],
    [
      'signs of drugs in a letter asking for a look',
      'web',
      '',
      '我们对门那套出租屋每天半夜都有不同的人进出，楼道垃圾里经常有锡纸和剪断的吸管，希望有关部门来查一下到底在做什么',
      '110',
      false,
    ],
    [
      'parcels taken, the same man on camera',
      'phone_110',
      '',
      '放在门口的快递这个月少了好几回，监控里是同一个男的拿起就走了',
      '110',
      false,
    ],
    [
      'drink-driving every Friday is police business, not an emergency',
      'phone_12345',
      '',
      '我们小区有个人每个周五晚上都喝得醉醺醺的，喝完自己开车回去',
      '110',
      false,
    ],
    [
      'a title that says 起冲突 over a parking quarrel asks for mediation',
      'web',
      '两个小区停车起冲突，请求调解',
      '两个小区共用一条通道，业主为停车吵过一架，没有打起来。现在群里天天互相骂，请社区组织双方商量停车规矩。',
      null,
      false,
    ],
  ] as const)('%s', (_l, channel, title, text, route, emergency) => {
    expectRead({ text, title, channel }, route, emergency);
  });
});

describe('round 11: dangers told by what is seen, heard and smelt (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'an old man on the floor beside a pool of blood',
      'phone_110',
      '我来送快递，这家门开着，里面有个老人躺在厨房地上，旁边一摊血',
      '120',
      true,
    ],
    [
      'a farewell post located on a bridge',
      'wechat',
      '我弟弟刚发了一条朋友圈，写的谢谢大家这些年的照顾，以后不麻烦你们了，定位在长江大桥，电话打不通',
      '110',
      true,
    ],
    [
      'people cut off by rising water',
      'phone_110',
      '我们几个在河中间的沙洲上，水涨得好快，被围起了，水已经淹到膝盖了',
      '119',
      true,
    ],
    [
      'a slope sliding with houses below',
      'phone_110',
      '后面山上的泥巴在往下梭，石头一直在往下滚，下面还住得有几户人家',
      '119',
      true,
    ],
    [
      'a truck leaking something that burns the eyes',
      'phone_110',
      '前面一辆货车在漏东西，味道刺鼻，我们眼睛都辣了，一直咳',
      '119',
      true,
    ],
    [
      'a break-in at the door, the caller hiding (SMS, no punctuation)',
      'sms',
      '帮我报警 有人在门外撬门 我躲在厕所',
      '110',
      true,
    ],
    [
      'gunfire and explosions in a film shoot are a permit question',
      'phone_12345',
      '楼下通知说周末要在小区拍电影，有打枪和爆炸的镜头，这个审批过没有，会不会很吵',
      null,
      false,
    ],
    [
      'cracks widening, plaster falling, a door frame bent while a wall is knocked down',
      'web',
      '楼上在拆承重墙，我们家墙上的裂缝肉眼看到在变宽，一直在掉渣，门框都变形了，楼上还在敲',
      '119',
      true,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});

describe('round 12: the state a person is in, a plea, a cry about a thing (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'a child pulled out of water, not breathing',
      'phone_110',
      '孩子刚从河里拉起来，不出气了，嘴唇都是紫的',
      '120',
      true,
    ],
    ['a toddler who swallowed a magnet', 'phone_12345', '我孙子刚刚把两颗磁铁吞下去了，现在在哭，咋个办', '120', true],
    ['someone struggling in the water', 'phone_110', '水库边上有个人在水里扑腾，喊都喊不出来', '119', true],
    [
      'a retaining wall cracking wider with people below',
      'phone_12345',
      '小区堡坎的裂缝越来越宽，下面是幼儿园',
      '119',
      true,
    ],
    [
      'a man blocking a woman and telling her to go with him',
      'sms',
      '有个男的在地下通道把我堵住了，要我跟他走',
      '110',
      true,
    ],
    ['a plea heard through the wall', 'phone_110', '楼上女的一直在哭喊别打了，已经半个钟头了', '110', true],
    [
      'a car blocking my garage is no one blocking me',
      'phone_110',
      '有个车堵到我车库门口了，电话打不通',
      'vehicle_moving',
      false,
    ],
    ['a cry that names the thing it cries about', 'wechat', '救命啊这个物业，楼道的灯坏了两个月都不修', '12345', false],
    // round 13: an address names where, not who ("天生街道" is no street office)
    [
      'a grandfather with dementia gone since the morning, told with his street',
      'phone_110',
      '我外公有老年痴呆，早上从江北区石马河街道的家里出去，到现在都没回来',
      '110',
      true,
    ],
    [
      'swindlers gone with the money are no missing person',
      'phone_110',
      '我妈在沙坪坝区井口镇遇到两个人推销保健品，交了钱，现在人找不到了',
      '110',
      false,
    ],
    // the taxonomy of a body in danger and a fire starting (not from any set)
    ['a face gone to one side, speech slurred', 'phone_110', '我妈坐在沙发上突然嘴歪了，话都说不清了', '120', true],
    ['a hand drawn into a machine', 'phone_12345', '车间里一个工人的手卷进机器里头了，拉不出来', '120', true],
    [
      'a smoke alarm sounding, black smoke at the door',
      'wechat',
      '对门烟感一直在响，门缝里黑烟在往外冒，敲门没人开',
      '119',
      true,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
  it('a guardrail knocked down in a past collision, unrepaired, is no emergency (the route stays with the accident: left)', () => {
    const o = rulesOnly.triage({
      id: 'r',
      text: '上周两个车子撞了，人也没事，被撞坏的护栏到现在还没修',
      channel: 'phone_12345',
    });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.emergency, o.value.reasons.join(' / ')).toBe(false);
    expect(o.value.reasons.join('')).toContain('“撞坏”：仅涉及财物');
  });
});

describe('round 14: the time a sentence tells, what an illness does, why a caller asks (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'a long letter whose one sentence says now, in another clause, that someone is outside a window',
      'web',
      '各位领导好，我想反映一下我们小区垃圾分类的问题。小区里的垃圾桶已经三个多月没有清洗过了，夏天的时候臭得不得了，物业说清洁工人手不够，每次都推给街道。分类的桶也经常放错位置，居民根本不晓得该往哪里丢。我写到这里的时候，看到对面那栋楼有个老人翻到七楼窗子外面站起，手一直在抖，现在还在那里。另外小区的健身器材也坏了好久，希望有关部门督促物业尽快整改，给我们一个干净的环境，谢谢。',
      '110',
      true,
    ],
    [
      '"cannot walk" beside a heart attack told by its symptoms is the illness',
      'phone_12345',
      '我老汉说心口疼得很，一直出冷汗，走不动了',
      '120',
      true,
    ],
    [
      'a burglary years ago told before a question about the gate is why the caller asks',
      'wechat',
      '前年我家被偷过一次，想问下小区门禁能不能换成刷卡的',
      '12345',
      false,
    ],
    [
      '"臭死人了" is a figure of speech, no body found',
      'wechat',
      '小区门口的垃圾站臭死人了，好几天都没人来清',
      '12345',
      false,
    ],
    [
      'a pile driver "still hitting" at night hits no one',
      'app',
      '隔壁工地晚上十一点还在打，打桩的声音震得窗子都在响',
      null,
      false,
    ],
    [
      'a scuffle the guards have separated, no one hurt, is the police’s to look at, not a fight going on',
      'phone_110',
      '两个邻居为了晾衣服吵起来，推了两把，已经被保安拉开了',
      '110',
      false,
    ],
    [
      'schoolboys cornered for money is extortion',
      'phone_110',
      '我儿子说这学期被几个高年级的堵到厕所要钱，好几次了',
      '110',
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});

describe('round 15: what was done to a person, a false belief, a figure of price, an event over (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    ['someone shut in a car boot while it drives', 'sms', '我被人关在后备箱里 车一直在开 不知道去哪里', '110', true],
    [
      'a corridor full of smoke with bedridden people inside',
      'phone_12345',
      '医院三楼走廊全是烟，病房里还有好几个病人下不了床',
      '119',
      true,
    ],
    [
      'a farewell message, then locked in and not answering',
      'wechat',
      '我同事发消息说谢谢你一直照顾我，以后不用管我了，现在关在宿舍里，喊她也不答应',
      '110',
      true,
    ],
    [
      '"简直是杀人" about a price is a figure of speech',
      'web',
      '这家停车场收费简直是杀人，一个钟头二十块，请物价部门查一下',
      null,
      false,
    ],
    [
      'a gas bill that "burns hundreds" threatens no fire',
      'app',
      '冬天天然气一个月要烧好几百，阶梯气价到底咋个算的',
      null,
      false,
    ],
    [
      'a leak already stopped, then a question about its cost',
      'wechat',
      '燃气表漏气，我把阀门关了，现在闻不到味道了，想问下换表的钱该哪个出',
      null,
      false,
    ],
    [
      '"as good as trapped" by a broken lift is a complaint',
      'app',
      '电梯坏了一个多月，我妈腿脚不好，等于困在家里一个多月了，物业也不管',
      null,
      false,
    ],
    [
      'a drill’s smoke bomb is no fire',
      'wechat',
      '今天小区搞消防演练放了烟雾弹，好多老人以为真的失火了，建议以后提前通知',
      null,
      false,
    ],
    [
      'a car window smashed and the thief long gone is police business, not an emergency',
      'phone_110',
      '我去吃个饭出来车窗就遭砸了，包也没得了，人早就跑了',
      '110',
      false,
    ],
    [
      'a forged payment screenshot is fraud',
      'phone_110',
      '我在网上卖相机，买家发的付款截图是假的，我已经把相机寄出去了',
      '110',
      false,
    ],
    [
      '"car-minding fees" or your car is scratched is extortion',
      'phone_110',
      '商场门口有几个人收看车费，不给就说要划你的车，好几个月了',
      '110',
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
  it('a toddler on the air-conditioner outside a window, no adult at home: an emergency for 119 and 110 both', () => {
    const o = expectRead(
      { text: '楼上那家的娃儿站到窗子外头的空调外机上了，屋头没得大人', channel: 'phone_110' },
      '110',
      true,
    );
    expect(o.linked).toContain('119');
  });
});

describe('targets on the labelled sets (rules + shipped model)', () => {
  it.skipIf(!fs.existsSync(PROBES))('all 14 probes of real-text faults are right', () => {
    const cases = readJsonl(PROBES);
    const r = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    expect(r.cases).toBe(14);
    expect(r.misses).toEqual([]);
  });

  /**
   * Labels the writers of later sets contradict, each read the way most writers label it (and checked
   * so). ua-0170, a missing manhole cover someone nearly rode into: e-0164, i-0060, j-0047 and the other
   * sets' manhole cases call the same near miss urgent, not an emergency; catalogue version 7 makes it
   * 12345's urgent order.
   */
  const DISPUTED: Record<string, { route: string; emergency: boolean; urgent: boolean }> = {
    'ua-0170': { route: '12345', emergency: false, urgent: true },
  };
  it.each(EVAL_SETS.filter((f) => f !== PROBES).map((f) => [path.basename(f), f]))('%s', (_l, file) => {
    const all = readJsonl(file);
    for (const c of all.filter((x) => x.id && DISPUTED[x.id])) {
      const o = engine.triage(c);
      if (!o.ok) throw new Error(o.code);
      expect(o.value, c.id!).toMatchObject(DISPUTED[c.id!]!);
    }
    const cases = all.filter((c) => !(c.id && DISPUTED[c.id]));
    const r = evaluate(
      cases,
      cases.map((c) => engine.triage(c)),
    );
    expect(r.errors).toBe(0);
    expect(r.routeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(r.emergencyRecall).toBe(1);
    expect(r.emergenciesInNonEmergencyQueue).toBe(0);
    expect(r.falseAlarmRate!).toBeLessThanOrEqual(0.05);
    if (r.headline?.citizenFlaggedEmergency !== undefined)
      expect(r.headline.citizenFlaggedEmergency).toBeLessThanOrEqual(0.02);
  });
});

describe('the shipped corpus and model', () => {
  const corpus = readShippedCorpus();
  it('holds at least 3,000 requests written one by one, in every voice and route, with dialect and long web messages', () => {
    expect(corpus.filter((c) => c.source !== 'legacy').length).toBeGreaterThanOrEqual(3000);
    expect(new Set(corpus.map((c) => c.routes[0]))).toEqual(
      new Set(['110', '12345', '119', '120', 'utility', 'governance_center', 'vehicle_moving', 'guidance']),
    );
    expect(corpus.filter((c) => c.channel === 'web' && c.title && c.text.length >= 500).length).toBeGreaterThan(50);
    expect(corpus.some((c) => /啷个|莫得|娃儿|遭/.test(c.text))).toBe(true);
    expect(corpus.some((c) => c.text.startsWith('市民来电反映'))).toBe(true);
  });

  it.each(EVAL_SETS.map((f) => [path.basename(f), f]))(
    'holds none of %s (for checking, never for training)',
    (_l, file) => {
      const norm = (s: string) => engine.normaliseText(s).replace(/[\s\p{P}]/gu, '');
      const trained = new Set(corpus.map((c) => norm(c.text)));
      expect(readJsonl(file).filter((c) => trained.has(norm(c.text)))).toEqual([]);
    },
  );

  it('the shipped segmenter dictionary is jieba’s, pruned (`npx liandong triage train` rewrites it)', () => {
    expect(fs.readFileSync(SEGMENTER_DICT_PATH, 'utf8') === buildSegmenterDictionary()).toBe(true);
  });

  it('the saved model loads, was trained on this corpus with its augmented wordings (≥ 10,000 requests), and is small', () => {
    const model = loadModel()!;
    expect(model).toBeInstanceOf(TriageModel);
    expect(model.saved.samples).toBeGreaterThanOrEqual(10_000);
    expect(model.saved.samples).toBeGreaterThan(corpus.length);
    expect(model.saved.calibration!.route.ece).toBeLessThan(0.05);
    expect(fs.statSync(path.join(TRIAGE_DIR, 'model.json')).size).toBeLessThan(4 * 1024 * 1024);
  });
});

describe('a city trains on its own history', () => {
  it('gets better results on its own held-out records than the shipped model, and the rules still hold danger', () => {
    const records = cityRecords();
    const train: CorpusItem[] = records
      .filter((r) => !heldOut(r))
      .map((r) => ({
        text: r.text,
        routes: r.route,
        emergency: r.emergency,
        channel: r.channel,
        group: String(r.template),
        source: 'city',
      }));
    const test = records.filter(heldOut).map((r) => ({ ...r, urgent: null }) as LabelledCase);
    const city = createTriageEngine({
      model: new TriageModel(trainFromCorpus(train, { augmentShipped: false }).model),
    });
    const shipped = evaluate(
      test,
      test.map((c) => engine.triage(c)),
    );
    const own = evaluate(
      test,
      test.map((c) => city.triage(c)),
    );
    expect(own.routeAccuracy).toBeGreaterThan(shipped.routeAccuracy);
    expect(own.routeAccuracy).toBeGreaterThanOrEqual(0.95);
    expect(own.emergencyRecall).toBe(1);
    expect(own.emergenciesInNonEmergencyQueue).toBe(0);
  }, 60_000);
});

describe('round 16 (catalogue 11): an arson threat, a fraud that leaves no word, a lost card for the record (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'petrol and a lighter with "or I set the shop alight" is a threat now',
      'phone_110',
      '有个男的提了一壶汽油站在我们饭馆门口，说不赔钱就把店点了',
      '110',
      true,
    ],
    [
      'money sent, then the "agent" deletes the caller',
      'phone_12345',
      '刚刚给网上客服转了五千块，转完他就把我删了',
      '110',
      false,
    ],
    [
      'a lost passport to be recorded by the police station',
      'phone_110',
      '我的护照昨天在地铁上遗失了，请派出所登记遗失情况并出具证明',
      '110',
      false,
    ],
    [
      'a weak flame on the gas hob is no fire',
      'web',
      '这几天燃气灶的火小得很，蓝火苗只有一点点，请燃气公司来看看',
      null,
      false,
    ],
    [
      'a pan on fire on the hob still is one',
      'phone_12345',
      '锅烧干了，灶台上的火苗窜到抽油烟机上了，越烧越大',
      '119',
      true,
    ],
    [
      'flower pots outside a railing are no jump',
      'wechat',
      '楼上把花盆绑在阳台栏杆外面，风一吹就晃，麻烦网格员去说一下',
      null,
      false,
    ],
    [
      'a "parking fine" charged by the property company is no traffic offence',
      'phone_12345',
      '物业把我的电瓶车锁了，说交五十块违停处理费才开锁',
      null,
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});

describe('round 17 (catalogue 12): a lift is no captor, a simile is no robbery, a record’s report time is not the event’s (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'shut in a stuck lift is a rescue, not a kidnapping',
      'phone_110',
      '我们几个被关在电梯里了，卡在六楼不动，按铃没人应',
      '119',
      true,
    ],
    [
      'two men locked together, one hitting with a bottle',
      'phone_110',
      '门口两个男的扭成一团，一个拿酒瓶往对方头上砸',
      '110',
      true,
    ],
    [
      'a neighbour smashing walls to renovate is no disorder',
      'app',
      '楼下装修天天在砸墙，电钻声吵得人没法休息，请街道管一下',
      null,
      false,
    ],
    [
      'a billboard come loose and beating on the wall now',
      'web',
      '现在风很大，楼顶的广告牌有一边已经脱开了，正在一下一下地砸外墙，下面就是人行道',
      '119',
      true,
    ],
    [
      '"like a robbery" about booking slots is a figure of speech',
      'app',
      '医院的专家号放出来几秒就没了，跟抢劫一样，能不能改进一下挂号系统',
      null,
      false,
    ],
    [
      'short weight at a stall "is plain robbery": a complaint',
      'wechat',
      '市场那家卖肉的短斤少两，这跟明着抢钱有啥子区别，请市场监管来查',
      null,
      false,
    ],
    [
      'afraid of being cheated is a question, not a fraud',
      'phone_12345',
      '有个公司说交钱就返利息，我有点心动又怕被骗，想问问这家公司正不正规',
      null,
      false,
    ],
    [
      'a stranger watching a girl’s window with binoculars',
      'phone_110',
      '对面楼有个男的每天晚上拿望远镜对着我女儿房间看',
      '110',
      false,
    ],
    [
      '"he will get people to sort me out" is a threat for the record',
      'phone_110',
      '他天天打电话说不还钱就找人来收拾我，我想留个底',
      '110',
      false,
    ],
    ['a revoked licence still driving', 'phone_110', '我们单位有个人驾驶证早就被吊销了，还天天开车上班', '110', false],
    [
      'a record’s report time after 接警 does not make the event past',
      'phone_110',
      '接警：12月2日9时15分，来电人称在菜市场门口一名男子持刀挥舞，仍在现场',
      '110',
      true,
    ],
    [
      '"有一次" tells of a past event',
      'web',
      '村里野猪多，有一次把路边的摩托车都撞翻了，希望林业部门想想办法',
      null,
      false,
    ],
    [
      'asking for the progress of a case reported before is a request about it',
      'phone_12345',
      '我去年被网络刷单骗了两万，当时已经报案了，到现在都没有进展，希望督促一下',
      null,
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});

describe('round 18 (catalogue 13): a two-clause event keeps its clause’s time, worry is no event, an object is no patient (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      'a bike stolen last year and the shed still without cameras: a complaint about the estate',
      'app',
      '前年我们单元门口的电动车被偷了，到现在单元门口都没装监控，物业一直推，请督促一下',
      null,
      false,
    ],
    [
      'a suggestion for lights, with a bag snatched there last month as its reason',
      'web',
      '建议公园步道加装路灯，上周听人说有个女的在那里被抢了包，现在晚上都没几个人敢去跑步了',
      null,
      false,
    ],
    [
      'a gambling den every night stays police business whatever the letter asks',
      'web',
      '小区有套房子每天晚上都有人聚众赌博，桌上全是筹码，希望有关部门来查一下',
      '110',
      false,
    ],
    [
      '"I am afraid she will fall one day" is a worry, not a fall',
      'app',
      '我们这栋楼楼梯间的灯全坏了，黑黢黢的，我怕我爸哪天踩空摔倒，都反映好久了',
      null,
      false,
    ],
    [
      '"afraid it causes a pile-up": a hazard to clear, not a collision',
      'wechat',
      '高架上有一块很大的石头在车道中间，我怕后面的车撞上去，麻烦通知清理',
      null,
      false,
    ],
    [
      'short weight at a stall compared with robbery is a consumer complaint',
      'wechat',
      '上周在菜市场买鱼遭缺斤少两，这跟抢钱有啥子区别嘛，那个摊摊现在都还在卖',
      null,
      false,
    ],
    [
      'a car boxed in and its owner not found is for the vehicle-moving service',
      'phone_110',
      '我的车在医院门口被一辆黑色轿车堵住了，车上没留电话，门卫也找不到人，我老婆在楼上等我接她出院',
      'vehicle_moving',
      false,
    ],
    [
      'a lift stopped between floors with nobody inside is a repair',
      'phone_110',
      '单元的电梯卡在五楼和六楼中间不动了，里面没人，刚看过的，物业说明天来修',
      null,
      false,
    ],
    [
      'cars that cannot get in or out are not people trapped',
      'phone_110',
      '一群人围在工地门口拉横幅讨工钱，把大门堵死了，车子进不去出不来，人越来越多',
      '110',
      false,
    ],
    [
      'violent debt collection: a doctored funeral photo and a visit to the parents threatened',
      'app',
      '催收的人把我的照片做成遗照发到亲戚群里，还说要上门找我父母，我要举报',
      '110',
      false,
    ],
    [
      'a complaint that the ambulance came late is for the health authority',
      'phone_12345',
      '来电人称其母亲上周在家中突发疾病，家属拨打120后约半小时救护车才到达，认为急救响应时间过长，要求相关部门调查',
      '12345',
      false,
    ],
    [
      'motorbikes racing every midnight are a habit to police, not an emergency now',
      'phone_110',
      '每天晚上一点过，江边那条路都有一群摩托车在飙车，轰得睡不着，你们交巡警管一下',
      '110',
      false,
    ],
    [
      '"no conflict with anyone" is told as denied',
      'phone_110',
      '事主称：下午在商场试衣服时放在外面的包里的钱包不见了，未与他人发生冲突，无人受伤',
      '110',
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});

describe('round 19 (catalogue 13, read from V): where is not when, a complaint’s 已受理 is not the event’s end, 怕 is worry (rules alone)', () => {
  it.each([
    // [label, channel, text, route (null: not 110), emergency]
    [
      '"就在" in a sentence told in the past says where, not now',
      'web',
      '上周我坐公交车，手机就在包里被人偷了，到现在也没找回，建议公交车上加装监控',
      null,
      false,
    ],
    [
      'a dated accident "就在这个路口" is the reason for a suggestion',
      'web',
      '今年8月3日晚上，就在我们小区门口发生了一起车祸，一个老人被撞伤，建议在门口增设减速带',
      null,
      false,
    ],
    [
      'a complaint 已受理 does not end what is going on now',
      'app',
      '我上周就投诉过这个司机，显示已受理。现在的情况是，司机把车门锁了不让我下车，我喊他停车他不停',
      '110',
      true,
    ],
    [
      'a door "locked and will not open" is no beating',
      'wechat',
      '单元门的门禁锁着打不开，我们好几户进不了屋，物业电话也打不通',
      null,
      false,
    ],
    [
      'afraid of being robbed is a worry',
      'wechat',
      '这条巷子晚上没得灯，我下班走那里心头怕遭抢，麻烦把路灯修一下',
      null,
      false,
    ],
    [
      'the power tripping "again tomorrow" is no one jumping',
      'phone_12345',
      '这个星期天天晚上跳闸，今天来电了，但是明天肯定又要跳，院子里都是老年人，冷得遭不住',
      null,
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });

  it('a suggestion naming a practice as a problem asks about it: no emergency (whichever desk takes it)', () => {
    const o = rulesOnly.triage({ id: 'round', text: '建议整治电动车在人行道上逆行的问题', channel: 'app' });
    if (!o.ok) throw new Error(o.code);
    expect(o.value.emergency, o.value.reasons.join(' / ')).toBe(false);
    expect(o.value.reasons.join('')).toContain('为咨询');
  });
});

describe('round 20 (catalogue 13, read from W): dangers told without their words (rules alone)', () => {
  it('a toddler shut in a car in the heat: an emergency for 119 (110 beside it, to find the parents)', () => {
    const o = expectRead(
      {
        channel: 'phone_110',
        text: '商场门口那辆白色的车里头锁了个小娃儿，哭得满头大汗，车窗关完了，附近找不到大人，今天好热',
      },
      '110',
      true,
    );
    expect(o.linked).toContain('119');
    expect(o.reasons.join('')).toContain('D-LOCKED-IN');
  });

  it.each([
    // [label, channel, text, route, emergency]
    [
      'locked out with a pot on the stove',
      'phone_110',
      '我下楼拿快递门被风关了，钥匙在屋里，灶上还炖着一锅排骨，开的小火，屋里没人',
      '119',
      true,
    ],
    [
      'lost on a mountain after dark, a companion unable to walk',
      'wechat',
      '我们两个人在山里走迷了，天已经黑了，同伴崴了脚走不动，手机快没电了',
      '119',
      true,
    ],
    [
      'an old woman alone not seen for days, knocking unanswered',
      'phone_110',
      '隔壁的孤老太婆平时天天出门散步，这几天都没看到人，门口的报纸也没拿，敲门不应',
      '110',
      true,
    ],
    [
      'a retaining wall bulging and shedding stones over a school path',
      'web',
      '学校旁边的挡土墙今天下雨后往外鼓，一直在掉泥块和碎石，下面就是学生放学的通道',
      '119',
      true,
    ],
    [
      'an old man who "cannot walk far" asks about paperwork: no one trapped',
      'phone_12345',
      '我爸八十多了走不动路，身份证丢了，能不能上门补办',
      null,
      false,
    ],
  ] as const)('%s', (_l, channel, text, route, emergency) => {
    expectRead({ text, channel }, route, emergency);
  });
});
