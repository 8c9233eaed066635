/**
 * Look-ups in the business systems a caller asks about (plan task 8: 12345 linked with the social
 * security, medical insurance and housing fund systems, 在确保数据安全的条件下): one interface for the
 * three, called only with the caller's recorded consent, answers checked (they come from outside) and
 * shown masked.
 */
import { fail, ok, type Result } from '../shared/result.ts';
import { maskName } from '../shared/masking.ts';

export const BUSINESS_SYSTEMS = ['social_security', 'medical_insurance', 'housing_fund'] as const;
export type BusinessSystem = (typeof BUSINESS_SYSTEMS)[number];
export const BUSINESS_SYSTEM_LABELS: Record<BusinessSystem, string> = {
  social_security: '社保',
  medical_insurance: '医保',
  housing_fund: '住房公积金',
};

export const LOOKUP_QUERIES = ['balance', 'contributions', 'reimbursements'] as const;
export type LookupQuery = (typeof LOOKUP_QUERIES)[number];
export const LOOKUP_QUERY_LABELS: Record<LookupQuery, string> = {
  balance: '账户余额',
  contributions: '缴费记录',
  reimbursements: '报销进度',
};
/** What each system answers. */
export const SYSTEM_QUERIES: Record<BusinessSystem, readonly LookupQuery[]> = {
  social_security: ['balance', 'contributions'],
  medical_insurance: ['balance', 'contributions', 'reimbursements'],
  housing_fund: ['balance', 'contributions'],
};

/** A consent holds for the call it was given in (GB/T 33358-2016 keeps a caller's data to the matter). */
export const CONSENT_VALID_MINUTES = 60;

export interface LookupSubject {
  idNumber: string;
  name: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/** A resident identity card number (GB 11643-1999: 18 characters, the last a check digit). */
export function isIdNumber(s: string): boolean {
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  const sum = ID_WEIGHTS.reduce((acc, w, i) => acc + w * Number(s[i]), 0);
  return ID_CHECK[sum % 11] === s[17];
}

export function maskIdNumber(s: string): string {
  return s.length <= 7 ? '*'.repeat(s.length) : s.slice(0, 3) + '*'.repeat(s.length - 7) + s.slice(-4);
}

export function maskAccount(s: string): string {
  return s.length <= 4 ? '*'.repeat(s.length) : '*'.repeat(s.length - 4) + s.slice(-4);
}

export function checkSubject(s: LookupSubject): Result<LookupSubject> {
  const idNumber = s.idNumber.trim().toUpperCase();
  if (!isIdNumber(idNumber))
    return fail('VALIDATION_FAILED', '身份证号码不正确（18 位，末位校验码不符）', { field: 'idNumber' });
  const name = s.name.trim();
  if (name.length < 2 || name.length > 30) return fail('VALIDATION_FAILED', '姓名须为 2–30 个字', { field: 'name' });
  return ok({ idNumber, name });
}

export interface BalanceAnswer {
  query: 'balance';
  holder: string;
  accountNo: string;
  balance: number;
  asOf: string;
  status: string;
}
export interface ContributionsAnswer {
  query: 'contributions';
  holder: string;
  records: { period: string; amount: number; payer: string; status: string }[];
}
export interface ReimbursementsAnswer {
  query: 'reimbursements';
  holder: string;
  records: {
    claimNo: string;
    submittedOn: string;
    hospital: string;
    amount: number;
    reimbursed: number | null;
    status: string;
  }[];
}
export type LookupAnswer = BalanceAnswer | ContributionsAnswer | ReimbursementsAnswer;

const isStr = (v: unknown, max = 100): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;
const isMoney = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v < 1e10;
const isDay = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
const MAX_RECORDS = 500;

/** Checks what a business system answered (it is outside the project: trust nothing in it). */
export function parseLookupAnswer(query: LookupQuery, raw: unknown): Result<LookupAnswer> {
  const bad = (why: string) => fail('BUSINESS_SYSTEM_BAD_ANSWER', `业务系统返回的数据不合规：${why}`);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return bad('不是 JSON 对象');
  const r = raw as Record<string, unknown>;
  if (!isStr(r.holder, 30)) return bad('缺少 holder');
  if (query === 'balance') {
    if (!isStr(r.accountNo, 40) || !isMoney(r.balance) || !isDay(r.asOf) || !isStr(r.status, 20))
      return bad('余额字段（accountNo、balance、asOf、status）不完整');
    return ok({ query, holder: r.holder, accountNo: r.accountNo, balance: r.balance, asOf: r.asOf, status: r.status });
  }
  if (!Array.isArray(r.records) || r.records.length > MAX_RECORDS) return bad('records 须为数组');
  if (query === 'contributions') {
    const records: ContributionsAnswer['records'] = [];
    for (const x of r.records as Record<string, unknown>[]) {
      if (
        !x ||
        typeof x.period !== 'string' ||
        !/^\d{4}-\d{2}$/.test(x.period) ||
        !isMoney(x.amount) ||
        !isStr(x.payer) ||
        !isStr(x.status, 20)
      )
        return bad('缴费记录字段（period、amount、payer、status）不完整');
      records.push({ period: x.period, amount: x.amount, payer: x.payer, status: x.status });
    }
    return ok({ query, holder: r.holder, records });
  }
  const records: ReimbursementsAnswer['records'] = [];
  for (const x of r.records as Record<string, unknown>[]) {
    if (
      !x ||
      !isStr(x.claimNo, 40) ||
      !isDay(x.submittedOn) ||
      !isStr(x.hospital) ||
      !isMoney(x.amount) ||
      !isStr(x.status, 20)
    )
      return bad('报销记录字段（claimNo、submittedOn、hospital、amount、status）不完整');
    if (x.reimbursed !== null && x.reimbursed !== undefined && !isMoney(x.reimbursed))
      return bad('reimbursed 须为金额');
    records.push({
      claimNo: x.claimNo,
      submittedOn: x.submittedOn,
      hospital: x.hospital,
      amount: x.amount,
      reimbursed: (x.reimbursed as number | null | undefined) ?? null,
      status: x.status,
    });
  }
  return ok({ query, holder: r.holder, records });
}

/** What the screen shows: the holder's name and account numbers masked; amounts and dates as they are. */
export function maskLookupAnswer(a: LookupAnswer): LookupAnswer {
  if (a.query === 'balance') return { ...a, holder: maskName(a.holder), accountNo: maskAccount(a.accountNo) };
  if (a.query === 'contributions') return { ...a, holder: maskName(a.holder) };
  return {
    ...a,
    holder: maskName(a.holder),
    records: a.records.map((r) => ({ ...r, claimNo: maskAccount(r.claimNo) })),
  };
}
