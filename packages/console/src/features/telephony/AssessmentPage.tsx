/**
 * 热线归并评估 (plan 二(三)5): each line's answer rate (人工接通率) and 7×24 staffed service from its call
 * records, lines under 60 % or without round-the-clock service flagged for merging into 12345; and the
 * import of other lines' call records (CSV) so that every line of the city is assessed the same way.
 */
import { useCallback, useEffect, useState } from 'react';
import { Alert, Card, App, Button, DatePicker, Space, Table, Tag, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { api, get } from '../../api/client.ts';
import { useAuth } from '../../auth/AuthContext.tsx';
import { messageOf, pct } from './labels.ts';
import type { LineAssessment } from './types.ts';

export function AssessmentPage() {
  const { message } = App.useApp();
  const { me } = useAuth();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([
    dayjs().subtract(28, 'day').startOf('day'),
    dayjs().endOf('day'),
  ]);
  const [lines, setLines] = useState<LineAssessment[]>([]);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    void get<{ lines: LineAssessment[] }>('/api/telephony/assessment', {
      from: range[0].toISOString(),
      to: range[1].toISOString(),
    })
      .then((r) => {
        setLines(r.lines);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [range]);
  useEffect(load, [load]);
  const upload = async (file: File) => {
    try {
      const r = await api<{ rows: number; inserted: number; duplicates: number }>(
        'POST',
        '/api/telephony/call-records/import',
        undefined,
        { raw: file, contentType: 'text/csv', query: { filename: file.name.slice(0, 200) } },
      );
      message.success(`已导入 ${r.inserted} 条话单${r.duplicates ? `，${r.duplicates} 条此前已导入` : ''}`);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
    return false;
  };
  return (
    <Card size="small">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space wrap>
          <DatePicker.RangePicker
            value={range}
            allowClear={false}
            onChange={(v) => v?.[0] && v[1] && setRange([v[0].startOf('day'), v[1].endOf('day')])}
          />
          {me?.permissions.includes('telephony.import') && (
            <Upload accept=".csv,text/csv" showUploadList={false} beforeUpload={(f) => upload(f)}>
              <Button icon={<UploadOutlined />} data-testid="import-csv">
                导入其他热线话单（CSV）
              </Button>
            </Upload>
          )}
        </Space>
        <Typography.Text type="secondary">
          依据：不具备“7×24小时”人工服务能力或人工接通率低于60%的热线话务座席，并入12345统一管理（渝府办发〔2022〕130号
          二（三）5）。 7×24 以评估期内每周168个小时段均有人工接听为准。
        </Typography.Text>
        {error && <Alert type="error" showIcon message={error} />}
        <Table
          size="small"
          rowKey="line"
          dataSource={lines}
          pagination={false}
          data-testid="assessment"
          locale={{ emptyText: '评估期内没有话单' }}
          columns={[
            { title: '线路', dataIndex: 'line', width: 100 },
            { title: '呼入', key: 'offered', width: 80, render: (_, l) => l.measures.offered },
            { title: '人工接通', key: 'answered', width: 90, render: (_, l) => l.measures.answered },
            {
              title: '人工接通率',
              key: 'rate',
              width: 110,
              render: (_, l) => (
                <Typography.Text type={l.belowAnswerRate ? 'danger' : undefined}>
                  {pct(l.measures.answerRate)}
                </Typography.Text>
              ),
            },
            { title: '15秒内接通', key: 'sl', width: 100, render: (_, l) => pct(l.measures.serviceLevel) },
            { title: '有人工接听的小时段', key: 'staffed', width: 150, render: (_, l) => `${l.staffedHours} / 168` },
            {
              title: '7×24人工服务',
              dataIndex: 'has24x7',
              width: 120,
              render: (v: boolean) => (v ? <Tag color="green">具备</Tag> : <Tag color="red">不具备</Tag>),
            },
            {
              title: '结论',
              key: 'verdict',
              render: (_, l) =>
                l.mergeRecommended ? (
                  <span>
                    <Tag color="red">建议并入12345</Tag>
                    {l.reasons.join('；')}
                  </span>
                ) : (
                  <Tag color="green">保留</Tag>
                ),
            },
          ]}
        />
      </Space>
    </Card>
  );
}
