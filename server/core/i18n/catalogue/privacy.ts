import type { Lang, Template } from '../template.ts'

/** Error messages of aggregates and masking, in Simplified Chinese and English. */
export const PRIVACY_MESSAGES = {
  key_person_not_visible: {
    zh: (p) => `没有你可以查看的编号为 ${p.id} 的重点人员：该编号不存在、已归档，或不在你的查看范围内（网格员仅限本网格；领导和站所只能查看汇总统计）。请从重点人员列表中选择`,
    en: (p) => `No key person ${p.id} that you may see: the id does not exist, is archived, or is outside what you may see (grid workers: their own grids; leaders and stations: aggregated counts only). Pick a person from the key-person list`,
  },
  key_person_cell_size: {
    zh: (p) => `重点人员的网格统计只能使用固定的单元大小，不支持 ${p.size} 米。请从以下选择：${p.allowed}（米）`,
    en: (p) => `Key-person bins come in fixed cell sizes only; ${p.size} m is not one of them. Choose one of: ${p.allowed} (metres)`,
  },
} satisfies Record<string, Record<Lang, Template>>
