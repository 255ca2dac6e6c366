import type { Lang, Template } from '../template.ts'

/** Error messages of login protection, password rules and the second factor, in Simplified Chinese and English. */
export const LOGIN_MESSAGES = {
  login_locked: {
    zh: (p) => `登录失败次数过多，已暂时锁定。请 ${p.minutes} 分钟后再试，或请安全管理员解锁`,
    en: (p) => `Too many failed sign-ins; sign-in is locked. Try again in ${p.minutes} minute(s), or ask the security administrator to unlock it`,
  },
  password_too_short: {
    zh: (p) => `密码至少需要 ${p.min} 个字符，请换一个更长的密码（可以用几个词组成的短语）`,
    en: (p) => `The password must have at least ${p.min} characters; choose a longer one (a phrase of several words works well)`,
  },
  password_contains_username: {
    zh: () => '密码不能包含用户名，请换一个密码',
    en: () => 'The password must not contain the username; choose another one',
  },
  password_one_class: {
    zh: () => '密码至少要包含两类字符（小写字母、大写字母、数字、符号），请加入另一类字符',
    en: () => 'The password must mix at least two kinds of characters (lower case, upper case, digits, symbols); add another kind',
  },
  password_common: {
    zh: () => '这是常见密码，容易被猜中，请换一个不常见的密码',
    en: () => 'This is a commonly used password that is easy to guess; choose a less common one',
  },
  login_challenge_invalid: {
    zh: () => '登录步骤已过期或无效，请重新输入用户名和密码',
    en: () => 'This sign-in step has expired or is invalid; enter your username and password again',
  },
  second_factor_bad_code: {
    zh: () => '验证码错误、已过期或已使用过。请输入身份验证器中当前显示的 6 位数字，或一个未用过的恢复码',
    en: () => 'The code is wrong, expired or already used. Enter the 6 digits your authenticator app shows now, or an unused recovery code',
  },
  second_factor_not_pending: {
    zh: () => '没有待确认的身份验证器绑定，请先开始绑定',
    en: () => 'There is no authenticator enrolment to confirm; start the enrolment first',
  },
  second_factor_not_enabled: {
    zh: () => '尚未启用双因素认证',
    en: () => 'Two-factor authentication is not enabled',
  },
  second_factor_required: {
    zh: () => '管理员账号必须使用双因素认证，不能关闭；如需更换手机，请重新绑定',
    en: () => 'Administrator accounts must use two-factor authentication and cannot turn it off; to change phones, enrol again',
  },
  second_factor_enrolment_required: {
    zh: () => '管理员账号须先绑定身份验证器（双因素认证）才能继续。请在“双因素认证”中完成绑定，或退出后重新登录并按提示绑定',
    en: () => 'Administrator accounts must set up an authenticator (two-factor authentication) first. Enrol under "Two-factor authentication", or sign out and in again and follow the steps',
  },
  lockout_not_found: {
    zh: (p) => `“${p.key}”当前没有被锁定`,
    en: (p) => `"${p.key}" is not locked`,
  },
} satisfies Record<string, Record<Lang, Template>>
