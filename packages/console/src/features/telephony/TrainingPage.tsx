/** 话务员培训 (plan 二(三)6: 每月培训不少于5课时): sessions, attendance, and each call-taker's month against the minimum. */
import { useCallback, useEffect, useState } from 'react';
import {
  Card,
  Alert,
  App,
  Button,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { get, post } from '../../api/client.ts';
import { messageOf } from './labels.ts';
import type { TrainingCheck, TrainingSession } from './types.ts';

const ROLE = { call_taker: '12345话务员', dispatcher: '110接警员', specialist_seat: '专席' } as Record<string, string>;

export function TrainingPage() {
  const { message } = App.useApp();
  const [month, setMonth] = useState<Dayjs>(dayjs().startOf('month'));
  const [checks, setChecks] = useState<TrainingCheck[]>([]);
  const [sessions, setSessions] = useState<TrainingSession[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [form] = Form.useForm();
  const m = month.format('YYYY-MM');
  const load = useCallback(() => {
    void Promise.all([
      get<TrainingCheck[]>('/api/training/check', { month: m }),
      get<TrainingSession[]>('/api/training/sessions', { month: m }),
    ])
      .then(([c, s]) => {
        setChecks(c);
        setSessions(s);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, [m]);
  useEffect(load, [load]);
  const save = async () => {
    const v = await form.validateFields();
    try {
      await post('/api/training/sessions', {
        title: v.title.trim(),
        topic: v.topic?.trim() || undefined,
        trainer: v.trainer?.trim() || undefined,
        heldOn: (v.heldOn as Dayjs).format('YYYY-MM-DD'),
        minutes: v.minutes,
        attendees: v.attendees,
      });
      message.success('已登记培训');
      setAdding(false);
      form.resetFields();
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const short = checks.filter((c) => !c.meets).length;
  return (
    <Card size="small">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Space>
          <DatePicker
            picker="month"
            value={month}
            allowClear={false}
            onChange={(d) => d && setMonth(d.startOf('month'))}
          />
          <Button type="primary" onClick={() => setAdding(true)}>
            登记培训
          </Button>
          <Typography.Text type={short ? 'danger' : 'success'} data-testid="training-summary">
            {checks.length} 人中 {short} 人本月未满5课时
          </Typography.Text>
        </Space>
        {error && <Alert type="error" showIcon message={error} />}
        <Table
          size="small"
          rowKey="userId"
          dataSource={checks}
          pagination={false}
          data-testid="training-check"
          columns={[
            { title: '姓名', dataIndex: 'name' },
            { title: '岗位', dataIndex: 'role', render: (r: string) => ROLE[r] ?? r },
            { title: '本月课时', dataIndex: 'periods', width: 100 },
            {
              title: '核查',
              key: 'meets',
              width: 160,
              render: (_, c) => (c.meets ? <Tag color="green">达标</Tag> : <Tag color="red">差 {c.shortBy} 课时</Tag>),
            },
          ]}
        />
        <Table
          size="small"
          rowKey="id"
          dataSource={sessions}
          pagination={false}
          locale={{ emptyText: '本月没有培训记录' }}
          columns={[
            { title: '日期', dataIndex: 'held_on', width: 110 },
            { title: '培训', dataIndex: 'title' },
            { title: '授课人', dataIndex: 'trainer', width: 100 },
            { title: '时长（分钟）', dataIndex: 'minutes', width: 110 },
            { title: '课时', dataIndex: 'periods', width: 80 },
            { title: '参训人数', dataIndex: 'attendees', width: 90 },
          ]}
        />
        <Modal
          open={adding}
          title="登记培训"
          okText="登记"
          cancelText="取消"
          onOk={() => void save()}
          onCancel={() => setAdding(false)}
        >
          <Form form={form} layout="vertical" initialValues={{ heldOn: dayjs(), minutes: 90 }}>
            <Form.Item
              name="title"
              label="培训名称"
              rules={[{ required: true, whitespace: true, message: '请填写培训名称' }]}
            >
              <Input maxLength={100} />
            </Form.Item>
            <Form.Item name="topic" label="内容">
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item name="trainer" label="授课人">
              <Input maxLength={50} />
            </Form.Item>
            <Space>
              <Form.Item name="heldOn" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
                <DatePicker />
              </Form.Item>
              <Form.Item
                name="minutes"
                label="时长（分钟，45分钟计1课时）"
                rules={[{ required: true, message: '请填写时长' }]}
              >
                <InputNumber min={10} max={600} />
              </Form.Item>
            </Space>
            <Form.Item name="attendees" label="参训人员" rules={[{ required: true, message: '请选择参训人员' }]}>
              <Select
                mode="multiple"
                options={checks.map((c) => ({ value: c.userId, label: c.name }))}
                optionFilterProp="label"
              />
            </Form.Item>
          </Form>
        </Modal>
      </Space>
    </Card>
  );
}
