/**
 * Cleaning before reading: what the intake adds to a request is not what the request says. Removes
 * intake boilerplate ("来电人称", "市民通过网站反映"), police-internal openings ("我队工作发现",
 * "接…所长报"), masking placeholders ([PHONE], 138****1234, XX, ****) and a record's header timestamp;
 * masked names ("张某", "王**", "杨先生") become "某人"; a date inside the text becomes "那天" (a past
 * marker: a dated event is told after it happened).
 */
import type { Lexicon } from './types.ts';

export interface Cleaner {
  (normalised: string): string;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const PHONE = /(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){8}|\d{3,4}[*x]{3,4}\d{3,4}|0\d{2,3}-\d{7,8}/g;
const ID_NUMBER = /\d{17}[\dx]|\d{6}[*x]{8}\d{3}[\dx]/g;
const PLACEHOLDER =
  /[[［【(（]\s*(?:phone|tel|电话|手机号?码?|联系方式|身份证号?码?|id|地址|address|姓名|name|车牌号?)\s*[\]］】)）]/g;
const HEADER_TIME =
  /^(?:(?:\d{2,4}年)?\d{1,2}月\d{1,2}[日号]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|今[日天]|当[日天])?\s*(?:(?:凌晨|早上|上午|中午|下午|傍晚|晚上|夜间|深夜)?\d{1,2}(?:[时点:：]\d{0,2}分?(?::\d{2})?)许?(?:左右)?)?\s*[,，]?/;
const DATE =
  /(?:\d{2,4}年)?\d{1,2}月(?:\d{1,2}[日号])?|[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}[日号]|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{4}年(?![前后来多以底初中])/g;
const CLOCK =
  /(?:凌晨|早上|上午|中午|下午|傍晚|晚上|夜间|深夜)?\d{1,2}(?:[时点:：]\d{1,2}分?|[时点]许|[时点]左右|[时点](?=[,，]))(?::\d{2})?许?/g;
const MASK_RUN = /[*×○xX＊]{2,}|某某/g;
/** What follows a masked place name ("石XX小区"), not a masked person. */
const PLACE_WORDS =
  '小区|路|街|巷|号|村|镇|乡|社区|大厦|大楼|广场|栋|楼|花园|公司|店|超市|银行|宾馆|酒店|医院|学校|中学|小学|派出所|区|县|市场|工地|厂|公园|站|大道|酒楼|餐馆|网吧|ktv|门|项目';
const CALLED_IN =
  /^(?:某人|该?市民|来电人|报警人|事主|求助人|当事人|业主|群众|网民|居民)?(?:通过[^,，:：。]{1,10}?)?(?:来电|致电|报警|报称|求助|来访|留言|反映)(?:(?:反映|称|表示|说|求助|投诉|咨询)[:：,，]?|[:：,，])\s*/;
const WHO_SAID = /^(?:来电人|报警人|事主|求助人|当事人|群众|网民|诉求人)(?:称|反映|表示|报称|说|介绍)[:：,，]?\s*/;
const REPORTED_BY = /^接[^,，。:：]{1,24}?(?:报警?|电话|通知|转来)[称:：,，]\s*/;

export function createCleaner(lexicon: Pick<Lexicon, 'intake' | 'policeHeaders' | 'surnames'>): Cleaner {
  const phrases = [...(lexicon.intake ?? []), ...(lexicon.policeHeaders ?? [])].sort((a, b) => b.length - a.length);
  const intake = phrases.length ? new RegExp(`(?:${phrases.map(escape).join('|')})[:：,，]?\\s*`, 'g') : null;
  const leading = phrases.length ? new RegExp(`^(?:${phrases.map(escape).join('|')})[:：,，]?\\s*`) : null;
  const surnames = lexicon.surnames ?? '';
  const maskedName = surnames
    ? new RegExp(
        `[${escape(surnames)}](?:(?:某某|某|[*×○xX＊]{1,3})(?![a-z*×○＊]|${PLACE_WORDS})|先生|女士|小姐|师傅|阿姨|大爷|大妈|大姐|大哥|同学)`,
        'g',
      )
    : null;
  return (s: string) => {
    let t = s.replace(PLACEHOLDER, (m) => (/姓名|name/.test(m) ? '某人' : /地址|address/.test(m) ? '某地' : ''));
    t = t.replace(ID_NUMBER, '').replace(PHONE, '');
    if (maskedName) t = t.replace(maskedName, '某人');
    t = t.replace(MASK_RUN, '某');
    // The header of a record (its report time) and the intake's opening are not part of the event. A
    // record's "接警：" stays (it says the text is a police record) but the report time after it goes:
    // "接警：11月18日15时22分，来电人称…" tells when the call came, not that the event is past.
    const received = /^接警[:：]\s*/.exec(t)?.[0] ?? '';
    if (received) t = received + t.slice(received.length).replace(HEADER_TIME, '');
    for (let again = !received; again;) {
      const before = t;
      t = t.replace(HEADER_TIME, '').replace(CALLED_IN, '').replace(WHO_SAID, '').replace(REPORTED_BY, '').trimStart();
      if (leading) t = t.replace(leading, '');
      again = t !== before && t.length > 0;
    }
    if (intake) t = t.replace(intake, '');
    t = t.replace(CLOCK, '').replace(DATE, '那天');
    return t
      .replace(/[（(][\s,，、;；:：]*[）)]/g, '')
      .replace(/([。，,！!？?；;])\1+/g, '$1')
      .replace(/那天(?:那天)+/g, '那天')
      .replace(/([,，。;；:：!！?？])\s*[,，]+/g, '$1')
      .replace(/^[\s,，。:：;；]+/, '')
      .replace(/ {2,}/g, ' ')
      .trim();
  };
}
