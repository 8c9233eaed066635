/**
 * A synthetic but realistic labelled dispatch history, written for this project (no public data set of
 * citizen messages is used): fourteen first-level units of a city, each with several topics told in the
 * ways the centre's records tell them — a call-taker's summary, a citizen's web letter with a title, a
 * short app message, dialect and typos, some texts already segmented with spaces. Topics overlap across
 * units the way real ones do (noise is the housing department's at a building site at night, the
 * environment bureau's at a factory, city management's from a shop's loudspeaker), and a share of the
 * labels is what a centre's history really holds: the unit that handled it, not the one that should have.
 *
 * Figures measured on this history are figures on synthetic text, not on real messages.
 */
import { rng } from '@liandong/domain';

export interface SyntheticRecord {
  text: string;
  title?: string;
  label: string;
  district: string;
}

/** Unit code → topics; each topic: what it is about, what is wrong, what is asked (one of each is drawn). */
type Topic = { what: string[]; wrong: string[]; ask?: string[]; title: string[] };
const UNITS: Record<string, Topic[]> = {
  'city.urban-mgmt': [
    {
      what: ['流动摊贩', '占道经营的商户', '夜市烧烤摊', '卖水果的三轮车', '门店'],
      wrong: ['长期占用人行道摆摊', '把桌椅摆到人行道上', '占道经营堵塞通行', '在路口摆摊卖东西'],
      title: ['占道经营', '流动摊贩占道', '人行道被占用'],
    },
    {
      what: ['楼顶', '一楼住户', '底楼商铺', '隔壁邻居'],
      wrong: ['违规搭建彩钢棚', '私自扩建占用公共绿地', '乱搭乱建', '私搭违建阳光房'],
      ask: ['要求查处违法建筑', '希望城管依法拆除'],
      title: ['违章搭建', '违法建筑举报', '乱搭乱建'],
    },
    {
      what: ['垃圾桶', '垃圾站', '小区外的垃圾堆', '建筑垃圾'],
      wrong: ['好几天没人清运', '堆满了臭气熏天', '垃圾满溢蚊蝇滋生', '长期无人清理'],
      title: ['垃圾清运不及时', '垃圾堆放'],
    },
    {
      what: ['路灯', '人行道', '井盖', '梯坎扶手'],
      wrong: ['坏了好久一直不亮', '地砖破损松动', '缺失没有盖上', '损坏一直没人修'],
      title: ['路灯不亮', '市政设施损坏', '井盖缺失'],
    },
    {
      what: ['楼下的火锅店', '餐馆', '烧烤店', '广场舞音响', '商铺门口的喇叭'],
      wrong: ['油烟直排熏得窗户都不敢开', '油烟很大直接排到居民楼', '音响声音太大', '每天大声播放促销广告'],
      title: ['餐饮油烟扰民', '商铺噪音扰民', '油烟扰民'],
    },
  ],
  'city.housing': [
    {
      what: ['物业公司', '小区物业', '物业管理处'],
      wrong: ['服务差收费高', '不作为门禁坏了不修', '乱收停车费', '私自占用公共收益'],
      ask: ['希望住建部门督促物业整改'],
      title: ['物业服务差', '物业乱收费', '投诉物业'],
    },
    {
      what: ['小区电梯', '单元电梯', '电梯'],
      wrong: ['经常故障困人', '停运一个月没人修', '维修基金申请不下来'],
      title: ['电梯故障', '电梯长期停运', '维修基金使用'],
    },
    {
      what: ['新买的房子', '开发商', '楼盘', '房屋'],
      wrong: ['墙体开裂漏水', '延期交房快一年', '迟迟办不下房产证', '交房面积缩水'],
      title: ['延期交房', '房屋质量问题', '办理不动产证'],
    },
    {
      what: ['建筑工地', '旁边的工地', '在建楼盘工地'],
      wrong: ['晚上十二点还在施工噪音很大', '夜间施工打桩吵得睡不着', '渣土乱倒扬尘严重', '夜间浇筑混凝土噪音扰民'],
      title: ['工地夜间施工扰民', '建筑施工噪音', '工地扬尘'],
    },
  ],
  'city.environment': [
    {
      what: ['附近的化工厂', '一家工厂', '印染厂', '小作坊'],
      wrong: ['偷偷往河里排污水', '排放刺鼻废气', '晚上偷排', '烟囱冒黑烟'],
      ask: ['请环保部门查处', '要求环保执法'],
      title: ['工厂偷排污水', '企业废气污染', '环境污染举报'],
    },
    {
      what: ['河沟', '小河', '水库'],
      wrong: ['水发黑发臭', '漂着死鱼', '被倒入不明液体'],
      title: ['河道污染', '水体黑臭'],
    },
    {
      what: ['工厂机器', '厂房的风机', '搅拌站'],
      wrong: ['日夜轰鸣噪音严重超标', '生产噪音影响休息', '粉尘污染严重'],
      title: ['工业噪音扰民', '企业噪音污染', '粉尘污染'],
    },
  ],
  'city.market': [
    {
      what: ['超市', '一家面包店', '农贸市场', '外卖商家', '餐馆'],
      wrong: ['卖过期食品', '食品里吃出异物', '后厨卫生很差', '吃完拉肚子怀疑食品不安全'],
      ask: ['要求市场监管部门查处'],
      title: ['食品安全', '销售过期食品', '食品卫生问题'],
    },
    {
      what: ['健身房', '美容院', '理发店', '游泳馆'],
      wrong: ['办了预付卡后突然关门跑路', '充值后拒绝退费', '预付卡余额不退'],
      title: ['预付卡退费', '商家跑路', '消费纠纷'],
    },
    {
      what: ['商场', '网店', '药店', '加油站'],
      wrong: ['标价和结账价格不一样', '虚假宣传', '卖假冒伪劣商品', '缺斤少两'],
      title: ['价格欺诈', '虚假宣传', '假冒商品'],
    },
    {
      what: ['一家诊所旁的小店', '路边店铺', '黑作坊'],
      wrong: ['无证无照经营', '没有营业执照'],
      title: ['无照经营举报'],
    },
  ],
  'city.transport': [
    {
      what: ['公交车', '公交线路', '轻轨站'],
      wrong: ['班次太少等一个小时', '司机不到站就走', '线路调整后很不方便', '末班车提前收车'],
      ask: ['建议增加班次', '希望恢复原线路'],
      title: ['公交班次少', '公交线路调整', '公交司机服务'],
    },
    {
      what: ['出租车', '网约车', '的士司机'],
      wrong: ['拒载', '绕路多收钱', '不打表乱要价', '态度恶劣'],
      title: ['出租车拒载', '出租车绕路', '网约车投诉'],
    },
    {
      what: ['国道', '乡村公路', '高速出口', '县道'],
      wrong: ['路面塌陷坑洼', '路面破损严重', '塌方没人处理', '护栏损坏'],
      title: ['公路破损', '乡道坑洼', '公路塌方'],
    },
    {
      what: ['驾校', '驾培机构'],
      wrong: ['收了学费不安排练车', '乱收费'],
      title: ['驾校投诉'],
    },
  ],
  'city.education': [
    {
      what: ['孩子的学校', '小学', '初中', '幼儿园'],
      wrong: ['乱收资料费', '强制订购教辅', '要求家长交赞助费', '收取择校费'],
      title: ['学校乱收费', '幼儿园收费', '强制订教辅'],
    },
    {
      what: ['孩子', '小孩', '我家孩子'],
      wrong: ['入学划片不合理读不了就近的学校', '上小学学位不够', '转学手续办不下来'],
      ask: ['咨询入学政策'],
      title: ['入学问题', '学位咨询', '转学手续'],
    },
    {
      what: ['校外培训机构', '补习班', '托管班'],
      wrong: ['违规补课', '退费困难', '假期违规组织培训'],
      title: ['校外培训违规', '培训机构退费'],
    },
    {
      what: ['班主任', '老师'],
      wrong: ['体罚学生', '有偿补课', '辱骂孩子'],
      title: ['教师体罚学生', '教师有偿补课'],
    },
  ],
  'city.health': [
    {
      what: ['医院', '人民医院', '社区卫生服务中心', '妇幼保健院'],
      wrong: ['医生态度恶劣', '排队几个小时看不上病', '过度检查', '护士打针不规范'],
      title: ['医院服务态度', '看病难', '过度医疗'],
    },
    {
      what: ['家里老人', '我父亲', '孩子'],
      wrong: ['在医院做完手术出了医疗事故', '被误诊耽误了治疗'],
      ask: ['要求卫健部门调查'],
      title: ['医疗纠纷', '误诊投诉'],
    },
    {
      what: ['黑诊所', '私人诊所', '路边的牙科'],
      wrong: ['无证行医', '非法行医'],
      title: ['非法行医举报'],
    },
    {
      what: ['疫苗', '预防接种'],
      wrong: ['社区医院没有疫苗', '预约不上接种'],
      ask: ['咨询接种安排'],
      title: ['疫苗接种咨询'],
    },
  ],
  'city.hr': [
    {
      what: ['老板', '包工头', '公司', '工厂'],
      wrong: ['拖欠工资三个月不发', '欠薪不给', '拖欠农民工工资', '辞职后不结工资'],
      ask: ['请劳动监察帮忙追讨工资'],
      title: ['拖欠工资', '农民工欠薪', '讨薪'],
    },
    {
      what: ['单位', '公司', '用人单位'],
      wrong: ['不给员工买社保', '不签劳动合同', '违法辞退不给补偿', '社保断缴'],
      title: ['未缴社保', '劳动合同纠纷', '违法辞退'],
    },
    {
      what: ['退休', '养老金', '失业金', '职业技能补贴'],
      wrong: ['办理手续太复杂', '一直没有到账', '不知道怎么申领'],
      ask: ['咨询养老保险政策', '咨询申领条件'],
      title: ['养老金待遇', '失业金申领', '社保咨询'],
    },
  ],
  'city.civil': [
    {
      what: ['低保', '困难补助', '临时救助'],
      wrong: ['申请了半年没批下来', '被取消不知道原因', '评定不公平'],
      title: ['低保申请', '困难救助', '低保评定'],
    },
    {
      what: ['养老院', '敬老院', '社区养老服务站'],
      wrong: ['虐待老人', '收费不透明', '伙食很差'],
      title: ['养老机构投诉', '敬老院服务'],
    },
    {
      what: ['婚姻登记', '墓地', '殡葬服务', '残疾人两项补贴'],
      wrong: ['预约不上', '价格太高', '手续办不下来'],
      ask: ['咨询办理流程'],
      title: ['婚姻登记', '殡葬收费', '残疾补贴'],
    },
  ],
  'city.medical-insurance': [
    {
      what: ['医保报销', '住院费用报销', '门诊特殊病'],
      wrong: ['报销比例太低', '报销手续办不下来', '异地就医不能直接结算', '申请一直没有审批'],
      ask: ['咨询医保政策'],
      title: ['医保报销', '异地就医结算', '门特申请'],
    },
    {
      what: ['医保卡', '医保个人账户', '城乡居民医保'],
      wrong: ['被冻结无法使用', '缴费后显示未参保', '余额对不上'],
      title: ['医保卡问题', '医保缴费'],
    },
  ],
  'city.housing-fund': [
    {
      what: ['公积金', '住房公积金', '公积金贷款'],
      wrong: ['提取被拒绝', '办理贷款审批太慢', '单位不给缴存', '离职后提不出来'],
      ask: ['咨询提取条件'],
      title: ['公积金提取', '公积金贷款', '公积金缴存'],
    },
  ],
  'city.water': [
    {
      what: ['家里', '小区', '整栋楼', '我们这片'],
      wrong: ['停水两天没有通知', '突然停水', '水压很低楼上没水', '自来水发黄浑浊'],
      ask: ['什么时候恢复供水', '请水务公司尽快抢修'],
      title: ['停水', '水压低', '自来水水质'],
    },
    {
      what: ['路边的自来水管', '水表', '供水管道'],
      wrong: ['爆管漏水', '水表走字异常水费太高', '漏水好几天'],
      title: ['供水管道爆裂', '水费异常'],
    },
  ],
  'city.power': [
    {
      what: ['家里', '小区', '整条街', '我们村'],
      wrong: ['突然停电', '三天两头停电', '电压不稳电器烧坏', '停电一晚上没来电'],
      ask: ['请供电公司尽快抢修', '什么时候来电'],
      title: ['停电', '频繁停电', '电压不稳'],
    },
    {
      what: ['电线', '变压器', '电表', '电费'],
      wrong: ['老化垂到地上', '噪音很大', '电费突然高了很多', '电表计量不准'],
      title: ['电线老化', '电费异常', '变压器噪音'],
    },
  ],
  'city.gas': [
    {
      what: ['天然气', '燃气', '燃气表', '燃气管道'],
      wrong: ['开户要等一个月', '燃气费算得不对', '改造后一直没通气', '表具故障'],
      ask: ['请燃气公司上门处理', '咨询燃气开户'],
      title: ['燃气开户', '燃气费异常', '燃气通气'],
    },
  ],
};

