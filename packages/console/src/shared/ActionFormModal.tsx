/**
 * The one form-in-a-modal behind every action of the console (work-order actions, incident actions,
 * linkage steps): collects the fields, posts them, and shows the server's own message when it refuses.
 * It closes only when the action succeeded.
 */
import { useState, type ReactNode } from 'react';
import { Alert, Form, Modal } from 'antd';
import { errorText, post } from '../api/client.ts';

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
}) {
  const [form] = Form.useForm<Record<string, unknown>>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    const v = form.getFieldsValue();
    const body: Record<string, unknown> = {};
    for (const f of fields) {
      const x = v[f.name];
      if (x === undefined || x === null || x === '') continue;
      body[f.name] = f.toBody ? f.toBody(x) : typeof x === 'string' ? x.trim() : x;
    }
    setBusy(true);
    setError(null);
    try {
      onDone(await post<T>(url, body));
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
      onCancel={onClose}
      onOk={() => void submit()}
      okText={okText}
      confirmLoading={busy}
      okButtonProps={{ danger, 'data-testid': testIds.submit } as never}
      destroyOnHidden
    >
      {intro}
      <Form form={form} layout="vertical" initialValues={initialValues} onValuesChange={(_, all) => onValues?.(all)}>
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
