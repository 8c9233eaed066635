/** Words of the administration pages. */
export const messageOf = (e: unknown) => (e as Error).message;

export const CALENDAR_KIND: Record<string, string> = { holiday: '节假日', workday: '调休上班' };
export const LIMIT_UNIT: Record<string, string> = { hours: '小时', working_days: '个工作日' };

/** Each audited action, as the audit log reads it. */
export const AUDIT_ACTION: Record<string, string> = {
  'user.create': '新建用户',
  'user.update': '修改用户',
  'user.unlock': '解除登录锁定',
  'user.totp_reset': '重置动态验证码',
  'auth.login': '登录',
  'auth.login_failed': '登录失败',
  'auth.lockout': '登录锁定',
  'auth.password_change': '修改本人密码',
  'auth.totp_enabled': '绑定动态验证码',
  'auth.totp_disabled': '解除动态验证码',
  'caller.reveal': '查看来电人信息',
  'retention.purge': '按期清除个人信息',
  'calendar.set': '设置节假日或调休',
  'calendar.clear': '取消特殊安排',
  'time_limit.set': '设置办理时限',
  'catalogue.publish': '发布职责清单版本',
  'ivr.save': '保存导航流程',
  'catalogue.draft_create': '新建职责清单草稿',
  'catalogue.draft_update': '修改职责清单草稿',
  'catalogue.draft_entry_set': '编辑职责清单草稿条目',
  'catalogue.draft_entry_remove': '删除职责清单草稿条目',
  'catalogue.draft_discard': '放弃职责清单草稿',
  'phrase.create': '新增常用语',
  'phrase.update': '修改常用语',
  'phrase.reorder': '调整常用语顺序',
  'phrase.delete': '删除常用语',
  'connector.create': '新增联动单位接入',
  'connector.set': '设置联动单位接入',
  'connector.update': '修改联动单位接入',
  'connector.rotate_key': '更换联动单位密钥',
  'open311_client.put': '设置开放接口客户端',
  'unit.create': '新增单位',
  'unit.update': '修改单位',
  'category.create': '新增派单目录',
  'category.update': '修改派单目录',
  'import.units': '批量导入单位',
  'import.users': '批量导入用户',
  'import.categories': '批量导入派单目录',
  'duty_staffing.enter': '填报在岗接警员',
  'watch_list.add': '列入骚扰关注名单',
  'watch_list.remove': '移出骚扰关注名单',
  'bridge.dead_letter.retry': '重发死信',
  'dispatch_model.publish': '发布智能派单模型',
  'dispatch_model.activate': '启用智能派单模型',
};

/** Why a log-in failed, as the audit log reads it. */
export const LOGIN_FAILURE: Record<string, string> = {
  password: '密码错误',
  unknown_user: '用户名不存在',
  disabled: '账号已停用',
  wrong_desk: '不属于本平台',
  locked: '锁定期间尝试',
  totp: '动态验证码错误',
  current_password: '修改密码时原密码错误',
};
