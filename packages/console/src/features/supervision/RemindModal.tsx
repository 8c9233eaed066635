import { App, Input } from 'antd';
import { ActionFormModal } from '../../shared/ActionFormModal.tsx';

/** 催办: a message to the handler of an order (its lead unit) or of a linkage item (the seats). */
export function RemindModal({
  target,
  onClose,
  onDone,
}: {
  target: { kind: 'order' | 'linkage'; id: string; label: string };
  onClose: () => void;
  onDone: () => void;
}) {
  const { message } = App.useApp();
  const url =
    target.kind === 'order'
      ? `/api/work-orders/${target.id}/remind`
      : `/api/linkage/items/${encodeURIComponent(target.id)}/remind`;
  return (
    <ActionFormModal
      title={`催办 · ${target.label}`}
      okText="发送催办"
      url={url}
      testIds={{ submit: 'remind-submit', error: 'remind-error' }}
      initialValues={{ message: target.kind === 'order' ? '请尽快办理并按时答复。' : '请尽快签收处理。' }}
      fields={[
        {
          name: 'message',
          label: '催办内容',
          required: true,
          input: <Input.TextArea rows={3} maxLength={500} showCount data-testid="remind-text" />,
        },
      ]}
      onClose={onClose}
      onDone={() => {
        message.success('催办已送达');
        onDone();
      }}
    />
  );
}
