/**
 * The one catalogue of error codes. Every code maps to an HTTP status here and is documented in
 * docs/errors.md (a test checks that the two agree). Messages are shown to users, so they are Chinese.
 */
export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: { status: 400, message: '请求参数不合法' },
  INVALID_JSON: { status: 400, message: '请求体不是合法的 JSON' },
  PAYLOAD_TOO_LARGE: { status: 413, message: '请求体过大' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: '不支持的请求内容类型' },
  AUTH_REQUIRED: { status: 401, message: '请先登录' },
  AUTH_INVALID_CREDENTIALS: { status: 401, message: '用户名或密码错误' },
  AUTH_SESSION_EXPIRED: { status: 401, message: '登录已过期，请重新登录' },
  AUTH_USER_DISABLED: { status: 403, message: '账号已停用' },
  FORBIDDEN: { status: 403, message: '无权执行此操作' },
  OUT_OF_SCOPE: { status: 403, message: '该记录不在您的管辖范围内' },
  ROUTE_NOT_FOUND: { status: 404, message: '接口不存在' },
  WORK_ORDER_NOT_FOUND: { status: 404, message: '工单不存在' },
  INCIDENT_NOT_FOUND: { status: 404, message: '警情不存在' },
  USER_NOT_FOUND: { status: 404, message: '用户不存在' },
  CALENDAR_DAY_NOT_FOUND: { status: 404, message: '该日期没有特殊安排' },
  REFERENCE_NOT_FOUND: { status: 422, message: '引用的数据不存在' },
  STREET_NOT_IN_DISTRICT: { status: 422, message: '街道（镇）不属于所选区县' },
  UNIT_NOT_ASSIGNABLE: { status: 422, message: '该单位不能承办工单' },
  UNIT_NOT_DISPATCHABLE: { status: 422, message: '该单位不能处警' },
  USERNAME_TAKEN: { status: 409, message: '用户名已存在' },
  ROLE_SCOPE_INVALID: { status: 422, message: '角色与所属单位或区县不匹配' },
  WORK_ORDER_TRANSITION_NOT_ALLOWED: { status: 409, message: '工单当前状态不允许此操作' },
  WORK_ORDER_UNITS_INVALID: { status: 422, message: '承办单位设置不合法' },
  WORK_ORDER_EXTENSION_PENDING: { status: 409, message: '已有待审批的延期申请' },
  WORK_ORDER_EXTENSION_INVALID: { status: 422, message: '延期期限不合法' },
  WORK_ORDER_NO_PENDING_EXTENSION: { status: 409, message: '没有待审批的延期申请' },
  WORK_ORDER_REOPEN_NOT_ALLOWED: { status: 409, message: '仅回访不满意的工单可以重办' },
  WORK_ORDER_ARCHIVE_NEEDS_NOTE: { status: 422, message: '归档须填写说明' },
  WORK_ORDER_MERGE_INVALID: { status: 422, message: '并单目标不合法' },
  WORK_ORDER_ALREADY_OVERDUE: { status: 409, message: '工单已标记超期' },
  WORK_ORDER_NOT_DUE: { status: 409, message: '工单尚未到期' },
  INCIDENT_TRANSITION_NOT_ALLOWED: { status: 409, message: '警情当前状态不允许此操作' },
  INCIDENT_REDISPATCH_SAME_UNIT: { status: 422, message: '改派须指定不同的处警单位或层级' },
  INCIDENT_CATEGORY_UNCHANGED: { status: 422, message: '警情类别未变化' },
  TIME_LIMIT_INVALID: { status: 422, message: '办理时限设置不合法' },
  TRIAGE_TEXT_INVALID: { status: 422, message: '诉求文本无法研判' },
  TRIAGE_NOT_FOUND: { status: 404, message: '该诉求没有分流研判记录' },
  CATALOGUE_INVALID: { status: 422, message: '职责清单内容不合法' },
  CATALOGUE_VERSION_NOT_FOUND: { status: 404, message: '职责清单版本不存在' },
  LINKAGE_ITEM_NOT_FOUND: { status: 404, message: '对接事项不存在' },
  LINKAGE_TRANSITION_NOT_ALLOWED: { status: 409, message: '对接事项当前状态不允许此操作' },
  LINKAGE_WRONG_SIDE: { status: 409, message: '该操作应由对方平台执行' },
  LINKAGE_EMERGENCY_NOT_REJECTABLE: { status: 409, message: '紧急移交不能拒收' },
  ATTACHMENT_NOT_FOUND: { status: 404, message: '附件不存在' },
  ATTACHMENT_TYPE_NOT_ALLOWED: { status: 415, message: '不支持的附件类型' },
  ATTACHMENT_CONTENT_MISMATCH: { status: 422, message: '文件内容与声明的类型不符' },
  ATTACHMENT_EMPTY: { status: 400, message: '附件为空' },
  REMINDER_NOT_FOUND: { status: 404, message: '催办消息不存在' },
  REMINDER_NO_TARGET: { status: 422, message: '该事项目前没有可催办的承办单位' },
  OUTBOX_MESSAGE_NOT_FOUND: { status: 404, message: '没有该条待重发的死信消息' },
  KNOWLEDGE_ARTICLE_NOT_FOUND: { status: 404, message: '知识不存在' },
  KNOWLEDGE_VERSION_NOT_FOUND: { status: 404, message: '知识的该版本不存在' },
  KNOWLEDGE_TRANSITION_NOT_ALLOWED: { status: 409, message: '该版本当前状态不允许此操作' },
  KNOWLEDGE_SELF_REVIEW: { status: 409, message: '不能审核自己编写的版本' },
  KNOWLEDGE_VERSION_OPEN: { status: 409, message: '该知识已有待审核的修改' },
  KNOWLEDGE_STALE_BASE: { status: 409, message: '该知识已有更新的版本，请在最新版本上修改' },
  KNOWLEDGE_BODY_INVALID: { status: 422, message: '正文格式不合法' },
  PUBLIC_RATE_LIMITED: { status: 429, message: '提交过于频繁，请稍后再试' },
  PUBLIC_CHALLENGE_FAILED: { status: 422, message: '验证题答案不正确或已过期，请重新作答' },
  PUBLIC_REQUEST_NOT_FOUND: { status: 404, message: '工单编号或查询码不正确' },
  DISCLOSURE_NOT_PENDING: { status: 409, message: '该诉求未同意公开、尚未答复或已审核' },
  EIDO_INVALID: { status: 422, message: 'EIDO内容不符合规范' },
  BRIDGE_NOT_CONFIGURED: { status: 503, message: '未配置对接平台' },
  TELEPHONY_OFF: { status: 503, message: '本平台未启用话务（未设置 SIP_PORT）' },
  TELEPHONY_NO_PEER: { status: 503, message: '未配置对方平台的话务线路，不能转接通话' },
  SEAT_NOT_FOUND: { status: 404, message: '坐席分机不存在' },
  SEAT_NOT_REGISTERED: { status: 409, message: '坐席话机未注册，请先开启话机' },
  SEAT_IN_USE: { status: 409, message: '该坐席已有人签入' },
  AGENT_NOT_SIGNED_IN: { status: 409, message: '您尚未签入坐席' },
  AGENT_STATE_NOT_ALLOWED: { status: 409, message: '坐席当前状态不允许此操作' },
  CALL_NOT_FOUND: { status: 404, message: '通话不存在或已结束' },
  CALL_TRANSFER_FAILED: { status: 409, message: '转接未成功' },
  CALL_BACK_NOT_FOUND: { status: 404, message: '没有该条待回拨记录' },
  QUEUE_NOT_FOUND: { status: 404, message: '话务队列不存在' },
  CALL_RECORD_CSV_INVALID: { status: 422, message: '话单文件内容不合法' },
  SERVICE_UNAVAILABLE: { status: 503, message: '服务暂不可用' },
  INTERNAL_ERROR: { status: 500, message: '服务器内部错误' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: Record<string, unknown> | undefined;
  constructor(code: ErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CATALOGUE[code].message);
    this.code = code;
    this.status = ERROR_CATALOGUE[code].status;
    this.details = details;
  }
}

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code);
}

/** A domain failure becomes an AppError with the domain's own code and message. */
export function fromDomain(err: { code: string; message: string; details?: Record<string, unknown> }): AppError {
  return new AppError(isErrorCode(err.code) ? err.code : 'VALIDATION_FAILED', err.message, err.details);
}