/** Labels a centre's history holds instead of the right one, sometimes: the unit that did handle it. */
const NEIGHBOURS: Record<string, string[]> = {
  'city.urban-mgmt': ['city.housing', 'city.environment', 'city.market'],
  'city.housing': ['city.urban-mgmt', 'city.water'],
  'city.environment': ['city.urban-mgmt', 'city.housing'],
  'city.market': ['city.health', 'city.urban-mgmt'],
  'city.transport': ['city.urban-mgmt'],
  'city.education': ['city.market'],
  'city.health': ['city.medical-insurance', 'city.market'],
  'city.hr': ['city.civil', 'city.medical-insurance'],
  'city.civil': ['city.hr'],
  'city.medical-insurance': ['city.health', 'city.hr'],
  'city.housing-fund': ['city.housing'],
  'city.water': ['city.housing'],
  'city.power': ['city.housing'],
  'city.gas': ['city.housing'],
};

const DISTRICTS = [
  '渝中区',
  '江北区',
  '南岸区',
  '九龙坡区',
  '沙坪坝区',
  '渝北区',
  '巴南区',
  '大渡口区',
  '北碚区',
  '万州区',
];
const ESTATES = [
  '金科',
  '龙湖',
  '融创',
  '鲁能',
  '万科',
  '华宇',
  '协信',
  '阳光',
  '嘉陵',
  '长江',
  '山城',
  '滨江',
  '锦绣',
];
const ESTATE_KIND = ['小区', '花园', '家园', '新城', '佳苑', '雅居'];
const ROADS = ['中山', '人民', '解放', '建设', '民族', '新华', '学府', '渝州', '南坪', '杨家坪', '石桥铺', '观音桥'];
const WHEN = ['最近', '这段时间', '从上个月开始', '近一周', '已经半年了', '今天早上', '这几天', '每天晚上', ''];
const OPEN_PHONE = ['来电人反映：', '市民来电称，', '来电人称，', '群众反映，', '来电反映'];
const OPEN_WEB = ['尊敬的领导：您好！', '您好，', '我是一名普通市民，', '我是住在这里的居民，', ''];
const COMPLAIN = ['多次反映无果', '打过好几次电话都没人管', '严重影响生活', '居民意见很大', '给群众带来很大不便', ''];
const ASK = [
  '希望相关部门尽快处理',
  '请有关部门核实处理',
  '望尽快解决',
  '请尽快派人来看看',
  '要求给个说法',
  '希望得到答复',
];
const CLOSE_WEB = ['谢谢！', '盼复。', '恳请领导重视。', '望早日解决，谢谢。', ''];
const DIALECT: [string, string][] = [
  ['什么', '啥子'],
  ['没有', '莫得'],
  ['知道', '晓得'],
  ['赶快', '搞快点'],
  ['很', '好'],
  ['这里', '这点'],
];
const TYPOS: [string, string][] = [
  ['反映', '反应'],
  ['处理', '处里'],
  ['已经', '以经'],
  ['投诉', '头诉'],
];

