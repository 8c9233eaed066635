/** The knowledge base as the API returns it (GET /api/knowledge/articles, /articles/:id, /tasks). */
export interface ArticleContent {
  title: string;
  topic: string;
  department: string;
  districts: string[];
  effectiveFrom: string;
  expiresAt: string | null;
  sourceRef: string | null;
  questions: string[];
  answer: string;
  body: string;
}

export interface ArticleListItem {
  id: string;
  demo: boolean;
  title: string;
  topic: string;
  department: string;
  ownerUnitName: string | null;
  districts: string[];
  effectiveFrom: string;
  expiresAt: string | null;
  latestVersion: number;
  status: string;
  statusLabel: string;
  publishedVersion: number | null;
  statusChangedAt: string;
}

export interface ArticleVersion extends ArticleContent {
  articleId: string;
  version: number;
  status: string;
  statusLabel: string;
  basedOn: number | null;
  changeNote: string;
  createdBy: string;
  createdAt: string;
  statusChangedAt: string;
}

export interface ArticleDetail {
  id: string;
  demo: boolean;
  ownerUnitId: string | null;
  ownerUnitName: string | null;
  publishedVersion: number | null;
  latestVersion: number;
  mayChange: boolean;
  versions: ArticleVersion[];
  history: {
    version: number;
    action: string;
    actionLabel: string;
    toLabel: string;
    note: string | null;
    actor: string;
    at: string;
  }[];
}

export interface KnowledgeSource {
  ref: string;
  name: string;
  docNo: string;
  issuer: string;
  date: string;
}

/** 待补知识: a weekly consultation cluster no article answers, for its department to draft. */
export interface KnowledgeTask {
  id: string;
  period: string;
  label: string;
  terms: string[];
  count: number;
  examples: string[];
  category: { code: string; name: string } | null;
  owner: { id: string; name: string } | null;
  ownerName: string;
  dueAt: string;
  overdue: boolean;
  status: 'open' | 'drafted' | 'done' | 'dismissed';
  statusLabel: string;
  article: { id: string; title: string | null } | null;
  note: string | null;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
}
