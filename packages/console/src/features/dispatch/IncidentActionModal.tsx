import { useState } from 'react';
import { Input, Select } from 'antd';
import type { Incident } from '../../api/types.ts';
import { ActionFormModal, type ActionField } from '../../shared/ActionFormModal.tsx';
import { enumOptions, useReference } from '../../shared/reference.tsx';
import { UnitSelect } from '../../shared/UnitSelect.tsx';

type Field = {
  name: string;
  label: string;
  kind: 'note' | 'text' | 'enum' | 'unit';
  enumKey?: string;
  required?: boolean;
};
const note = (required = false, label = '说明'): Field => ({ name: 'note', label, kind: 'note', required });

export const INCIDENT_FORMS: Record<string, { title: string; fields: Field[]; danger?: boolean }> = {
  dispatch: {
    title: '派警',
    fields: [
      { name: 'tier', label: '处警层级', kind: 'enum', enumKey: 'dispatchTiers', required: true },
      { name: 'unitId', label: '处警单位', kind: 'unit', required: true },
      note(),
    ],
  },
  redispatch: {
    title: '改派',
    fields: [
      { name: 'tier', label: '处警层级', kind: 'enum', enumKey: 'dispatchTiers', required: true },
      { name: 'unitId', label: '处警单位', kind: 'unit', required: true },
      note(true, '改派原因'),
    ],
  },
  arrive: { title: '到场', fields: [note()] },
  handle: { title: '开始处置', fields: [note()] },
  feedback: {
    title: '处置反馈',
    fields: [
      { name: 'disposition', label: '处置结果', kind: 'enum', enumKey: 'dispositions', required: true },
      { name: 'summary', label: '处置情况', kind: 'text', required: true },
    ],
  },
  close: { title: '结警', fields: [note()] },
  mark_invalid: {
    title: '无效/骚扰报警',
    danger: true,
    fields: [{ name: 'kind', label: '类型', kind: 'enum', enumKey: 'invalidKinds', required: true }, note()],
  },
  divert: {
    title: '非警务分流',
    fields: [{ name: 'target', label: '分流去向', kind: 'enum', enumKey: 'diversionTargets', required: true }, note()],
  },
  reclassify: {
    title: '修改类别',
    fields: [
      { name: 'category', label: '警情类别', kind: 'enum', enumKey: 'incidentCategories', required: true },
      note(),
    ],
  },
};

const TIER_KIND: Record<string, string> = {
  command_center: 'police_bureau',
  specialized_police: 'police_specialized',
  police_station: 'police_station',
};

export function IncidentActionModal({
  incident,
  action,
  preset,
  onClose,
  onDone,
}: {
  incident: Incident;
  action: string;
  preset?: Record<string, string>;
  onClose: () => void;
  onDone: (i: Incident & { linkage?: { itemId: string; peer: string } | null }) => void;
}) {
  const ref = useReference();
  const [tier, setTier] = useState<string | undefined>(preset?.tier);
  const def = INCIDENT_FORMS[action]!;
  const fields: ActionField[] = def.fields.map((f) => ({
    name: f.name,
    label: f.label,
    required: f.required,
    input:
      f.kind === 'enum' ? (
        <Select options={enumOptions(ref.enums[f.enumKey!])} data-testid={`incident-${f.name}`} />
      ) : f.kind === 'unit' ? (
        <UnitSelect
          desk="dispatch"
          kind={tier ? TIER_KIND[tier] : undefined}
          districtCode={tier && tier !== 'specialized_police' ? (incident.districtCode ?? undefined) : undefined}
          testId={`incident-${f.name}`}
        />
      ) : (
        <Input.TextArea
          rows={f.kind === 'text' ? 4 : 2}
          maxLength={f.kind === 'text' ? 5000 : 2000}
          data-testid={`incident-${f.name}`}
        />
      ),
  }));
  return (
    <ActionFormModal
      title={`${def.title} · ${incident.no}`}
      okText={def.title}
      danger={def.danger}
      fields={fields}
      initialValues={preset}
      url={`/api/incidents/${incident.id}/${action.replace(/_/g, '-')}`}
      testIds={{ submit: 'incident-action-submit', error: 'incident-action-error' }}
      onValues={(v) => setTier(v.tier as string | undefined)}
      draftKey={`incident.${incident.id}.${action}`}
      onClose={onClose}
      onDone={onDone}
    />
  );
}