/** Units by the names citizens use (for asides about where they already asked). */
const SPOKEN_NAMES: Record<string, string[]> = {
  'city.urban-mgmt': ['城管', '城管局', '市政'],
  'city.housing': ['住建委', '物业', '房管局'],
  'city.environment': ['环保局', '环保'],
  'city.market': ['市场监管局', '工商'],
  'city.transport': ['交通局', '运管'],
  'city.education': ['教委', '学校'],
  'city.health': ['卫健委', '医院'],
  'city.hr': ['人社局', '劳动监察'],
  'city.civil': ['民政局', '社区'],
  'city.medical-insurance': ['医保局', '医保中心'],
  'city.housing-fund': ['公积金中心'],
  'city.water': ['自来水公司', '水务'],
  'city.power': ['供电公司', '电力局'],
  'city.gas': ['燃气公司', '天然气公司'],
};
const ASIDE = [
  (u: string) => `之前找过${u}，${u}说不归他们管`,
  (u: string) => `打电话问了${u}，让我找其他部门`,
  (u: string) => `已经向${u}反映过`,
  (u: string) => `${u}推来推去`,
];
/** Texts that say almost nothing of their matter (a history has them too). */
const VAGUE = [
  '有个问题想反映一下，具体情况来电人说不清楚',
  '来电人反映的问题一直没有解决，要求尽快处理',
  '上次反映的事情到现在也没人回复',
  '咨询相关政策，来电人未说明详细情况',
  '还是之前那个问题，请尽快给个答复',
];

