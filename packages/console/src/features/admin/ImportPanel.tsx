/**
 * 批量导入: a city's units, users and dispatch catalogue from an .xlsx or CSV file, checked row by row first.
 * One bad row and nothing is imported: the table lists each row's problem, to fix in the file and try again.
 */
import { useState } from 'react';
import { Alert, App, Button, Radio, Space, Table, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { ApiError, api, getBlob } from '../../api/client.ts';
import { saveBlob } from '../../shared/save-file.ts';
import { messageOf } from './labels.ts';

type Kind = 'units' | 'users' | 'categories';
const KINDS: { value: Kind; label: string; hint: string }[] = [
  { value: 'units', label: '单位', hint: '先导入单位，再导入用户（用户的所属单位须已存在）。' },
  { value: 'users', label: '用户', hint: '已有的用户名将更新姓名、角色与范围；填写初始密码则重置密码。' },
  { value: 'categories', label: '派单目录', hint: '一级目录与下级目录可在同一文件中，上级可写在下级之后。' },
];
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface RowError {
  row: number;
  column: string;
  message: string;
}
interface Result {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
}

export function ImportPanel() {
  const { message } = App.useApp();
  const [kind, setKind] = useState<Kind>('units');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);
  const [failure, setFailure] = useState<{ message: string; errors: RowError[]; errorCount: number } | null>(null);
  const label = KINDS.find((k) => k.value === kind)!;

  const download = async (format: 'xlsx' | 'csv') => {
    try {
      saveBlob(
        await getBlob(`/api/admin/import/${kind}/template?format=${format}`),
        `${label.label}导入模板.${format}`,
      );
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setResult(null);
    setFailure(null);
    try {
      const type = file.name.toLowerCase().endsWith('.csv') ? 'text/csv' : XLSX;
      const r = await api<Result>('POST', `/api/admin/import/${kind}`, undefined, {
        raw: file,
        contentType: type,
        query: dryRun ? { dryRun: true } : {},
      });
      setResult(r);
      if (!dryRun) message.success(`已导入${label.label}：新增${r.created}条，更新${r.updated}条`);
    } catch (e) {
      const details = e instanceof ApiError ? (e.details as { errors?: RowError[]; errorCount?: number }) : undefined;
      setFailure({ message: messageOf(e), errors: details?.errors ?? [], errorCount: details?.errorCount ?? 0 });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap align="center">
        <Typography.Text strong>导入内容</Typography.Text>
        <Radio.Group
          optionType="button"
          value={kind}
          onChange={(e) => {
            setKind(e.target.value as Kind);
            setResult(null);
            setFailure(null);
          }}
          options={KINDS.map((k) => ({ value: k.value, label: k.label }))}
          data-testid="import-kind"
        />
        <Button onClick={() => void download('xlsx')}>下载 Excel 模板</Button>
        <Button onClick={() => void download('csv')}>下载 CSV 模板</Button>
      </Space>
      <Typography.Text type="secondary">
        支持 .xlsx 与 CSV（UTF-8 或 Excel 另存的中文编码）文件，第1行为列名。{label.hint}
        任一行有错误时不导入任何数据。
      </Typography.Text>
      <Space wrap>
        <Upload
          accept=".xlsx,.csv"
          maxCount={1}
          showUploadList={false}
          beforeUpload={(f) => {
            setFile(f);
            setResult(null);
            setFailure(null);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />} data-testid="import-choose">
            选择文件
          </Button>
        </Upload>
        <span data-testid="import-file">{file ? file.name : '未选择文件'}</span>
        <Button disabled={!file} loading={busy} onClick={() => void run(true)} data-testid="import-check">
          只校验
        </Button>
        <Button type="primary" disabled={!file} loading={busy} onClick={() => void run(false)} data-testid="import-run">
          校验并导入
        </Button>
      </Space>
      {result && (
        <Alert
          type="success"
          showIcon
          data-testid="import-result"
          message={
            result.dryRun
              ? `校验通过：共${result.rows}行，导入将新增${result.created}条、更新${result.updated}条`
              : `导入完成：共${result.rows}行，新增${result.created}条、更新${result.updated}条`
          }
        />
      )}
      {failure && (
        <>
          <Alert type="error" showIcon message={failure.message} data-testid="import-failure" />
          {failure.errors.length > 0 && (
            <Table
              size="small"
              rowKey={(e) => `${e.row}-${e.column}-${e.message}`}
              dataSource={failure.errors}
              data-testid="import-errors"
              pagination={{ pageSize: 10, showSizeChanger: false, showTotal: () => `共${failure.errorCount}处错误` }}
              columns={[
                { title: '行号', dataIndex: 'row', width: 80 },
                { title: '列', dataIndex: 'column', width: 140 },
                { title: '问题', dataIndex: 'message' },
              ]}
            />
          )}
        </>
      )}
    </Space>
  );
}
