/** Knowledge-base records as the API shows them (Chinese labels beside codes, for the console). */
import {
  KNOWLEDGE_ACTION_LABELS,
  KNOWLEDGE_STATUS_LABELS,
  type KnowledgeAction,
  type KnowledgeStatus,
} from '@liandong/domain';
import { contentOf, type ArticleListRow, type ArticleRow, type SourceRow, type VersionRow } from './articles.repo.ts';

export const presentSource = (s: SourceRow) => ({
  ref: s.ref,
  name: s.name,
  docNo: s.doc_no,
  issuer: s.issuer,
  date: s.issued_on,
  readAt: s.read_at,
});

export const presentVersion = (v: VersionRow) => ({
  articleId: v.article_id,
  version: v.version,
  status: v.status,
  statusLabel: KNOWLEDGE_STATUS_LABELS[v.status],
  basedOn: v.based_on,
  ...contentOf(v),
  changeNote: v.change_note,
  createdBy: v.created_by_name ?? '系统',
  createdAt: v.created_at.toISOString(),
  statusChangedAt: v.status_changed_at.toISOString(),
});

export function presentArticle(a: {
  article: ArticleRow;
  versions: VersionRow[];
  history: {
    version: number;
    action: string;
    from_status: string | null;
    to_status: string;
    note: string | null;
    actor_name: string;
    at: Date;
  }[];
  mayChange: boolean;
}) {
  return {
    id: a.article.id,
    demo: a.article.demo,
    ownerUnitId: a.article.owner_unit_id,
    ownerUnitName: a.article.owner_unit_name,
    publishedVersion: a.article.published_version,
    latestVersion: a.article.latest_version,
    mayChange: a.mayChange,
    versions: a.versions.map(presentVersion),
    history: a.history.map((h) => ({
      version: h.version,
      action: h.action,
      actionLabel: h.action === 'create' ? '编写' : KNOWLEDGE_ACTION_LABELS[h.action as KnowledgeAction],
      from: h.from_status,
      to: h.to_status,
      toLabel: KNOWLEDGE_STATUS_LABELS[h.to_status as KnowledgeStatus],
      note: h.note,
      actor: h.actor_name,
      at: h.at.toISOString(),
    })),
  };
}

export const presentListItem = (r: ArticleListRow) => ({
  id: r.id,
  demo: r.demo,
  title: r.title,
  topic: r.topic,
  department: r.department,
  ownerUnitName: r.owner_unit_name,
  districts: r.districts,
  effectiveFrom: r.effective_from,
  expiresAt: r.expires_at,
  latestVersion: r.version,
  status: r.status,
  statusLabel: KNOWLEDGE_STATUS_LABELS[r.status],
  publishedVersion: r.published_version,
  statusChangedAt: r.status_changed_at.toISOString(),
});
