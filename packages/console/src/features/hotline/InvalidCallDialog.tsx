/**
 * 无效来电 / 骚扰来电: the call-taker records a call that asks for nothing (silence, a misdial, a prank)
 * or abuses her, with no work order (POST /api/intake/invalid-calls). The number counts in the
 * harassment report on both desks, and a supervisor can put it on the watch list from there.
 */
import { Flex, Input, Radio, Typography } from 'antd';
import { useState } from 'react';
import { ActionFormModal } from '../../shared/ActionFormModal.tsx';
import { newRef } from './intake-hooks.ts';

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

/** Mounted while open: one client reference per dialog, so a retry after a lost answer makes no second record. */
export function InvalidCallDialog(props: {
  /** what the form holds of the call at the moment of recording */
  request: () => InvalidCallRequest;
  onClose: () => void;
  onDone: (r: Recorded) => void;
}) {
  const [clientRef] = useState(newRef);
  return (
    <ActionFormModal<Recorded>
      title="记为无效来电或骚扰来电（不生成工单）"
      okText="记录"
      url="/api/intake/invalid-calls"
      initialValues={{ kind: 'invalid' }}
      intro={
        <Typography.Paragraph type="secondary">
          来电号码计入恶意骚扰报表（两平台共享研判）；同一号码多次无效或骚扰来电的，值班长可列入关注名单。
        </Typography.Paragraph>
      }
      fields={[
        {
          name: 'kind',
          label: '来电性质',
          required: true,
          input: (
            <Radio.Group data-testid="invalid-call-kind">
              <Flex vertical gap={4}>
                <Radio value="invalid">无效来电：无声、误拨、与诉求无关</Radio>
                <Radio value="harassment">骚扰来电：辱骂话务员、恶意骚扰</Radio>
              </Flex>
            </Radio.Group>
          ),
        },
        {
          name: 'note',
          label: '说明（选填）',
          input: <Input maxLength={500} placeholder="如：无声电话、反复辱骂话务员" data-testid="invalid-call-note" />,
        },
      ]}
      extraBody={() => {
        const r = props.request();
        return {
          ...(r.caller ? { caller: r.caller } : {}),
          ...(r.content?.trim() ? { content: r.content } : {}),
          ...(r.callId ? { callId: r.callId } : {}),
          clientRef,
        };
      }}
      testIds={{ submit: 'invalid-call-confirm', error: 'invalid-call-error' }}
      onClose={props.onClose}
      onDone={props.onDone}
    />
  );
}
