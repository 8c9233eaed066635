/**
 * The public page's self-service answering (智能应答, plan 任务6/任务8; issue 15 item 4): a citizen asks in
 * their own words and gets the answer of a published article in force, quoted as it stands, with its
 * department and its source document — or, when no article answers, a plain "we do not know" and the
 * way to a person (a request filed with the conversation attached). Nothing is written that is not in an
 * article. A danger is never answered from the knowledge base: the emergency numbers come first.
 */
import { AppError } from '../errors.ts';
import type { Db } from '../db/pool.ts';
import { insertAnswerUse } from '../knowledge/articles.repo.ts';
import type { KnowledgeService } from '../knowledge/knowledge.service.ts';
import type { TriageService } from '../triage/triage.service.ts';
import { emergencyNumbers, type CitizenService } from './citizen.service.ts';

export const CHAT_UNKNOWN =
  '抱歉，知识库中没有能准确回答这个问题的内容。您可以点击“转人工”提交诉求，由工作人员答复；也可以拨打12345热线。';
export const CHAT_EMERGENCY = '您描述的情况可能危及人身或财产安全，请立即拨打紧急电话，不要在网上等待答复。';

export type ChatAnswer =
  | {
      kind: 'answer';
      answer: {
        articleId: string;
        version: number;
        title: string;
        /** the article's answer, word for word */
        text: string;
        department: string;
        effectiveFrom: string;
        expiresAt: string | null;
        source: { name: string; docNo: string; issuer: string; issuedOn: string } | null;
        /** demonstration content shipped with Liandong, not a city's real policy */
        demo: boolean;
      };
      related: { articleId: string; title: string }[];
    }
  | { kind: 'unknown'; message: string }
  | { kind: 'emergency'; message: string; callNow: string[] };

export class PublicChat {
  constructor(
    private readonly db: Db,
    private readonly knowledge: KnowledgeService,
    private readonly triage: TriageService,
    private readonly citizen: CitizenService,
  ) {}

  async ask(ip: string, question: string, district?: string): Promise<ChatAnswer> {
    const q = question.trim();
    if (q.length < 2) throw new AppError('VALIDATION_FAILED', '请输入您要咨询的问题', { field: 'question' });
    await this.citizen.limit('chatPerIp', ip);
    await this.knowledge.checkDistrict(district ?? null);
    const t = await this.triage.suggest(q, 'web').catch(() => null);
    if (t?.emergency)
      return { kind: 'emergency', message: CHAT_EMERGENCY, callNow: emergencyNumbers(t.route, t.linked) };
    const found = await this.knowledge.search.search(q, { district: district ?? null, limit: 3 });
    const best = found.items[0];
    if (!found.answerable || !best) return { kind: 'unknown', message: CHAT_UNKNOWN };
    const meta = (
      await this.db.query<{
        demo: boolean;
        name: string | null;
        doc_no: string | null;
        issuer: string | null;
        issued_on: string | null;
      }>(
        `SELECT a.demo, s.name, s.doc_no, s.issuer, to_char(s.issued_on, 'YYYY-MM-DD') AS issued_on
           FROM knowledge_articles a LEFT JOIN knowledge_sources s ON s.ref = $2
          WHERE a.id = $1`,
        [best.articleId, best.sourceRef],
      )
    ).rows[0];
    // which article (and version) answered, as the call-taker's answers are counted
    await insertAnswerUse(this.db, {
      articleId: best.articleId,
      version: best.version,
      channel: 'chat',
      requestId: null,
      workOrderId: null,
      usedBy: null,
    });
    return {
      kind: 'answer',
      answer: {
        articleId: best.articleId,
        version: best.version,
        title: best.title,
        text: best.answer,
        department: best.department,
        effectiveFrom: best.effectiveFrom,
        expiresAt: best.expiresAt,
        source:
          meta?.name && meta.doc_no && meta.issuer && meta.issued_on
            ? { name: meta.name, docNo: meta.doc_no, issuer: meta.issuer, issuedOn: meta.issued_on }
            : null,
        demo: meta?.demo ?? false,
      },
      related: found.items
        .slice(1)
        .filter((i) => i.articleId !== best.articleId)
        .map((i) => ({ articleId: i.articleId, title: i.title })),
    };
  }
}
