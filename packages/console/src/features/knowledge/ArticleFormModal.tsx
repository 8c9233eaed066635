/**
 * Writing an article version: a new article, a change to one (a new draft on the newest version), or the
 * article a 待补知识 task asks for. Every field of GB/T 44191's record: title, topic, owning department,
 * districts, effective and expiry dates, the policy document (only from the repository's list), the ways
 * callers ask, the wording a call-taker reads out, the body, and why it was written or changed.
 */
import { useEffect, useState } from 'react';
import { Alert, DatePicker, Form, Input, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { errorText, get, post } from '../../api/client.ts';
import { useReference } from '../../shared/reference.tsx';
import { bodyToText, textToBody } from './body.tsx';
import type { ArticleContent, KnowledgeSource } from './types.ts';

interface Values {
  title: string;
  topic: string;
  department: string;
  districts: string[];
  effectiveFrom: Dayjs;
  expiresAt?: Dayjs | null;
  sourceRef?: string | null;
  questions: string;
  answer: string;
  body: string;
  changeNote: string;
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

export function ArticleFormModal<T>({
  title,
  okText,
  url,
  initial,
  basedOn,
  intro,
  onClose,
  onDone,
}: {
  title: string;
  okText: string;
  url: string;
  initial: Partial<ArticleContent>;
  /** For a change: the version it is based on (the newest). */
  basedOn?: number;
  intro?: React.ReactNode;
  onClose: () => void;
  onDone: (result: T) => void;
}) {
  const { enums, districts } = useReference();
  const [form] = Form.useForm<Values>();
  const [sources, setSources] = useState<KnowledgeSource[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    void get<KnowledgeSource[]>('/api/knowledge/sources')
      .then(setSources)
      .catch(() => setSources([]));
  }, []);
  const submit = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await post<T>(url, {
        ...(basedOn !== undefined ? { basedOn } : {}),
        title: v.title.trim(),
        topic: v.topic,
        department: v.department.trim(),
        districts: v.districts,
        effectiveFrom: v.effectiveFrom.format('YYYY-MM-DD'),
        expiresAt: v.expiresAt ? v.expiresAt.format('YYYY-MM-DD') : null,
        sourceRef: v.sourceRef ?? null,
        questions: lines(v.questions),
        answer: v.answer.trim(),
        body: textToBody(v.body),
        changeNote: v.changeNote.trim(),
      });
      onDone(result);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const required = (label: string) => [{ required: true, whitespace: true, message: `请填写${label}` }];
  return (
    <Modal
      open
      width={760}
      title={title}
      okText={okText}
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'article-form-submit' } as never}
      destroyOnHidden
    >
      {intro}
      <Form
        form={form}
        layout="vertical"
        data-testid="article-form"
        initialValues={{
          title: initial.title ?? '',
          topic: initial.topic,
          department: initial.department ?? '',
          districts: initial.districts ?? ['*'],
          effectiveFrom: initial.effectiveFrom ? dayjs(initial.effectiveFrom) : dayjs(),
          expiresAt: initial.expiresAt ? dayjs(initial.expiresAt) : null,
          sourceRef: initial.sourceRef ?? undefined,
          questions: (initial.questions ?? []).join('\n'),
          answer: initial.answer ?? '',
          body: initial.body ? bodyToText(initial.body) : '',
          changeNote: '',
        }}
      >
        <Form.Item name="title" label="标题" rules={required('标题')}>
          <Input maxLength={60} data-testid="article-title" />
        </Form.Item>
        <div className="form-row">
          <Form.Item name="topic" label="分类" rules={[{ required: true, message: '请选择分类' }]}>
            <Select
              showSearch
              optionFilterProp="label"
              data-testid="article-topic"
              options={Object.keys(enums.knowledgeTopics ?? {}).map((t) => ({ value: t, label: t }))}
            />
          </Form.Item>
          <Form.Item name="department" label="主管部门" rules={required('主管部门')}>
            <Input maxLength={40} data-testid="article-department" />
          </Form.Item>
        </div>
        <Form.Item name="districts" label="适用区县" rules={[{ required: true, message: '请选择适用区县' }]}>
          <Select
            mode="multiple"
            data-testid="article-districts"
            optionFilterProp="label"
            options={[{ value: '*', label: '全市' }, ...districts.map((d) => ({ value: d.code, label: d.name }))]}
          />
        </Form.Item>
        <div className="form-row">
          <Form.Item name="effectiveFrom" label="生效日期" rules={[{ required: true, message: '请选择生效日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="expiresAt" label="失效日期（不填为长期有效）">
            <DatePicker />
          </Form.Item>
          <Form.Item name="sourceRef" label="政策依据（文件清单）">
            <Select
              allowClear
              showSearch
              optionFilterProp="label"
              style={{ minWidth: 220 }}
              options={sources.map((s) => ({ value: s.ref, label: `${s.name}（${s.docNo}）` }))}
            />
          </Form.Item>
        </div>
        <Form.Item name="questions" label="常见问法（每行一种）" rules={required('常见问法')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="article-questions" />
        </Form.Item>
        <Form.Item name="answer" label="答复口径（话务员直接答复所用）" rules={required('答复口径')}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={1000} data-testid="article-answer" />
        </Form.Item>
        <Form.Item
          name="body"
          label="正文（段落间空一行；“## ”开头为小标题，“- ”开头为列表项）"
          rules={required('正文')}
        >
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} data-testid="article-body" />
        </Form.Item>
        <Form.Item name="changeNote" label="编写或修改说明" rules={required('编写或修改说明')}>
          <Input maxLength={1000} data-testid="article-change-note" />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="article-form-error" />}
    </Modal>
  );
}
