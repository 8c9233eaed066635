/** One form per work-order action, with the fields the server's schema asks for. */
import { DatePicker, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import type { WorkOrder } from '../../api/types.ts';
import { ActionFormModal, type ActionField } from '../../shared/ActionFormModal.tsx';
import { useAuth } from '../../auth/AuthContext.tsx';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { UnitSelect } from '../../shared/UnitSelect.tsx';
import { OrderDispatchSuggestions } from './DispatchSuggestions.tsx';
import { MergeCandidates } from './MergeCandidates.tsx';

type Field = {
  name: string;
  label: string;
  kind: 'note' | 'text' | 'enum' | 'unit' | 'datetime' | 'input';
  required?: boolean;
  enumKey?: string;
};

const note = (required: boolean, label = '说明'): Field => ({ name: 'note', label, kind: 'note', required });

export const ACTION_FORMS: Record<string, { title: string; fields: Field[]; danger?: boolean }> = {
  assign: {
    title: '派单',
    fields: [{ name: 'leadUnitId', label: '主办单位', kind: 'unit', required: true }, note(false)],
  },
  reassign: {
    title: '改派',
    fields: [{ name: 'leadUnitId', label: '新主办单位', kind: 'unit', required: true }, note(true, '改派原因')],
  },
  sign: { title: '签收', fields: [note(false)] },
  return: {
    title: '退单',
    danger: true,
    fields: [
      { name: 'reasonCode', label: '退单原因', kind: 'enum', enumKey: 'returnReasons', required: true },
      note(true, '具体说明'),
    ],
  },
  start: { title: '开始办理', fields: [note(false)] },
  reply: {
    title: '办结答复',
    fields: [
      { name: 'result', label: '办理结果', kind: 'enum', enumKey: 'replyResults', required: true },
      { name: 'reply', label: '答复内容', kind: 'text', required: true },
    ],
  },
  answer_directly: { title: '直接答复', fields: [{ name: 'reply', label: '答复内容', kind: 'text', required: true }] },
  request_extension: {
    title: '申请延期',
    fields: [
      { name: 'requestedDueAt', label: '申请延至', kind: 'datetime', required: true },
      { name: 'reason', label: '延期理由', kind: 'note', required: true },
    ],
  },
  approve_extension: { title: '同意延期', fields: [note(false)] },
  refuse_extension: { title: '驳回延期', danger: true, fields: [note(true, '驳回理由')] },
  follow_up: {
    title: '回访',
    fields: [
      { name: 'satisfaction', label: '满意度', kind: 'enum', enumKey: 'satisfaction', required: true },
      note(false),
    ],
  },
  reopen: { title: '重办', fields: [note(true, '重办要求')] },
  archive: { title: '归档', fields: [note(false)] },
  merge: {
    title: '并单',
    fields: [{ name: 'intoWorkOrderNo', label: '并入工单编号', kind: 'input', required: true }, note(false)],
  },
  supervise: { title: '督办（升级）', fields: [note(true, '督办意见')] },
};

export function ActionModal({
  order,
  action,
  onClose,
  onDone,
}: {
  order: WorkOrder;
  action: string;
  onClose: () => void;
  onDone: (o: WorkOrder) => void;
}) {
  const ref = useReference();
  const { me } = useAuth();
  const def = ACTION_FORMS[action]!;
  // A district agency dispatches within its district (二级派单): offer only its units.
  const unitDistrict = me?.role === 'district_agency' ? (me.districtCode ?? undefined) : undefined;
  const fields: ActionField[] = def.fields.map((f) => ({
    name: f.name,
    label: f.label,
    required: f.required,
    toBody: f.kind === 'datetime' ? (x) => (x as Dayjs).toISOString() : undefined,
    input:
      f.kind === 'note' ? (
        <Input.TextArea rows={3} maxLength={2000} data-testid={`field-${f.name}`} />
      ) : f.kind === 'text' ? (
        <Input.TextArea rows={5} maxLength={5000} data-testid={`field-${f.name}`} />
      ) : f.kind === 'enum' ? (
        <Select options={enumOptions(ref.enums[f.enumKey!])} data-testid={`field-${f.name}`} />
      ) : f.kind === 'unit' ? (
        <UnitSelect desk="hotline" districtCode={unitDistrict} testId={`field-${f.name}`} />
      ) : f.kind === 'datetime' ? (
        <DatePicker showTime format="YYYY-MM-DD HH:mm" data-testid={`field-${f.name}`} />
      ) : (
        <Input data-testid={`field-${f.name}`} />
      ),
  }));
  return (
    <ActionFormModal<WorkOrder>
      title={`${def.title} · ${order.no}`}
      okText={def.title}
      danger={def.danger}
      fields={fields}
      url={`/api/work-orders/${order.id}/${action.replace(/_/g, '-')}`}
      testIds={{ submit: 'action-submit', error: 'action-error' }}
      intro={
        // 派单: the model's three units, one click each; the form below for any other unit.
        action === 'assign' ? (
          <div style={{ marginBottom: 12 }}>
            <OrderDispatchSuggestions orderId={order.id} onDone={(o) => onDone(o)} />
          </div>
        ) : action === 'merge' ? (
          // 并单: the similar open orders, one click each; the number field below for any other.
          <div style={{ marginBottom: 12 }}>
            <MergeCandidates order={order} onDone={(o) => onDone(o)} />
          </div>
        ) : undefined
      }
      draftKey={`work-order.${order.id}.${action}`}
      onClose={onClose}
      onDone={onDone}
    />
  );
}
