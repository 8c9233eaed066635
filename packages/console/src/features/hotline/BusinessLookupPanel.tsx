/**
 * 业务查询 beside the call (plan task 8: 12345 linked with the social-security, medical-insurance and
 * housing-fund systems): with the caller's consent, recorded first, the call-taker looks up the caller's
 * own balance, contributions or reimbursements. The answer comes masked; the identity number stays in this
 * dialog only (the server keeps its keyed hash with the consent). Every look-up is recorded on the server.
 */
import { useEffect, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import { errorText, get, post } from '../../api/client.ts';
import { fmtTime } from '../../shared/format.ts';

interface SystemInfo {
  system: string;
  label: string;
  configured: boolean;
  queries: { query: string; label: string }[];
}
interface Consent {
  consentId: string;
  system: string;
  systemLabel: string;
  subject: { idNumber: string; name: string };
  expiresAt: string;
}
type Answer =
  | { query: 'balance'; holder: string; accountNo: string; balance: number; asOf: string; status: string }
  | {
      query: 'contributions';
      holder: string;
      records: { period: string; amount: number; payer: string; status: string }[];
    }
  | {
      query: 'reimbursements';
      holder: string;
      records: {
        claimNo: string;
        submittedOn: string;
        hospital: string;
        amount: number;
        reimbursed: number | null;
        status: string;
      }[];
    };
interface LookupResult {
  systemLabel: string;
  queryLabel: string;
  source: string;
  at: string;
  answer: Answer;
}

const yuan = (n: number) => `${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} 元`;

function AnswerView({ r }: { r: LookupResult }) {
  const a = r.answer;
  return (
    <div data-testid="lookup-answer">
      <Typography.Text type="secondary">
        {r.systemLabel} · {r.queryLabel} · 来源：{r.source} · {fmtTime(r.at)}
      </Typography.Text>
      {a.query === 'balance' ? (
        <Descriptions size="small" column={2} bordered style={{ marginTop: 8 }}>
          <Descriptions.Item label="姓名">{a.holder}</Descriptions.Item>
          <Descriptions.Item label="账号">{a.accountNo}</Descriptions.Item>
          <Descriptions.Item label="余额">{yuan(a.balance)}</Descriptions.Item>
          <Descriptions.Item label="状态">{a.status}</Descriptions.Item>
          <Descriptions.Item label="截至">{a.asOf}</Descriptions.Item>
        </Descriptions>
      ) : a.query === 'contributions' ? (
        <Table
          size="small"
          rowKey="period"
          pagination={false}
          style={{ marginTop: 8 }}
          dataSource={a.records}
          columns={[
            { title: '月份', dataIndex: 'period', width: 90 },
            { title: '金额', dataIndex: 'amount', width: 110, render: yuan },
            { title: '缴费方', dataIndex: 'payer' },
            { title: '状态', dataIndex: 'status', width: 80 },
          ]}
        />
      ) : (
        <Table
          size="small"
          rowKey="claimNo"
          pagination={false}
          style={{ marginTop: 8 }}
          dataSource={a.records}
          columns={[
            { title: '单号', dataIndex: 'claimNo', width: 130 },
            { title: '提交', dataIndex: 'submittedOn', width: 100 },
            { title: '医院', dataIndex: 'hospital' },
            { title: '金额', dataIndex: 'amount', width: 100, render: yuan },
            {
              title: '已报销',
              dataIndex: 'reimbursed',
              width: 100,
              render: (v: number | null) => (v === null ? '—' : yuan(v)),
            },
            { title: '状态', dataIndex: 'status', width: 80 },
          ]}
        />
      )}
    </div>
  );
}

function LookupDialog({ systems, onClose }: { systems: SystemInfo[]; onClose: () => void }) {
  const [form] = Form.useForm<{ system: string; idNumber: string; name: string; how: string; agreed: boolean }>();
  const [consent, setConsent] = useState<Consent | null>(null);
  const [subject, setSubject] = useState<{ idNumber: string; name: string } | null>(null);
  const [result, setResult] = useState<LookupResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const record = async () => {
    let v;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const s = { idNumber: v.idNumber.trim().toUpperCase(), name: v.name.trim() };
      setConsent(await post<Consent>('/api/lookups/consents', { system: v.system, ...s, how: v.how.trim() }));
      setSubject(s);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const ask = async (query: string) => {
    if (!consent || !subject) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await post<LookupResult>('/api/lookups', { consentId: consent.consentId, query, ...subject }));
    } catch (e) {
      setResult(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const offered = systems.find((s) => s.system === consent?.system)?.queries ?? [];
  return (
    <Modal
      open
      width={720}
      title="业务查询（社保、医保、住房公积金）"
      onCancel={onClose}
      footer={
        consent ? (
          <Button onClick={onClose}>关闭</Button>
        ) : (
          <Space>
            <Button onClick={onClose}>取消</Button>
            <Button type="primary" loading={busy} onClick={() => void record()} data-testid="lookup-consent-submit">
              登记同意并查询
            </Button>
          </Space>
        )
      }
      destroyOnHidden
    >
      {!consent ? (
        <Form
          form={form}
          layout="vertical"
          initialValues={{ system: systems[0]?.system, how: '口头同意，通话录音留存', agreed: false }}
        >
          <Form.Item name="system" label="业务系统" rules={[{ required: true, message: '请选择业务系统' }]}>
            <Select data-testid="lookup-system" options={systems.map((s) => ({ value: s.system, label: s.label }))} />
          </Form.Item>
          <div className="form-row">
            <Form.Item
              name="idNumber"
              label="来电人身份证号"
              rules={[{ required: true, whitespace: true, message: '请填写身份证号' }]}
            >
              <Input maxLength={18} autoComplete="off" data-testid="lookup-id-number" />
            </Form.Item>
            <Form.Item
              name="name"
              label="来电人姓名"
              rules={[{ required: true, whitespace: true, message: '请填写姓名' }]}
            >
              <Input maxLength={30} autoComplete="off" data-testid="lookup-name" />
            </Form.Item>
          </div>
          <Form.Item
            name="how"
            label="同意方式"
            rules={[{ required: true, whitespace: true, message: '请写明同意方式' }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item
            name="agreed"
            valuePropName="checked"
            rules={[
              { validator: (_, v) => (v ? Promise.resolve() : Promise.reject(new Error('须经来电人同意方可查询'))) },
            ]}
          >
            <Checkbox data-testid="lookup-agreed">已告知来电人查询其本人信息的用途，来电人同意查询</Checkbox>
          </Form.Item>
        </Form>
      ) : (
        <>
          <Alert
            type="success"
            showIcon
            style={{ marginBottom: 12 }}
            title={`已登记来电人同意：${consent.systemLabel}，${consent.subject.name}（${consent.subject.idNumber}），${fmtTime(consent.expiresAt)}前有效`}
          />
          <Space wrap style={{ marginBottom: 12 }}>
            {offered.map((q) => (
              <Button key={q.query} loading={busy} onClick={() => void ask(q.query)} data-testid={`lookup-${q.query}`}>
                查询{q.label}
              </Button>
            ))}
          </Space>
          {result && <AnswerView r={result} />}
        </>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="lookup-error" />}
    </Modal>
  );
}

/** The card beside the triage panel: shown only when the desk is linked to at least one system. */
export function BusinessLookupPanel() {
  const [systems, setSystems] = useState<SystemInfo[]>([]);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    void get<SystemInfo[]>('/api/lookups/systems')
      .then((s) => setSystems(s.filter((x) => x.configured)))
      .catch(() => setSystems([]));
  }, []);
  if (!systems.length) return null;
  return (
    <Card title="业务查询" size="small" style={{ marginBottom: 12 }} data-testid="business-lookup">
      <Space wrap>
        <Typography.Text type="secondary">
          经来电人同意，查询其本人的{systems.map((s) => s.label).join('、')}信息
        </Typography.Text>
        <Button size="small" onClick={() => setOpen(true)} data-testid="lookup-open">
          查询
        </Button>
      </Space>
      {open && <LookupDialog systems={systems} onClose={() => setOpen(false)} />}
    </Card>
  );
}
