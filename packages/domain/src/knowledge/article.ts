/**
 * A knowledge article's content, as GB/T 44191-2024 describes a knowledge item: title, category,
 * owning department, where and when it applies, its source document, the callers' phrasings, the
 * suggested spoken answer and the full text.
 */
import { fail, ok, type Result } from '../shared/result.ts';
import { checkBody } from './html.ts';

export const KNOWLEDGE_TOPICS = [
  '12345与110受理范围',
  '医保',
  '社保',
  '公积金',
  '户籍与居住证',
  '不动产登记',
  '教育入学',
  '交通出行',
  '城市管理',
  '市场监管',
  '税务',
  '婚育',
  '养老服务',
  '残疾人',
  '退役军人',
  '就业创业',
  '住房保障',
  '水电气',
  '其他',
] as const;

export interface ArticleContent {
  title: string;
  topic: string;
  department: string;
  /** ['*'] for the whole city, else GB/T 2260 district codes. */
  districts: string[];
  effectiveFrom: string;
  /** The last day the article is in force, or null. */
  expiresAt: string | null;
  sourceRef: string | null;
  questions: string[];
  answer: string;
  body: string;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DISTRICT = /^\d{6}$/;

const bad = (field: string, message: string) => fail('VALIDATION_FAILED', message, { field });

/** Checks an article's content (references to districts and sources are the server's to check). */
export function checkArticle(a: ArticleContent): Result<ArticleContent> {
  const title = a.title.trim();
  if (title.length < 4 || title.length > 60) return bad('title', '标题须为 4–60 个字');
  if (!(KNOWLEDGE_TOPICS as readonly string[]).includes(a.topic))
    return bad('topic', `分类须为：${KNOWLEDGE_TOPICS.join('、')}`);
  if (!a.department.trim() || a.department.length > 40) return bad('department', '须填写主管部门（40 字以内）');
  if (a.districts.length === 0) return bad('districts', '须选择适用区县，或适用全市');
  if (a.districts.includes('*') && a.districts.length > 1) return bad('districts', '适用全市时不能再选区县');
  if (!a.districts.includes('*') && !a.districts.every((d) => DISTRICT.test(d)))
    return bad('districts', '区县须为六位行政区划代码');
  if (new Set(a.districts).size !== a.districts.length) return bad('districts', '适用区县有重复');
  if (!DATE.test(a.effectiveFrom) || Number.isNaN(Date.parse(a.effectiveFrom)))
    return bad('effectiveFrom', '生效日期须为 YYYY-MM-DD');
  if (a.expiresAt !== null) {
    if (!DATE.test(a.expiresAt) || Number.isNaN(Date.parse(a.expiresAt)))
      return bad('expiresAt', '失效日期须为 YYYY-MM-DD');
    if (a.expiresAt < a.effectiveFrom) return bad('expiresAt', '失效日期不能早于生效日期');
  }
  if (a.questions.length === 0 || a.questions.length > 20) return bad('questions', '须填写 1–20 个常见问法');
  if (a.questions.some((q) => q.trim().length < 2 || q.length > 100))
    return bad('questions', '每个问法须为 2–100 个字');
  if (a.answer.trim().length < 10 || a.answer.length > 1000) return bad('answer', '答复口径须为 10–1000 个字');
  const body = checkBody(a.body);
  if (!body.ok) return { ...body, details: { ...body.details, field: 'body' } };
  return ok({
    ...a,
    title,
    department: a.department.trim(),
    questions: a.questions.map((q) => q.trim()),
    answer: a.answer.trim(),
  });
}

/** In force on `day` (YYYY-MM-DD, Beijing time): from its effective date to its last day, inclusive. */
export function inEffect(a: Pick<ArticleContent, 'effectiveFrom' | 'expiresAt'>, day: string): boolean {
  return a.effectiveFrom <= day && (a.expiresAt === null || day <= a.expiresAt);
}

/** Applies to a caller in `district` (GB/T 2260 code); with no district known, every article applies. */
export function appliesTo(a: Pick<ArticleContent, 'districts'>, district: string | null): boolean {
  return district === null || a.districts.includes('*') || a.districts.includes(district);
}
