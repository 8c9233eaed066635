import { useState } from 'react';
import { Alert, Form, Input, Modal, Select } from 'antd';
import { ApiError, post } from '../../api/client.ts';
import type { LinkageItem } from '../../api/types.ts';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { STEP_PATHS } from './linkage-labels.ts';

/** The fields each step asks for (the same as the server's schema). */
const FIELDS: Record<string, { name: string; label: string; enumKey?: string; required?: boolean; long?: boolean }[]> = {
  'transfer.accept': [],
  'transfer.reject': [{ name: 'reasonCode', label: '拒收原因', enumKey: 'rejectReasons', required: true }, { name: 'note', label: '说明' }],
  'negotiation.open': [{ name: 'note', label: '协商说明' }],
  'negotiation.resolve': [{ name: 'outcome', label: '协商结果', enumKey: 'negotiationOutcomes', required: true }, { name: 'note', label: '说明' }],
  'status.update': [{ name: 'status', label: '进展', enumKey: 'bridgeStatusValues', required: true }, { name: 'note', label: '说明' }],
  feedback: [{ name: 'disposition', label: '处置结果', enumKey: 'bridgeDispositions', required: true }, { name: 'summary', label: '处置情况', required: true, long: true }],
  'closure.confirm': [{ name: 'note', label: '说明' }],
  'closure.dispute': [{ name: 'reason', label: '异议理由', required: true, long: true }],
};

export function StepModal({ item, step, onClose, onDone }: { item: LinkageItem; step: string; onClose: () => void; onDone: (i: LinkageItem) => void }) {
  const ref = useReference();
  const [form] = Form.useForm<Record<string, string>>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const def = STEP_PATHS[step]!;
  const submit = async () => {
    const v = form.getFieldsValue();
    const body = Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x !== '').map(([k, x]) => [k, typeof x === 'string' ? x.trim() : x]));
    setBusy(true); setError(null);
    try { onDone(await post<LinkageItem>(`/api/linkage/items/${encodeURIComponent(item.itemId)}/${def.path}`, body)); } catch (e) {
      setError(e instanceof ApiError ? `${e.message}（${e.code}）` : (e as Error).message);
    } finally { setBusy(false); }
  };
  return (
    <Modal open title={`${def.label} · ${item.localNo ?? item.itemId}`} onCancel={onClose} onOk={() => void submit()} okText={def.label} confirmLoading={busy}
      okButtonProps={{ danger: def.danger, 'data-testid': 'step-submit' } as never} destroyOnHidden>
      {FIELDS[step]!.length === 0 && <p>确认{def.label}？签收后在本平台生成{item.peer === 'cq-110' || item.side === 'originator' ? '记录' : '工单或警情'}。</p>}
      <Form form={form} layout="vertical">
        {FIELDS[step]!.map((f) => (
          <Form.Item key={f.name} name={f.name} label={f.label} required={f.required}>
            {f.enumKey ? <Select options={enumOptions(ref.enums[f.enumKey])} data-testid={`step-${f.name}`} /> : <Input.TextArea rows={f.long ? 4 : 2} maxLength={2000} data-testid={`step-${f.name}`} />}
          </Form.Item>
        ))}
      </Form>
      {error && <Alert type="error" showIcon title={error} data-testid="step-error" />}
    </Modal>
  );
}
