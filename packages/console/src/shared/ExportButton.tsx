/** 导出 Excel: a list as chosen (every page, up to the server's limit) as the .xlsx its export endpoint makes. */
import { useState } from 'react';
import { App, Button } from 'antd';
import dayjs from 'dayjs';
import { errorText, getBlob, toQuery } from '../api/client.ts';
import { saveBlob } from './save-file.ts';

export function ExportButton({
  path,
  query,
  name,
  testId,
}: {
  /** The list's export endpoint (`…/export.xlsx`). */
  path: string;
  /** The list's filters (its paging is left out). */
  query: object;
  /** The file's name before the date (工单查询-20261203.xlsx). */
  name: string;
  testId: string;
}) {
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const run = async () => {
    const { page: _page, pageSize: _size, ...filters } = query as { page?: number; pageSize?: number };
    setBusy(true);
    try {
      saveBlob(
        await getBlob(`${path}${toQuery(filters as Parameters<typeof toQuery>[0])}`),
        `${name}-${dayjs().format('YYYYMMDD')}.xlsx`,
      );
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" loading={busy} onClick={() => void run()} data-testid={testId}>
      导出 Excel
    </Button>
  );
}