/** A deterministic labelled history of `n` orders (the same seed, the same history). */
export function syntheticHistory(n: number, seed = 20261205, opts: { labelNoise?: number } = {}): SyntheticRecord[] {
  const labelNoise = opts.labelNoise ?? 0.04;
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const units = Object.keys(UNITS);
  // Units do not get the same number of orders (city management and housing get the most).
  const weights = units.map((_, i) => 1 / (1 + i * 0.25));
  const total = weights.reduce((a, b) => a + b, 0);
  const unitOf = () => {
    let r = random() * total;
    for (let i = 0; i < units.length; i++) if ((r -= weights[i]!) < 0) return units[i]!;
    return units[units.length - 1]!;
  };
  const out: SyntheticRecord[] = [];
  for (let k = 0; k < n; k++) {
    const unit = unitOf();
    const topic = pick(UNITS[unit]!);
    const district = pick(DISTRICTS);
    const place = chance(0.6)
      ? `${pick(ESTATES)}${pick(ESTATE_KIND)}${chance(0.5) ? `${1 + Math.floor(random() * 20)}栋` : ''}`
      : `${pick(ROADS)}路${chance(0.5) ? `${1 + Math.floor(random() * 300)}号` : ''}`;
    const what = pick(topic.what);
    const wrong = pick(topic.wrong);
    const ask = topic.ask && chance(0.5) ? pick(topic.ask) : pick(ASK);
    const style = random();
    let text: string;
    let title: string | undefined;
    if (style < 0.5) {
      // The call-taker's summary.
      text = `${pick(OPEN_PHONE)}${chance(0.5) ? district : ''}${place}${chance(0.7) ? '的' : ''}${what}${pick(WHEN)}${wrong}，${pick(COMPLAIN)}${chance(0.5) ? '，' : ''}${ask}。`;
    } else if (style < 0.8) {
      // A citizen's web letter, first person, with a title.
      title = chance(0.7) ? `关于${place}${pick(topic.title)}的问题` : pick(topic.title);
      const detail = chance(0.5) ? `我家住在${district}${place}，` : `${place}这边`;
      text = `${pick(OPEN_WEB)}${detail}${pick(WHEN)}${what}${wrong}。${pick(COMPLAIN)}${chance(0.5) ? `，${pick(COMPLAIN)}` : ''}。${chance(0.4) ? `${what}${pick(topic.wrong)}，` : ''}${ask}。${pick(CLOSE_WEB)}`;
    } else {
      // A short app or WeChat message.
      text = chance(0.5) ? `${place}${what}${wrong}${chance(0.5) ? `，${ask}` : ''}` : `${what}${wrong}，${ask}`;
    }
    if (chance(0.25)) {
      // An aside naming another unit (where the citizen already asked): a word of the wrong unit.
      const other = pick(units);
      const aside = pick(ASIDE)(pick(SPOKEN_NAMES[other]!));
      text = chance(0.5) ? `${aside}，${text}` : text.replace(/。?$/, `，${aside}。`);
    }
    if (chance(0.12)) {
      // A second matter of a neighbouring unit told in passing ("另外…").
      const other = pick(NEIGHBOURS[unit] ?? units);
      const t2 = pick(UNITS[other]!);
      text += `另外${pick(t2.what)}也${pick(t2.wrong)}。`;
    }
    if (chance(0.03)) text = pick(VAGUE);
    if (chance(0.15)) for (const [a, b] of DIALECT) if (chance(0.5)) text = text.replaceAll(a, b);
    if (chance(0.08)) {
      const [a, b] = pick(TYPOS);
      text = text.replace(a, b);
    }
    let label = unit;
    if (chance(labelNoise)) label = pick(NEIGHBOURS[unit] ?? units);
    out.push({ text, ...(title ? { title } : {}), label, district });
  }
  return out;
}

/** The same history with its texts cut into words by `words` (a "pre-segmented" export). */
export function segmentedCopy(records: SyntheticRecord[], words: (s: string) => string[]): SyntheticRecord[] {
  return records.map((r) => ({
    ...r,
    text: words(r.text)
      .filter((w) => w.trim())
      .join(' '),
  }));
}
