import { describe, expect, it } from 'vitest';
import { createCleaner } from './clean.ts';

const clean = createCleaner({
  intake: ['来电人称', '市民来电反映', '市民通过网站反映', '物业人员来电称', '请相关部门核实处理'],
  policeHeaders: ['我队工作发现', '视频巡查发现'],
  surnames: '王李张刘杨石',
});

describe('cleaning: what the intake adds is not what the request says', () => {
  it.each([
    ['intake boilerplate', '市民来电反映：小区门口垃圾没人清运。请相关部门核实处理。', '小区门口垃圾没人清运。'],
    ['a staff member calling in', '物业人员来电称，3栋电梯停运', '3栋电梯停运'],
    ['a record header and its report time', '2025年3月6日21时许，报警人称有人在店里滋事', '有人在店里滋事'],
    ['a police-internal opening', '我队工作发现：某路段有车辆违停', '某路段有车辆违停'],
    ['a report passed on by a station chief', '接渝中派出所王所长报：辖区有人聚集', '辖区有人聚集'],
    ['phone numbers and placeholders', '张某（[phone]，138****1234）称被骗了', '某人称被骗了'],
    ['masked names, not masked places', '李xx称其在石xx小区被刘某打了', '某人称其在石某小区被某人打了'],
    ['a courtesy name', '杨先生孩子发烧了', '某人孩子发烧了'],
    ['a date inside the text is a past marker', '我3月6日在小区被偷了电动车', '我那天在小区被偷了电动车'],
    // "接警：" says the text is a police record and stays; the report time after it is not the event's
    ['a record’s report time after 接警', '接警：11月18日15时22分，来电人称有人持刀', '接警：有人持刀'],
    // the event's own date, told after the caller, stays a past marker
    ['the event’s date inside a record', '接警：报警人称12月3日被偷拍', '接警：报警人称那天被偷拍'],
  ])('%s', (_l, input, output) => {
    expect(clean(input.toLowerCase())).toBe(output);
  });
});
