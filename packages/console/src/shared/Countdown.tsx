import { Tag } from 'antd';
import { fmtDuration } from './format.ts';

/** Time left until a deadline: green, orange in the last `warnMinutes`, red once passed. */
export function Countdown({
  deadline,
  now,
  warnMinutes = 10,
  doneLabel,
}: {
  deadline: string | null;
  now: number;
  warnMinutes?: number;
  doneLabel?: string;
}) {
  if (doneLabel) return <Tag>{doneLabel}</Tag>;
  if (!deadline) return <span>—</span>;
  const left = (new Date(deadline).getTime() - now) / 1000;
  if (left <= 0)
    return (
      <Tag color="red" data-testid="countdown">
        已超时 {fmtDuration(-left)}
      </Tag>
    );
  return (
    <Tag color={left < warnMinutes * 60 ? 'orange' : 'green'} data-testid="countdown">
      剩余 {fmtDuration(left)}
    </Tag>
  );
}
