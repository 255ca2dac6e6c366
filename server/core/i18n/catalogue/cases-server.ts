import type { Lang, Template } from '../template.ts'

/** Error messages of case filters, photos and reveals, in Simplified Chinese and English. */
export const CASES_SRV_MESSAGES = {
  bad_filter_value: {
    zh: (p) => `筛选参数 ${p.parameter} 的取值“${p.value}”无效。可用：${p.allowed}`,
    en: (p) => `Unknown value "${p.value}" for the filter ${p.parameter}. Allowed: ${p.allowed}`,
  },
  photo_required: {
    zh: () => '请以 multipart/form-data 上传至少一张照片（字段名 photo）',
    en: () => 'Upload at least one photo as multipart/form-data (field "photo")',
  },
  photo_too_large: {
    zh: (p) => `照片过大：每张不超过 ${p.maxMegabytes} MB`,
    en: (p) => `The photo is too large: at most ${p.maxMegabytes} MB each`,
  },
  photo_bad_type: {
    zh: (p) => `“${p.fileName}”不是 JPEG、PNG 或 WebP 图片`,
    en: (p) => `"${p.fileName}" is not a JPEG, PNG or WebP image`,
  },
  photo_limit: {
    zh: (p) => `每个事件最多 ${p.max} 张照片，已有 ${p.existing} 张`,
    en: (p) => `At most ${p.max} photos per case; it already has ${p.existing}`,
  },
  photo_batch_limit: {
    zh: (p) => `一次最多上传 ${p.max} 张照片`,
    en: (p) => `At most ${p.max} photos per upload`,
  },
  photo_not_found: {
    zh: (p) => `事件 ${p.caseId} 没有编号为 ${p.photoId} 的照片`,
    en: (p) => `Case ${p.caseId} has no photo ${p.photoId}`,
  },
  photo_forbidden: {
    zh: () => '您不能为该事件添加照片（领导仅查看；站所人员只能为分流到本站的事件添加）',
    en: () => 'You may not add photos to this case (leaders only view; station staff only for cases dispatched to their station)',
  },
  case_reveal_forbidden: {
    zh: () => '您无权查看该事件的完整电话号码（仅管理员、综治中心、本网格网格员及承办站所可申请查看）',
    en: () => 'You may not reveal this case’s phone numbers (admin, dispatcher, the grid’s worker and the handling station only)',
  },
  case_reveal_reason_required: {
    zh: () => '请填写查看原因（至少 5 个字），原因将记入审计日志',
    en: () => 'Give a reason of at least 5 characters; it is kept in the audit log',
  },
} satisfies Record<string, Record<Lang, Template>>
