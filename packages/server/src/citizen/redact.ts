/**
 * Personal data out of what the public sees: phone numbers, ID card numbers, e-mail addresses, plate
 * numbers and the caller's own name are masked in the content and the reply before they are shown
 * on the status page or the disclosure list (《个人信息保护法》: publish no more than the purpose needs).
 */
const PATTERNS: [RegExp, string][] = [
  [/\d{17}[\dXx]|\d{15}/g, '[身份证号已隐去]'],
  [/(?<!\d)1[3-9]\d{9}(?!\d)/g, '[手机号已隐去]'],
  [/(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g, '[电话已隐去]'],
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, '[邮箱已隐去]'],
  [/[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][A-Z0-9]{5,6}/g, '[车牌已隐去]'],
];

export function redact(text: string, names: (string | null | undefined)[] = []): string {
  let out = text;
  for (const [re, mask] of PATTERNS) out = out.replace(re, mask);
  for (const n of names) {
    const name = n?.trim();
    if (name && name.length >= 2) out = out.split(name).join(`${name[0]}某`);
  }
  return out;
}
