/** City departments and local units that hand over cases and leads, by category. */
export const DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  fire: ['大理市消防救援大队喜洲消防站', '大理市应急管理局'],
  geological: ['大理市自然资源局', '大理市应急管理局'],
  flood: ['大理州洱海保护管理局', '大理市水务局'],
  building: ['大理市住房和城乡建设局'],
  traffic: ['大理市公安局交通警察大队'],
  electrical: ['大理供电局喜洲供电所'],
  food: ['大理市市场监督管理局'],
  'public-security': ['大理市公安局喜洲派出所'],
  neighbour: ['大理市公安局喜洲派出所'],
  land: ['大理市自然资源局', '大理市农业农村局'],
  homestead: ['大理市自然资源局'],
  contract: ['大理市市场监督管理局'],
  debt: ['大理市人民法院喜洲人民法庭'],
  labour: ['大理市人力资源和社会保障局'],
  'marriage-family': ['大理市妇女联合会'],
  'public-order': ['大理市公安局喜洲派出所'],
  'criminal-civil': ['大理市人民检察院'],
  petition: ['大理市信访局'],
  hardship: ['大理市民政局'],
}

/** Fallback department. */
export const DEFAULT_DEPARTMENT = '大理市委政法委'
