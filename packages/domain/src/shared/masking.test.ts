import { describe, expect, it } from 'vitest';
import { maskName, maskPhone, redactText } from './masking.ts';
import { seesCallerUnmasked } from './roles.ts';

describe('masking', () => {
  it.each([
    ['13812345678', '138****5678'],
    ['023-63851234', '023*****1234'],
    ['110', '***'],
    ['12345', '1**45'],
  ])('phone %s → %s', (input, out) => expect(maskPhone(input)).toBe(out));
  it.each([
    ['张三', '张*'],
    ['欧阳娜娜', '欧***'],
    ['李', '*'],
    ['', ''],
  ])('name %s → %s', (input, out) => expect(maskName(input)).toBe(out));
  it('analysts never see callers; handlers do unless the caller asked for confidentiality', () => {
    expect(seesCallerUnmasked('analyst', false)).toBe(false);
    expect(seesCallerUnmasked('department_handler', false)).toBe(true);
    expect(seesCallerUnmasked('department_handler', true)).toBe(false);
    expect(seesCallerUnmasked('call_taker', true)).toBe(true);
  });
  it('takes numbers, addresses of mail, plates and the given names out of free text', () => {
    expect(
      redactText(
        '王小明说他电话13812345678，座机023-63851234，身份证500101199001011234，车渝A12345，邮箱wxm@example.com',
        ['王小明', null, '李'],
      ),
    ).toBe('王某说他电话[手机号已隐去]，座机[电话已隐去]，身份证[身份证号已隐去]，车[车牌已隐去]，邮箱[邮箱已隐去]');
    expect(redactText('楼下噪音很大，已经三天了')).toBe('楼下噪音很大，已经三天了');
  });
});
