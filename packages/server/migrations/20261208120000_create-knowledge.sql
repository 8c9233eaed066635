-- Policy knowledge base (政策知识库, GB/T 44191-2024): articles in versions with a review flow
-- draft → reviewed → published → withdrawn (an older version is superseded by a newer one), the policy
-- documents an article may cite, the search index of what is published, and the answers that used it.

-- The only documents an article may cite: name, 文号, issuing body, date, and where the team read it.
CREATE TABLE knowledge_sources (
  ref text PRIMARY KEY CHECK (ref ~ '^[A-Za-z0-9_-]{1,20}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  doc_no text NOT NULL CHECK (length(doc_no) BETWEEN 1 AND 200),
  issuer text NOT NULL CHECK (length(issuer) BETWEEN 1 AND 200),
  issued_on date NOT NULL,
  read_at text NOT NULL CHECK (length(read_at) BETWEEN 1 AND 2000),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE knowledge_articles (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,39}$'),
  -- the unit whose staff may propose changes (null: only the 12345 centre's editors)
  owner_unit_id text REFERENCES units (id),
  -- demonstration content shipped with Liandong, not a city's real policy
  demo boolean NOT NULL DEFAULT false,
  latest_version integer NOT NULL DEFAULT 0,
  published_version integer,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE knowledge_versions (
  article_id text NOT NULL REFERENCES knowledge_articles (id),
  version integer NOT NULL CHECK (version > 0),
  status text NOT NULL CHECK (status IN ('draft', 'reviewed', 'published', 'withdrawn', 'superseded')),
  based_on integer,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 60),
  topic text NOT NULL CHECK (length(topic) BETWEEN 1 AND 40),
  department text NOT NULL CHECK (length(department) BETWEEN 1 AND 40),
  -- '{*}' for the whole city, else GB/T 2260 district codes
  districts text[] NOT NULL CHECK (cardinality(districts) > 0),
  effective_from date NOT NULL,
  -- the last day in force
  expires_at date CHECK (expires_at IS NULL OR expires_at >= effective_from),
  source_ref text REFERENCES knowledge_sources (ref),
  questions text[] NOT NULL CHECK (cardinality(questions) BETWEEN 1 AND 20),
  answer text NOT NULL CHECK (length(answer) BETWEEN 1 AND 1000),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  change_note text NOT NULL CHECK (length(change_note) BETWEEN 1 AND 1000),
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (article_id, version),
  FOREIGN KEY (article_id, based_on) REFERENCES knowledge_versions (article_id, version)
);
-- At most one open (draft or reviewed) and one published version per article.
CREATE UNIQUE INDEX knowledge_versions_one_open ON knowledge_versions (article_id) WHERE status IN ('draft', 'reviewed');
CREATE UNIQUE INDEX knowledge_versions_one_published ON knowledge_versions (article_id) WHERE status = 'published';
CREATE INDEX knowledge_versions_status_idx ON knowledge_versions (status, status_changed_at);

-- A version's content is fixed once written: an edit is a new version. Only its status moves.
CREATE FUNCTION knowledge_version_content_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'knowledge versions are never deleted' USING ERRCODE = 'P0001';
  END IF;
  IF (NEW.article_id, NEW.version, NEW.based_on, NEW.title, NEW.topic, NEW.department, NEW.districts,
      NEW.effective_from, NEW.expires_at, NEW.source_ref, NEW.questions, NEW.answer, NEW.body,
      NEW.change_note, NEW.created_by, NEW.created_at)
     IS DISTINCT FROM
     (OLD.article_id, OLD.version, OLD.based_on, OLD.title, OLD.topic, OLD.department, OLD.districts,
      OLD.effective_from, OLD.expires_at, OLD.source_ref, OLD.questions, OLD.answer, OLD.body,
      OLD.change_note, OLD.created_by, OLD.created_at) THEN
    RAISE EXCEPTION 'a knowledge version''s content cannot change' USING ERRCODE = 'P0001';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER knowledge_versions_content_fixed BEFORE UPDATE OR DELETE ON knowledge_versions
  FOR EACH ROW EXECUTE FUNCTION knowledge_version_content_fixed();

-- Who did what to which version, when and why (append-only).
CREATE TABLE knowledge_version_actions (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id text NOT NULL,
  version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'review', 'send_back', 'publish', 'withdraw', 'supersede')),
  from_status text,
  to_status text NOT NULL,
  note text CHECK (note IS NULL OR length(note) <= 1000),
  actor_id uuid REFERENCES users (id),
  actor_name text NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (article_id, version) REFERENCES knowledge_versions (article_id, version)
);
CREATE INDEX knowledge_version_actions_article_idx ON knowledge_version_actions (article_id, id);
CREATE TRIGGER knowledge_version_actions_append_only BEFORE UPDATE OR DELETE ON knowledge_version_actions
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- What answers: the published version of each article. Ranking reads only this narrow table: the
-- search vector (jieba tokens joined by spaces into to_tsvector('simple', …); weight A title and
-- callers' phrasings, B the spoken answer, C the body, D topic and department) kept inline, and what
-- decides whether the article applies (in effect on the day, in the caller's district).
CREATE TABLE knowledge_search (
  article_id text PRIMARY KEY REFERENCES knowledge_articles (id),
  version integer NOT NULL,
  topic text NOT NULL,
  districts text[] NOT NULL,
  effective_from date NOT NULL,
  expires_at date,
  search_vector tsvector NOT NULL,
  FOREIGN KEY (article_id, version) REFERENCES knowledge_versions (article_id, version)
) WITH (toast_tuple_target = 8160);
ALTER TABLE knowledge_search ALTER COLUMN search_vector SET STORAGE MAIN;
CREATE INDEX knowledge_search_vector_idx ON knowledge_search USING gin (search_vector);

-- The texts of what answers, read for the best results only.
CREATE TABLE knowledge_search_texts (
  article_id text PRIMARY KEY REFERENCES knowledge_search (article_id) ON DELETE CASCADE,
  title text NOT NULL,
  department text NOT NULL,
  source_ref text REFERENCES knowledge_sources (ref),
  questions text[] NOT NULL,
  answer text NOT NULL,
  body_text text NOT NULL
);

-- Bumped whenever the index changes, so every process knows to reload its word statistics.
CREATE TABLE knowledge_index_state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  generation bigint NOT NULL DEFAULT 0
);
INSERT INTO knowledge_index_state DEFAULT VALUES;
CREATE FUNCTION knowledge_index_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE knowledge_index_state SET generation = generation + 1;
  RETURN NULL;
END $$;
CREATE TRIGGER knowledge_search_bump AFTER INSERT OR UPDATE OR DELETE ON knowledge_search
  FOR EACH STATEMENT EXECUTE FUNCTION knowledge_index_bump();

-- Which article (and version) an answer used: a call-taker's 直接答复, the public chat, the IVR.
CREATE TABLE knowledge_answer_uses (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  article_id text NOT NULL,
  version integer NOT NULL,
  channel text NOT NULL CHECK (channel IN ('intake', 'chat', 'ivr')),
  request_id uuid REFERENCES requests (id),
  work_order_id uuid REFERENCES work_orders (id),
  used_by uuid REFERENCES users (id),
  used_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (article_id, version) REFERENCES knowledge_versions (article_id, version)
);
CREATE INDEX knowledge_answer_uses_article_idx ON knowledge_answer_uses (article_id, used_at);
CREATE INDEX knowledge_answer_uses_order_idx ON knowledge_answer_uses (work_order_id);
CREATE TRIGGER knowledge_answer_uses_append_only BEFORE UPDATE OR DELETE ON knowledge_answer_uses
  FOR EACH ROW EXECUTE FUNCTION refuse_change();
