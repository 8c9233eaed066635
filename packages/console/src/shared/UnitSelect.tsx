import { useEffect, useState } from 'react';
import { Select } from 'antd';
import { get } from '../api/client.ts';
import { useDebounced } from './useDebounced.ts';

interface Unit {
  id: string;
  name: string;
  kind: string;
}

/** Searchable unit picker over /api/reference/units (thousands of units: searched on the server). */
export function UnitSelect({
  value,
  onChange,
  desk,
  kind,
  districtCode,
  placeholder,
  testId,
}: {
  value?: string;
  onChange?: (v: string) => void;
  desk?: 'hotline' | 'dispatch';
  kind?: string;
  districtCode?: string;
  placeholder?: string;
  testId?: string;
}) {
  const [q, setQ] = useState('');
  const dq = useDebounced(q, 250);
  const [options, setOptions] = useState<Unit[]>([]);
  useEffect(() => {
    const ac = new AbortController();
    get<Unit[]>('/api/reference/units', { desk, kind, districtCode, q: dq || undefined, limit: 50 }, ac.signal)
      .then(setOptions)
      .catch(() => undefined);
    return () => ac.abort();
  }, [dq, desk, kind, districtCode]);
  return (
    <Select
      showSearch={{ filterOption: false, onSearch: setQ }}
      value={value}
      onChange={onChange}
      placeholder={placeholder ?? '输入单位名称搜索'}
      options={options.map((u) => ({ value: u.id, label: u.name }))}
      data-testid={testId}
      style={{ width: '100%' }}
      allowClear
    />
  );
}
