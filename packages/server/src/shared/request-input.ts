import type { TriageOutcome } from '@liandong/domain';
import { AppError } from '../errors.ts';
import type { NewRequest } from './requests.repo.ts';

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

/** What both desks' intake forms send about the request itself. */
export interface RequestInput {
  caller?: { name?: string; phone?: string };
  confidential?: boolean;
  content: string;
  address?: string;
  districtCode?: string;
  streetCode?: string;
  lat?: number;
  lng?: number;
  receivedAt?: string;
  clientRef?: string;
}

/** The request to store: the input trimmed and checked (checkRequestInput), on its channel, with its triage. */
export function newRequest(
  input: RequestInput,
  checked: { content: string; receivedAt: Date },
  channel: string,
  triage: TriageOutcome | null,
): NewRequest {
  return {
    triage,
    channel,
    callerName: input.caller?.name?.trim() || null,
    callerPhone: input.caller?.phone?.trim() || null,
    confidential: input.confidential ?? false,
    content: checked.content,
    address: input.address?.trim() ?? '',
    districtCode: input.districtCode ?? null,
    streetCode: input.streetCode ?? null,
    lat: input.lat ?? null,
    lng: input.lng ?? null,
    receivedAt: checked.receivedAt,
    clientRef: input.clientRef ?? null,
  };
}
