import { useState } from 'react';
import { Alert, App, Input, Modal } from 'antd';
import { ApiError, post } from '../../api/client.ts';

/** 催办: a message to the handler of an order (its lead unit) or of a linkage item (the seats). */
export function RemindModal({ target, onClose, onDone }: { target: { kind: 'order' | 'linkage'; id: string; label: string }; onClose: () => void; onDone: () => void }) {
  const { message } = App.useApp();
  const [text, setText] = useState(target.kind === 'order' ? '请尽快办理并按时答复。' : '请尽快签收处理。');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async () => {
    setBusy(true); setError(null);
    try {
      const url = target.kind === 'order' ? `/api/work-orders/${target.id}/remind` : `/api/linkage/items/${encodeURIComponent(target.id)}/remind`;
      await post(url, { message: text });
      message.success('催办已送达');
      onDone();
    } catch (e) { setError(e instanceof ApiError ? `${e.message}（${e.code}）` : (e as Error).message); } finally { setBusy(false); }
  };
  return (
    <Modal open title={`催办 · ${target.label}`} onCancel={onClose} onOk={() => void send()} okText="发送催办" confirmLoading={busy} okButtonProps={{ 'data-testid': 'remind-submit' } as never} destroyOnHidden>
      <Input.TextArea rows={3} maxLength={500} showCount value={text} onChange={(e) => setText(e.target.value)} data-testid="remind-text" />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} data-testid="remind-error" />}
    </Modal>
  );
}
