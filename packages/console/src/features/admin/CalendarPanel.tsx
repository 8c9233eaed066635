/**
 * 节假日与时限: the year's holidays and make-up workdays (调休), and the time limits of each order type.
 * Deadlines count working time over this calendar: a change applies to every deadline computed after it.
 */
import { useCallback, useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { api, get } from '../../api/client.ts';
import { useReference } from '../../shared/reference.tsx';
import { CALENDAR_KIND, LIMIT_UNIT, messageOf } from './labels.ts';

interface CalendarDay {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  provisional: boolean;
}
interface TimeLimit {
  orderType: string;
  urgent: boolean;
  amount: number;
  unit: 'hours' | 'working_days';
}

const PAGE = 15;
const WEEKDAY = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

export function CalendarPanel() {
  return (
    <Row gutter={16}>
      <Col span={13}>
        <CalendarDays />
      </Col>
      <Col span={11}>
        <TimeLimits />
      </Col>
    </Row>
  );
}

function CalendarDays() {
  const { message } = App.useApp();
  const [year, setYear] = useState(dayjs().year());
  const [days, setDays] = useState<CalendarDay[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [page, setPage] = useState(1);
  const [form] = Form.useForm<{ date: Dayjs; kind: 'holiday' | 'workday'; name: string }>();
  /** Loads the year and shows the page holding `focus` (a day just set; else the next days to come). */
  const load = useCallback(
    (focus?: string) => {
      void get<CalendarDay[]>('/api/admin/calendar', { year })
        .then((d) => {
          setDays(d);
          setError(null);
          const at = d.findIndex((x) => x.date >= (focus ?? dayjs().format('YYYY-MM-DD')));
          setPage(at < 0 ? Math.max(1, Math.ceil(d.length / PAGE)) : Math.floor(at / PAGE) + 1);
        })
        .catch((e) => setError(messageOf(e)));
    },
    [year],
  );
  useEffect(() => load(), [load]);
  const save = async () => {
    const v = await form.validateFields();
    const date = v.date.format('YYYY-MM-DD');
    try {
      await api('PUT', `/api/admin/calendar/${date}`, { kind: v.kind, name: v.name.trim() });
      message.success(`已将 ${date} 设为${CALENDAR_KIND[v.kind]}，此后计算的办理期限按新日历`);
      setAdding(false);
      if (v.date.year() !== year) setYear(v.date.year());
      else load(date);
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const clear = async (d: CalendarDay) => {
    try {
      await api('DELETE', `/api/admin/calendar/${d.date}`);
      message.success(`已取消 ${d.date} 的特殊安排`);
      load(d.date);
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const years = Array.from({ length: 7 }, (_, i) => dayjs().year() - 3 + i);
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Space>
        <Typography.Text strong>节假日与调休</Typography.Text>
        <Select
          value={year}
          onChange={setYear}
          options={years.map((y) => ({ value: y, label: `${y}年` }))}
          style={{ width: 100 }}
          data-testid="calendar-year"
        />
        <Button
          type="primary"
          onClick={() => {
            form.resetFields();
            setAdding(true);
          }}
          data-testid="add-calendar-day"
        >
          添加节假日或调休
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey="date"
        dataSource={days}
        data-testid="calendar-days"
        pagination={{ pageSize: PAGE, current: page, onChange: setPage, showSizeChanger: false }}
        locale={{ emptyText: '该年没有特殊安排（周一至周五上班，周末休息）' }}
        columns={[
          { title: '日期', dataIndex: 'date', width: 110 },
          {
            title: '星期',
            dataIndex: 'date',
            key: 'weekday',
            width: 60,
            render: (d: string) => WEEKDAY[dayjs(d).day()],
          },
          {
            title: '安排',
            dataIndex: 'kind',
            width: 130,
            render: (k: string, d: CalendarDay) => (
              <Space size={4}>
                <Tag color={k === 'holiday' ? 'red' : 'blue'}>{CALENDAR_KIND[k]}</Tag>
                {d.provisional && <Tag color="orange">待公布确认</Tag>}
              </Space>
            ),
          },
          { title: '名称', dataIndex: 'name', ellipsis: true },
          {
            title: '操作',
            key: 'act',
            width: 80,
            render: (_: unknown, d: CalendarDay) => (
              <Popconfirm
                title={`取消 ${d.date} 的特殊安排？`}
                okText="取消安排"
                cancelText="不取消"
                onConfirm={() => void clear(d)}
              >
                <Button size="small" danger>
                  删除
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      <Modal
        open={adding}
        title="添加节假日或调休上班日"
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setAdding(false)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'holiday' }} data-testid="calendar-form">
          <Form.Item name="date" label="日期" rules={[{ required: true, message: '请选择日期' }]}>
            <DatePicker style={{ width: '100%' }} data-testid="calendar-date" />
          </Form.Item>
          <Form.Item name="kind" label="安排">
            <Radio.Group
              options={[
                { value: 'holiday', label: '节假日（不计工作日）' },
                { value: 'workday', label: '调休上班（周末计为工作日）' },
              ]}
            />
          </Form.Item>
          <Form.Item
            name="name"
            label="名称"
            rules={[{ required: true, whitespace: true, message: '请填写名称，如“国庆节”' }]}
          >
            <Input maxLength={50} placeholder="如：国庆节、春节调休上班" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}

function TimeLimits() {
  const { message } = App.useApp();
  const { enums } = useReference();
  const [rows, setRows] = useState<TimeLimit[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<TimeLimit | 'new' | null>(null);
  const [form] = Form.useForm<TimeLimit>();
  const load = useCallback(() => {
    void get<TimeLimit[]>('/api/admin/time-limits')
      .then((r) => {
        setRows(r);
        setError(null);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);
  useEffect(load, [load]);
  const typeLabel = (t: string) => (t === '*' ? '全部类型（默认）' : (enums.workOrderTypes?.[t] ?? t));
  const save = async () => {
    const v = await form.validateFields();
    try {
      await api('PUT', '/api/admin/time-limits', v);
      message.success(`已设置${typeLabel(v.orderType)}（${v.urgent ? '紧急' : '普通'}）的办理时限，新工单按此计算`);
      setEditing(null);
      load();
    } catch (e) {
      message.error(messageOf(e));
    }
  };
  const open = (l: TimeLimit | 'new') => {
    setEditing(l);
    form.resetFields();
    form.setFieldsValue(l === 'new' ? { orderType: '*', urgent: false, amount: 5, unit: 'working_days' } : l);
  };
  return (
    <Space direction="vertical" size="small" style={{ width: '100%' }}>
      <Space>
        <Typography.Text strong>办理时限</Typography.Text>
        <Button onClick={() => open('new')} data-testid="add-time-limit">
          设置时限
        </Button>
      </Space>
      {error && <Alert type="error" showIcon message={error} />}
      <Table
        size="small"
        rowKey={(l) => `${l.orderType}/${l.urgent}`}
        dataSource={rows}
        pagination={false}
        data-testid="time-limits"
        columns={[
          { title: '工单类型', dataIndex: 'orderType', render: typeLabel },
          {
            title: '紧急程度',
            dataIndex: 'urgent',
            width: 90,
            render: (u: boolean) => (u ? <Tag color="red">紧急</Tag> : <Tag>普通</Tag>),
          },
          {
            title: '时限',
            key: 'limit',
            width: 110,
            render: (_: unknown, l: TimeLimit) => `${l.amount}${LIMIT_UNIT[l.unit]}`,
          },
          {
            title: '操作',
            key: 'act',
            width: 70,
            render: (_: unknown, l: TimeLimit) => (
              <Button size="small" onClick={() => open(l)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title="设置办理时限"
        okText="保存"
        cancelText="取消"
        onOk={() => void save()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" data-testid="time-limit-form">
          <Form.Item name="orderType" label="工单类型">
            <Select
              disabled={editing !== 'new'}
              options={[
                { value: '*', label: '全部类型（默认）' },
                ...Object.entries(enums.workOrderTypes ?? {}).map(([value, label]) => ({ value, label })),
              ]}
            />
          </Form.Item>
          <Form.Item name="urgent" label="紧急程度">
            <Radio.Group
              disabled={editing !== 'new'}
              options={[
                { value: false, label: '普通' },
                { value: true, label: '紧急' },
              ]}
            />
          </Form.Item>
          <Space align="start">
            <Form.Item name="amount" label="时限" rules={[{ required: true, message: '请填写时限' }]}>
              <InputNumber min={1} max={720} precision={0} />
            </Form.Item>
            <Form.Item name="unit" label="单位">
              <Radio.Group
                options={[
                  { value: 'working_days', label: '工作日' },
                  { value: 'hours', label: '小时' },
                ]}
              />
            </Form.Item>
          </Space>
        </Form>
      </Modal>
    </Space>
  );
}
