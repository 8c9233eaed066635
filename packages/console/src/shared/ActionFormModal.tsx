/**
 * The one form-in-a-modal behind every action of the console (work-order actions, incident actions,
 * linkage steps): collects the fields, posts them, and shows the server's own message when it refuses.
 * It closes only when the action succeeded.
 *
 * With a `draftKey` (the record and the action), what was typed in its text fields is kept in this browser
 * (shared/drafts.ts) until the action is done or the form is cancelled: a session that ends meanwhile
 * (idle, at the end of its lifetime) leaves it, and the same form on the same record brings it back.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Form, Modal } from 'antd';
import { errorText, post } from '../api/client.ts';
import { useAuth } from '../auth/AuthContext.tsx';
import { clearDraft, loadDraft, saveDraft } from './drafts.ts';

/** What a draft keeps: the text typed and the choices made (strings), not dates. */
const typed = (v: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string' && x.trim() !== ''));

export interface ActionField {
  name: string;
  label: string;
  required?: boolean;
  input: ReactNode;
  toBody?: (v: unknown) => unknown;
}

export function ActionFormModal<T>({
  title,
  okText,
  danger,
  url,
  fields,
  intro,
  initialValues,
  testIds,
  onClose,
  onDone,
  onValues,
  draftKey,
  extraBody,
}: {
  title: string;
  okText: string;
  danger?: boolean;
  url: string;
  fields: ActionField[];
  intro?: ReactNode;
  initialValues?: Record<string, unknown>;
  testIds: { submit: string; error: string };
  onClose: () => void;
  onDone: (result: T) => void;
  onValues?: (v: Record<string, unknown>) => void;
  /** Keeps what is typed until done or cancelled (see above); e.g. `work-order.<id>.reply`. */
  draftKey?: string;
  /** What the body carries besides the fields, read when it is posted (the call the form is about …). */
  extraBody?: () => Record<string, unknown>;
}) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { me } = useAuth();
  const userId = me?.id;
  const draftName = draftKey ? `action.${draftKey}` : null;
  // read once, when the form opens
  const [restored] = useState(() =>
    userId && draftName ? typed(loadDraft<Record<string, unknown>>(userId, draftName) ?? {}) : {},
  );
  const hasRestored = Object.keys(restored).length > 0;
  const forget = () => {
    if (userId && draftName) clearDraft(userId, draftName);
  };
  const submit = async () => {
    const v = form.getFieldsValue();
    const body: Record<string, unknown> = { ...extraBody?.() };
    for (const f of fields) {
      const x = v[f.name];
      if (x === undefined || x === null || x === '') continue;
      body[f.name] = f.toBody ? f.toBody(x) : typeof x === 'string' ? x.trim() : x;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await post<T>(url, body);
      forget();
      onDone(result);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal
      open
      title={title}
      onCancel={() => {
        forget();
        onClose();
      }}
      onOk={() => void submit()}
      okText={okText}
      confirmLoading={busy}
      okButtonProps={{ danger, 'data-testid': testIds.submit } as never}
      destroyOnHidden
    >
      {intro}
      {hasRestored && (
        <Alert
          type="info"
          showIcon
          title="已恢复上次未提交的内容"
          style={{ marginBottom: 12 }}
          data-testid="action-draft-restored"
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ ...initialValues, ...restored }}
        onValuesChange={(_, all) => {
          if (userId && draftName) saveDraft(userId, draftName, typed(all));
          onValues?.(all);
        }}
      >
        {fields.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} required={f.required}>
            {f.input}
          </Form.Item>
        ))}
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid={testIds.error} />}
    </Modal>
  );
}
