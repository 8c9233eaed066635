import { Input, Select } from 'antd';
import type { LinkageItem } from '../../api/types.ts';
import { ActionFormModal, type ActionField } from '../../shared/ActionFormModal.tsx';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { STEP_PATHS, linkageNo } from './linkage-labels.ts';

/** The fields each step asks for (the same as the server's schema). */
const FIELDS: Record<string, { name: string; label: string; enumKey?: string; required?: boolean; long?: boolean }[]> =
  {
    'transfer.accept': [],
    'transfer.reject': [
      { name: 'reasonCode', label: '拒收原因', enumKey: 'rejectReasons', required: true },
      { name: 'note', label: '说明' },
    ],
    'negotiation.open': [{ name: 'note', label: '协商说明' }],
    'negotiation.resolve': [
      { name: 'outcome', label: '协商结果', enumKey: 'negotiationOutcomes', required: true },
      { name: 'note', label: '说明' },
    ],
    'status.update': [
      { name: 'status', label: '进展', enumKey: 'bridgeStatusValues', required: true },
      { name: 'note', label: '说明' },
    ],
    feedback: [
      { name: 'disposition', label: '处置结果', enumKey: 'bridgeDispositions', required: true },
      { name: 'summary', label: '处置情况', required: true, long: true },
    ],
    'closure.confirm': [{ name: 'note', label: '说明' }],
    'closure.dispute': [{ name: 'reason', label: '异议理由', required: true, long: true }],
  };

export function StepModal({
  item,
  step,
  onClose,
  onDone,
}: {
  item: LinkageItem;
  step: string;
  onClose: () => void;
  onDone: (i: LinkageItem) => void;
}) {
  const ref = useReference();
  const def = STEP_PATHS[step]!;
  const fields: ActionField[] = FIELDS[step]!.map((f) => ({
    name: f.name,
    label: f.label,
    required: f.required,
    input: f.enumKey ? (
      <Select options={enumOptions(ref.enums[f.enumKey])} data-testid={`step-${f.name}`} />
    ) : (
      <Input.TextArea rows={f.long ? 4 : 2} maxLength={2000} data-testid={`step-${f.name}`} />
    ),
  }));
  return (
    <ActionFormModal<LinkageItem>
      title={`${def.label} · ${linkageNo(item)}`}
      okText={def.label}
      danger={def.danger}
      fields={fields}
      url={`/api/linkage/items/${encodeURIComponent(item.itemId)}/${def.path}`}
      testIds={{ submit: 'step-submit', error: 'step-error' }}
      draftKey={`linkage.${item.itemId}.${def.path}`}
      onClose={onClose}
      onDone={onDone}
      intro={
        fields.length === 0 ? (
          <p>
            确认{def.label}？{step === 'transfer.accept' ? '签收后在本平台生成工单或警情。' : ''}
          </p>
        ) : undefined
      }
    />
  );
}
