/**
 * Caller details are kept apart from the request and shown masked to roles that do not need them
 * (GB/T 33358-2016: keep a caller's request confidential when asked).
 */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s+/g, '');
  if (digits.length <= 4) return '*'.repeat(digits.length);
  if (digits.length <= 7) return digits.slice(0, 1) + '*'.repeat(digits.length - 3) + digits.slice(-2);
  return digits.slice(0, 3) + '*'.repeat(digits.length - 7) + digits.slice(-4);
}

export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  return chars[0] + '*'.repeat(chars.length - 1);
}

/**
 * Personal data out of free text for readers who may not see it: ID card numbers, mobile and landline
 * numbers, e-mail addresses, plate numbers, and the given names (the caller's own) reduced to a surname.
 */
const TEXT_PATTERNS: readonly [RegExp, string][] = [
  [/\d{17}[\dXx]|\d{15}/g, '[身份证号已隐去]'],
  [/(?<!\d)1[3-9]\d{9}(?!\d)/g, '[手机号已隐去]'],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, '[电话已隐去]'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[邮箱已隐去]'],
  [/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}/g, '[车牌已隐去]'],
];

export function redactText(text: string, names: readonly (string | null | undefined)[] = []): string {
  let out = text;
  for (const [re, mask] of TEXT_PATTERNS) out = out.replace(re, mask);
  for (const n of names) {
    const name = n?.trim();
    if (name && name.length >= 2) out = out.split(name).join(`${name[0]}某`);
  }
  return out;
}
