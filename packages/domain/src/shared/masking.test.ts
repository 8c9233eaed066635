import { describe, expect, it } from 'vitest';
import { maskName, maskPhone } from './masking.ts';
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
});
