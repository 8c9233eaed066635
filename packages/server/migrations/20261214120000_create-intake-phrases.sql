-- 常用语 (issue 14): the phrases a call-taker puts into 诉求内容 with Alt+P, kept by this desk's
-- administrators (added, edited, reordered, deleted). Seeded with the list the console had built in.
CREATE TABLE intake_phrases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  text text NOT NULL CHECK (length(btrim(text)) BETWEEN 1 AND 200),
  position integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES users (id)
);
CREATE UNIQUE INDEX intake_phrases_text ON intake_phrases (text);
CREATE INDEX intake_phrases_position ON intake_phrases (position);

INSERT INTO intake_phrases (text, position)
SELECT t, n FROM unnest(ARRAY[
  '来电人反映：',
  '来电人咨询：',
  '来电人投诉：',
  '来电人建议：',
  '来电人求助：',
  '来电人要求尽快处理。',
  '来电人要求回复处理结果。',
  '来电人要求相关部门到现场核实处理。',
  '来电人此前已多次反映，问题仍未解决。',
  '来电人不愿留下姓名。',
  '来电人要求对其个人信息保密。'
]) WITH ORDINALITY AS p(t, n);
