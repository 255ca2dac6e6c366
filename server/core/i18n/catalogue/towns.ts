import type { Lang, Template } from '../template.ts'

/** Error messages of towns and county scope (issue 13), in Simplified Chinese and English. */
export const TOWNS_MESSAGES = {
  town_required: {
    zh: (p) => `角色“${p.role}”属于某个乡镇：请用 townId 指定乡镇（可选：${p.towns}）`,
    en: (p) => `Role "${p.role}" belongs to a town: name it with townId (one of: ${p.towns})`,
  },
  unknown_town: {
    zh: (p) => `乡镇 ${p.id} 不存在或不在您的管辖范围内`,
    en: (p) => `Town ${p.id} does not exist or is outside your scope`,
  },
  county_role_has_no_town: {
    zh: (p) => `县级角色“${p.role}”覆盖全县，不属于某个乡镇：请不要提供 townId`,
    en: (p) => `The county role "${p.role}" covers the whole county and belongs to no town: leave townId out`,
  },
  county_user_by_town_admin: {
    zh: () => '乡镇管理员只能创建本乡镇的用户，不能创建县级用户；请联系县级管理员',
    en: () => 'A town administrator creates users of their own town only, never county users; ask a county administrator',
  },
  other_town_user: {
    zh: () => '乡镇管理员只能创建和管理本乡镇的用户',
    en: () => 'A town administrator creates and manages users of their own town only',
  },
  grids_of_other_town: {
    zh: (p) => `网格 ${p.ids} 不属于该用户所在的乡镇`,
    en: (p) => `Grid(s) ${p.ids} do not belong to the user's town`,
  },
  outside_your_town: {
    zh: () => '该位置或对象不在您所在的乡镇内，您只能处理本乡镇的数据',
    en: () => 'This place or record is outside your town; you work on your own town\'s data only',
  },
  county_role_for_town_user: {
    zh: (p) => `县级角色“${p.role}”覆盖全县，不能授予属于某个乡镇的用户；请为其另建县级账号`,
    en: (p) => `The county role "${p.role}" covers the whole county and cannot be given to a user of a town; create a county account instead`,
  },
  town_role_for_county_user: {
    zh: (p) => `角色“${p.role}”属于某个乡镇，不能授予县级用户；请在该乡镇另建账号（townId）`,
    en: (p) => `Role "${p.role}" belongs to a town and cannot be given to a county user; create an account in the town instead (townId)`,
  },
  import_town_required: {
    zh: (p) => `县里有多个乡镇：请用参数 townId 指明导入哪个乡镇的边界（可选：${p.towns}）；文件中其他乡镇的要素将被拒绝`,
    en: (p) => `The county has several towns: name the town of the import with townId (one of: ${p.towns}); features of other towns in the file are refused`,
  },
} satisfies Record<string, Record<Lang, Template>>
