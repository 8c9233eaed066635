import { Alert, Descriptions, Spin, Tag, Typography } from 'antd';
import type { TriageOutcome } from '../../api/types.ts';
import { readableReason } from '../../shared/format.ts';

const ROUTE_COLOR: Record<string, string> = {
  '110': 'red',
  '119': 'volcano',
  '120': 'magenta',
  utility: 'orange',
  '12345': 'blue',
  governance_center: 'cyan',
  vehicle_moving: 'geekblue',
  guidance: 'green',
};

/** The triage suggestion and its reasons, as the call-taker types. */
export function TriagePanel({
  outcome,
  loading,
  error,
  routeLabels,
}: {
  outcome: TriageOutcome | null;
  loading: boolean;
  error: string | null;
  routeLabels: Record<string, string>;
}) {
  if (error) return <Alert type="warning" showIcon title={`研判暂不可用：${error}`} />;
  if (!outcome)
    return (
      <Typography.Text type="secondary">
        {loading ? <Spin size="small" /> : '录入诉求内容后自动给出分流建议'}
      </Typography.Text>
    );
  return (
    <div data-testid="triage-panel">
      {outcome.emergency && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 8 }}
          data-testid="triage-emergency"
          title={`紧急：涉及人身或财产安全危险，应立即转${routeLabels[outcome.route] ?? outcome.route}${outcome.linked.length ? `并联动${outcome.linked.map((l) => routeLabels[l] ?? l).join('、')}` : ''}（不得进入普通工单队列）`}
        />
      )}
      {outcome.needsConsultation && (
        <Alert type="warning" showIcon title="职责边界不清，建议发起三方会商" style={{ marginBottom: 8 }} />
      )}
      {outcome.review && !outcome.emergency && (
        <Alert
          type="info"
          showIcon
          title="研判依据不足，请话务员判断后选择去向"
          style={{ marginBottom: 8 }}
          data-testid="triage-review"
        />
      )}
      <Descriptions
        size="small"
        column={1}
        bordered
        styles={{ label: { whiteSpace: 'nowrap' } }}
        items={[
          {
            key: 'route',
            label: '建议去向',
            children: (
              <span data-testid="triage-route">
                <Tag color={ROUTE_COLOR[outcome.route] ?? 'default'}>
                  {routeLabels[outcome.route] ?? outcome.routeLabel ?? outcome.route}
                </Tag>
                {loading && <Spin size="small" />}
              </span>
            ),
          },
          ...(outcome.linked.length
            ? [
                {
                  key: 'linked',
                  label: '同时联动',
                  children: outcome.linked.map((l) => <Tag key={l}>{routeLabels[l] ?? l}</Tag>),
                },
              ]
            : []),
          ...(outcome.urgent
            ? [{ key: 'urgent', label: '紧急工单', children: <Tag color="orange">建议按紧急工单办理</Tag> }]
            : []),
          { key: 'confidence', label: '置信度', children: `${Math.round(outcome.confidence * 100)}%` },
          {
            key: 'reasons',
            label: '理由',
            children: (
              <ul className="triage-reasons" data-testid="triage-reasons">
                {outcome.reasons.map((r, i) => (
                  <li key={i}>{readableReason(r)}</li>
                ))}
              </ul>
            ),
          },
          ...(outcome.guidance ? [{ key: 'guidance', label: '答复口径', children: outcome.guidance }] : []),
          {
            key: 'catalogue',
            label: '依据',
            children: <span data-testid="triage-catalogue">职责清单第{outcome.catalogueVersion}版</span>,
          },
        ]}
      />
    </div>
  );
}
