import type { AgentState, CallBack } from './types.ts';

export const AGENT_STATE_LABEL: Record<AgentState, string> = {
  offline: '未签入',
  ready: '示闲',
  ringing: '振铃',
  busy: '通话中',
  after_call_work: '话后整理',
  break: '小休',
};
export const AGENT_STATE_COLOR: Record<AgentState, string> = {
  offline: 'default',
  ready: 'green',
  ringing: 'gold',
  busy: 'blue',
  after_call_work: 'purple',
  break: 'orange',
};

export const CALL_PHASE_LABEL: Record<string, string> = {
  queued: '排队中',
  ringing: '振铃中',
  talking: '通话中',
  transferring: '正在转接',
  consulting: '咨询中（来电人保持）',
  transferred: '已转出',
  ended: '已结束',
};

export const CALL_EVENT_LABEL: Record<string, string> = {
  offered: '来电',
  delivered: '分配坐席',
  ringing: '坐席振铃',
  answered: '接听',
  no_answer: '坐席未接',
  returned: '回到队列',
  held: '保持',
  resumed: '恢复通话',
  transferring: '开始转接',
  transferred: '已转接',
  transfer_failed: '转接未成功',
  consulting: '咨询对方专席',
  conferenced: '三方通话',
  ended: '通话结束',
};

export const QUEUE_LABEL: Record<string, string> = {
  hotline: '12345热线',
  alarm: '110接警',
  specialist: '专席',
  standby: '应急备用坐席组',
};

export const CALL_BACK_REASON: Record<CallBack['reason'], string> = {
  dropped_in_transfer: '转接中掉线',
  abandoned_in_queue: '排队放弃',
};
export const CALL_BACK_OUTCOME: Record<NonNullable<CallBack['outcome']>, string> = {
  reached: '已联系上',
  no_answer: '无人接听',
  wrong_number: '号码有误',
};

export const pct = (x: number | null | undefined) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)}%`);

/** The message of a refused request, in the server's own (Chinese) words. */
export const messageOf = (e: unknown) => (e as Error).message;
