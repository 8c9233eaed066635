/**
 * 无效来电 / 骚扰来电: the call-taker records a call that asks for nothing (silence, a misdial, a prank)
 * or abuses her, with no work order (POST /api/intake/invalid-calls). The number counts in the
 * harassment report on both desks, and a supervisor can put it on the watch list from there.
 */
import { Alert, Flex, Input, Modal, Radio, Typography } from 'antd';
import { useRef, useState } from 'react';
import { errorText, post } from '../../api/client.ts';

export interface InvalidCallRequest {
  caller?: { name?: string; phone?: string };
  content?: string;
  callId?: string;
}

interface Recorded {
  id: string;
  kind: 'invalid' | 'harassment';
  label: string;
}

const newRef = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export function InvalidCallDialog(props: {
  open: boolean;
  /** what the form holds of the call at the moment of recording */
  request: () => InvalidCallRequest;
  onClose: () => void;
  onDone: (r: Recorded) => void;
}) {
  const [kind, setKind] = useState<'invalid' | 'harassment'>('invalid');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // one record per dialog: a second click (or a retry after a lost answer) makes no second record
  const clientRef = useRef(newRef());

  const close = () => {
    setKind('invalid');
    setNote('');
    setError(null);
    clientRef.current = newRef();
    props.onClose();
  };

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = props.request();
      const done = await post<Recorded>('/api/intake/invalid-calls', {
        kind,
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(r.caller ? { caller: r.caller } : {}),
        ...(r.content?.trim() ? { content: r.content } : {}),
        ...(r.callId ? { callId: r.callId } : {}),
        clientRef: clientRef.current,
      });
      close();
      props.onDone(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      title="记为无效来电或骚扰来电（不生成工单）"
      open={props.open}
      onCancel={close}
      okText="记录"
      onOk={() => void submit()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'invalid-call-confirm' } as never}
    >
      <Flex vertical gap={8}>
        <Radio.Group
          value={kind}
          onChange={(e) => setKind(e.target.value as typeof kind)}
          data-testid="invalid-call-kind"
        >
          <Flex vertical gap={4}>
            <Radio value="invalid">无效来电：无声、误拨、与诉求无关</Radio>
            <Radio value="harassment">骚扰来电：辱骂话务员、恶意骚扰</Radio>
          </Flex>
        </Radio.Group>
        <Input
          value={note}
          maxLength={500}
          onChange={(e) => setNote(e.target.value)}
          placeholder="说明（选填），如：无声电话、反复辱骂话务员"
          data-testid="invalid-call-note"
        />
        <Typography.Text type="secondary">
          来电号码计入恶意骚扰报表（两平台共享研判）；同一号码多次无效或骚扰来电的，值班长可列入关注名单。
        </Typography.Text>
        {error && <Alert type="error" showIcon title={error} data-testid="invalid-call-error" />}
      </Flex>
    </Modal>
  );
}
