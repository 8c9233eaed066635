-- Keeping the knowledge base current (plan task 8; issue 15 item 7): a weekly high-frequency consultation
-- cluster that no published article answers becomes a draft-article task (待补知识) for the department that
-- owns its subject, with a deadline; the task is closed when its article is published, when an editor
-- links an article that already answers it, or when an editor dismisses it with a reason.
CREATE TABLE knowledge_tasks (
  id bigserial PRIMARY KEY,
  -- the ISO week of the consultation list, e.g. 2026-W48
  period text NOT NULL CHECK (period ~ '^\d{4}-W\d{2}$'),
  -- the cluster's name (its top terms); one task per cluster and week
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
  terms text[] NOT NULL,
  request_count integer NOT NULL CHECK (request_count > 0),
  -- the requests' texts, masked as the analysis share feed masks them
  examples text[] NOT NULL,
  category_code text REFERENCES catalogue_categories (code),
  -- the department that drafts the article (null: the 12345 centre's own editors)
  owner_unit_id text REFERENCES units (id),
  due_at timestamptz NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'drafted', 'done', 'dismissed')),
  article_id text REFERENCES knowledge_articles (id),
  note text CHECK (note IS NULL OR length(note) BETWEEN 1 AND 1000),
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by uuid REFERENCES users (id),
  closed_at timestamptz,
  closed_by uuid REFERENCES users (id),
  UNIQUE (period, label),
  CHECK (status NOT IN ('drafted', 'done') OR article_id IS NOT NULL),
  CHECK (status <> 'open' OR article_id IS NULL),
  CHECK ((status IN ('done', 'dismissed')) = (closed_at IS NOT NULL)),
  CHECK (status <> 'dismissed' OR note IS NOT NULL)
);
CREATE INDEX knowledge_tasks_open_idx ON knowledge_tasks (owner_unit_id, due_at) WHERE status IN ('open', 'drafted');
CREATE INDEX knowledge_tasks_article_idx ON knowledge_tasks (article_id) WHERE article_id IS NOT NULL;
