-- A triage outcome says when a person must look (issue 10): the model was out of its depth, or the
-- evidence was thin or conflicting. Not needs_consultation, which means a three-party consultation.
ALTER TABLE triage_outcomes ADD COLUMN review boolean NOT NULL DEFAULT false;
