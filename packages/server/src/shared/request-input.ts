import { AppError } from '../errors.ts';

/** Checks shared by both desks' intake; returns the trimmed content and the receipt time. */
export function checkRequestInput(
  input: {
    content: string;
    lat?: number;
    lng?: number;
    streetCode?: string;
    districtCode?: string;
    receivedAt?: string;
  },
  what: '诉求' | '报警',
): { content: string; receivedAt: Date } {
  if ((input.lat === undefined) !== (input.lng === undefined))
    throw new AppError('VALIDATION_FAILED', '经纬度须同时提供');
  if (input.streetCode && !input.districtCode)
    throw new AppError('VALIDATION_FAILED', '填写街道（镇）时须同时填写区县');
  const receivedAt = input.receivedAt ? new Date(input.receivedAt) : new Date();
  if (receivedAt.getTime() > Date.now() + 5 * 60_000)
    throw new AppError('VALIDATION_FAILED', `${what === '诉求' ? '受理' : '接警'}时间不能晚于当前时间`);
  const content = input.content.trim();
  if (!content) throw new AppError('VALIDATION_FAILED', `${what}内容不能为空`);
  return { content, receivedAt };
}
