/**
 * Schema-validation failures in Chinese, naming the field as the forms label it, so the console can
 * show the server's message as is ("缺少必填项：派单目录分类"). The validator's own output stays in
 * `details` for developers.
 */
const FIELD_LABELS: Record<string, string> = {
  content: '诉求内容',
  categoryCode: '派单目录分类',
  orderType: '工单类型',
  channel: '受理渠道',
  districtCode: '区县',
  streetCode: '街道（镇）',
  address: '地址',
  phone: '电话',
  name: '姓名',
  caller: '来电人',
  title: '标题',
  urgentKind: '紧急工单类型',
  leadUnitId: '主办单位',
  assistUnitIds: '协办单位',
  note: '说明',
  reasonCode: '原因',
  reason: '理由',
  reply: '答复内容',
  result: '办理结果',
  requestedDueAt: '申请延至',
  satisfaction: '满意度',
  intoWorkOrderId: '并入工单',
  message: '催办内容',
  text: '诉求文本',
  category: '警情类别',
  priority: '等级',
  tier: '处警层级',
  unitId: '处警单位',
  disposition: '处置结果',
  summary: '处置情况',
  target: '分流去向',
  kind: '类型',
  outcome: '协商结果',
  status: '状态',
  username: '用户名',
  password: '密码',
  receivedAt: '受理时间',
  lat: '纬度',
  lng: '经度',
  clientRef: '客户端编号',
  page: '页码',
  pageSize: '每页条数',
  sort: '排序',
  from: '开始时间',
  to: '结束时间',
  deadline: '期限',
  q: '搜索词',
};

export interface AjvError {
  keyword: string;
  instancePath?: string;
  params?: Record<string, unknown>;
  message?: string;
}

export function validationMessage(e: AjvError | undefined, context: string): string {
  if (!e) return '请求参数不合法';
  const segs = (e.instancePath ?? '').split('/').filter((s) => s && !/^\d+$/.test(s));
  const prop =
    e.keyword === 'required'
      ? String(e.params?.missingProperty ?? '')
      : e.keyword === 'additionalProperties'
        ? String(e.params?.additionalProperty ?? '')
        : (segs[segs.length - 1] ?? '');
  const field =
    FIELD_LABELS[prop] ??
    (prop || (context === 'querystring' ? '查询参数' : context === 'params' ? '路径参数' : '请求体'));
  const p = e.params ?? {};
  switch (e.keyword) {
    case 'required':
      return `缺少必填项：${field}`;
    case 'additionalProperties':
      return `不接受的字段：${prop}`;
    case 'minLength':
      return Number(p.limit) <= 1 ? `${field}不能为空` : `${field}至少 ${String(p.limit)} 个字`;
    case 'maxLength':
      return `${field}不能超过 ${String(p.limit)} 个字`;
    case 'minItems':
      return `${field}至少 ${String(p.limit)} 项`;
    case 'maxItems':
      return `${field}不能超过 ${String(p.limit)} 项`;
    case 'minimum':
    case 'exclusiveMinimum':
      return `${field}不能小于 ${String(p.limit)}`;
    case 'maximum':
    case 'exclusiveMaximum':
      return `${field}不能大于 ${String(p.limit)}`;
    case 'enum':
    case 'const':
    case 'anyOf':
    case 'oneOf':
      return `${field}的取值不在允许范围内`;
    case 'pattern':
    case 'format':
      return `${field}格式不正确`;
    case 'type':
      return `${field}类型不正确`;
    default:
      return `${field}不合法${e.message ? `（${e.message}）` : ''}`;
  }
}
