import type { Lang, Template } from '../template.ts'

/** Error messages of sessions, tokens and credential administration, in Simplified Chinese and English. */
export const CREDENTIALS_MESSAGES = {
  session_expired: {
    zh: (p) => `登录已过期（${p.idleMinutes} 分钟未操作或超过最长 ${p.maxHours} 小时），请重新登录`,
    en: (p) => `Your session has ended (no activity for ${p.idleMinutes} minutes, or older than ${p.maxHours} hours); sign in again`,
  },
  account_disabled: {
    zh: () => '该账号已被停用，请联系安全管理员启用',
    en: () => 'This account is disabled; ask the security administrator to enable it',
  },
  session_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的有效会话（可能已结束）；刷新列表后重试`,
    en: (p) => `No active session with id ${p.id} (it may have ended already); refresh the list and try again`,
  },
  token_not_found: {
    zh: (p) => `没有编号为 ${p.id} 的有效 API 令牌（可能已撤销或过期）；刷新列表后重试`,
    en: (p) => `No usable API token with id ${p.id} (it may be revoked or expired already); refresh the list and try again`,
  },
  not_yourself: {
    zh: (p) => `不能${p.what === 'demote' ? '更改自己的角色' : '停用自己的账号'}；请由另一位安全管理员操作`,
    en: (p) => `You cannot ${p.what === 'demote' ? 'change your own role' : 'disable your own account'}; ask another security administrator`,
  },
  admin_role_for_security_admin: {
    zh: (p) => `只有安全管理员可以创建或授予管理员角色（${p.role}）；请联系安全管理员`,
    en: (p) => `Only the security administrator may create or grant an administrator role (${p.role}); ask them`,
  },
  ordinary_role_for_admin: {
    zh: (p) => `普通角色（${p.role}）的用户由系统管理员创建（POST /api/users）；安全管理员在此只创建管理员账号`,
    en: (p) => `Users with an ordinary role (${p.role}) are created by the system administrator (POST /api/users); the security administrator creates administrator accounts here`,
  },
  nothing_to_change: {
    zh: () => '请求中没有要修改的内容：请提供 disabled 或 role',
    en: () => 'Nothing to change: send disabled or role',
  },
} satisfies Record<string, Record<Lang, Template>>
