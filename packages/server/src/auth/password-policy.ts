/**
 * The password policy (等保 2.0 level 3, 身份鉴别): a password set by an administrator, an import or the
 * user themself is at least `minLength` characters, mixes `minClasses` of lower-case letters, upper-case
 * letters, digits and other characters, does not contain the user name, and is not a common password
 * (common-passwords.ts) — nor one with digits and symbols around it, or with letters written as digits.
 */
import type { AuthConfig } from '../config.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

export type PasswordRules = Pick<AuthConfig, 'passwordMinLength' | 'passwordMinClasses'>;

const COMMON = new Set(COMMON_PASSWORDS);
const LEET: Record<string, string> = {
  '@': 'a',
  '4': 'a',
  '0': 'o',
  '3': 'e',
  '1': 'i',
  '!': 'i',
  $: 's',
  '5': 's',
  '7': 't',
};

/** The forms of a password compared with the list: as typed, unleeted, without the digits and symbols around it. */
function forms(password: string): string[] {
  const lower = password.toLowerCase();
  const unleet = [...lower].map((c) => LEET[c] ?? c).join('');
  const out = new Set([lower, unleet, unleet.replace(/i/g, 'l')]);
  for (const f of [lower, unleet]) {
    const core = f.replace(/^[^a-z]+|[^a-z]+$/g, '');
    if (core.length >= 4) out.add(core);
  }
  // letters with digits or symbols after them ("password2026!")
  const head = lower.replace(/[^a-z]+$/, '');
  if (head.length >= 4) out.add(head);
  return [...out];
}

/** A character repeated or one straight run ("aaaaaaaaaa", "abcdefghij", "9876543210"). */
function trivial(password: string): boolean {
  const cps = [...password].map((c) => c.codePointAt(0)!);
  if (cps.every((c) => c === cps[0])) return true;
  const step = cps[1]! - cps[0]!;
  return Math.abs(step) === 1 && cps.every((c, i) => i === 0 || c - cps[i - 1]! === step);
}

export function classesOf(password: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((r) => r.test(password)).length;
}

/** The first rule the password breaks, or null. */
export function passwordProblem(
  password: string,
  username: string,
  rules: PasswordRules,
): { code: ErrorCode; message: string } | null {
  if ([...password].length < rules.passwordMinLength)
    return { code: 'PASSWORD_TOO_SHORT', message: `密码至少须${rules.passwordMinLength}位` };
  if (classesOf(password) < rules.passwordMinClasses)
    return {
      code: 'PASSWORD_TOO_SIMPLE',
      message: `密码须包含小写字母、大写字母、数字、其他字符中的至少${rules.passwordMinClasses}类`,
    };
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (name.length >= 3 && (lower.includes(name) || lower.includes([...name].reverse().join(''))))
    return { code: 'PASSWORD_CONTAINS_USERNAME', message: '密码不能包含用户名' };
  if (trivial(password) || forms(password).some((f) => COMMON.has(f)))
    return { code: 'PASSWORD_COMMON', message: '密码过于常见或简单，容易被猜到，请换一个' };
  return null;
}

export function checkPassword(password: string, username: string, rules: PasswordRules): void {
  const p = passwordProblem(password, username, rules);
  if (p) throw new AppError(p.code, p.message);
}
