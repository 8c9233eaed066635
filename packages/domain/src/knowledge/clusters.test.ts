import { describe, expect, it } from 'vitest';
import { questionOf } from './clusters.ts';

describe('the question in a recorded consultation', () => {
  it('drops the recorder’s opening and the 咨询 after it', () => {
    expect(questionOf('市民来电称，咨询婚姻登记是否需要预约。')).toBe('婚姻登记是否需要预约。');
    expect(questionOf('“渝快办”用户留言：咨询公租房申请需要哪些条件和材料。')).toBe('公租房申请需要哪些条件和材料。');
    expect(questionOf('市民通过网站反映：咨询创业担保贷款的申请条件。')).toBe('创业担保贷款的申请条件。');
    expect(questionOf('来电人反映：来电人家庭困难，咨询低保申请条件。')).toBe('来电人家庭困难，咨询低保申请条件。');
    expect(questionOf('群众反映，咨询住房公积金提取条件。')).toBe('住房公积金提取条件。');
    expect(questionOf('网民留言：咨询新能源汽车充电桩安装政策。')).toBe('新能源汽车充电桩安装政策。');
  });

  it('leaves a question asked in the caller’s own words as it is', () => {
    expect(questionOf('社保卡丢了怎么补办')).toBe('社保卡丢了怎么补办');
    expect(questionOf('请问公积金怎么提取')).toBe('公积金怎么提取');
    expect(questionOf('我家楼下的市民广场晚上很吵')).toBe('我家楼下的市民广场晚上很吵');
    expect(questionOf('咨询')).toBe('咨询');
  });
});
