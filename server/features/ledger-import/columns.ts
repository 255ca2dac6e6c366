import type { Lang } from '../../core/i18n/messages.ts'
import { problemListHeaders } from '../cases/index.ts'

/** What a ledger brings in: hazards and disputes (one table with a kind column, as our problem list) or key persons. */
export type LedgerTarget = 'cases' | 'key-persons'

/** A field of the import, with the header texts that name it. */
export interface LedgerField {
  key: string
  label: Record<Lang, string>
  /** Required in every row (location fields are checked together: see {@link LOCATION_FIELDS}). */
  required: boolean
  /**
   * Header texts that name this field, normalised by {@link normaliseHeader}. The first zh and en
   * entries are the headers of our own export (cases: `problemTable` of the problem list), so an
   * export is recognised without a mapping step.
   */
  headers: string[]
}

const field = (key: string, zh: string, en: string, required: boolean, ...more: string[]): LedgerField => ({
  key,
  label: { zh, en },
  required,
  headers: [zh, en, ...more],
})

/** Fields that locate a row; at least one way (coordinates, grid code, grid name, address) must work. */
const LOCATION: LedgerField[] = [
  field('lon', '经度', 'Longitude', false, 'lon', 'lng', 'x', '东经', 'X坐标'),
  field('lat', '纬度', 'Latitude', false, 'lat', 'y', '北纬', 'Y坐标'),
  field('gridCode', '网格编码', 'Grid code', false, '网格代码', '网格编号', 'grid_code', 'gridcode'),
  field('village', '村（社区）', 'Village', false, '所属村', '村', '村社区', '社区', '所属村（社区）', 'village/community'),
  field('baseGrid', '基础网格', 'Base grid', false, '所属网格', '网格', 'grid'),
  field('fineGrid', '精细网格', 'Fine grid', false, '微网格', '精细化网格'),
]

/** Keys of the location fields. */
export const LOCATION_FIELDS = new Set(LOCATION.map((f) => f.key))

/** Fields of a hazard/dispute ledger; the first headers are those of our monthly problem list (问题清单). */
export const CASE_FIELDS: LedgerField[] = [
  field('kind', '类型', 'Kind', false, '事件类型', '类别类型'),
  field('category', '类别', 'Category', true, '事件类别', '隐患类别', '纠纷类别', '隐患类型', '纠纷类型', '分类'),
  field('description', '描述', 'Description', true, '事件描述', '问题描述', '情况描述', '内容', '简要情况', '隐患描述', '纠纷描述'),
  field('grade', '等级', 'Severity / tier', true, '严重程度', '风险等级', '纠纷等级', '隐患等级', 'severity', 'tier', 'grade'),
  field('reportedAt', '发现时间', 'Reported', true, '登记时间', '排查时间', '发生时间', '上报时间', 'reported at', 'date'),
  field('source', '来源', 'Source', false, '事件来源', '信息来源'),
  field('reporterName', '报告人', 'Reporter', true, '登记人', '排查人', '上报人', '发现人', 'reporter name'),
  field('reporterPhone', '报告人电话', 'Reporter phone', false, '联系电话', '报告人联系电话'),
  field('parties', '当事人', 'Parties', false, '纠纷当事人', '当事人及所在村'),
  field('status', '状态', 'Status', false, '办理状态'),
  field('address', '地址', 'Address', false, '地点', '位置', '详细地址', '发生地点', 'location'),
  ...LOCATION,
]

/** Fields of a key-person ledger (we have no key-person export: these headers are the register's field names). */
export const PERSON_FIELDS: LedgerField[] = [
  field('name', '姓名', 'Name', true, '人员姓名'),
  field('gender', '性别', 'Gender', false, 'sex'),
  field('birthYear', '出生年份', 'Birth year', false, '出生年', '出生年月', '出生日期', 'birth'),
  field('idNumber', '身份证号', 'ID number', false, '公民身份号码', '身份证号码', '身份证', 'id number', 'id no'),
  field('phone', '联系电话', 'Phone', false, '电话', '手机', '手机号', '联系方式'),
  field('address', '住址', 'Address', false, '现住址', '家庭住址', '户籍地址', '居住地址', '地址'),
  field('category', '人员类别', 'Category', true, '类别', '重点人员类别', '人员类型', '类型'),
  field('colour', '管理等级', 'Colour', true, '颜色', '四色管理', '风险颜色', '管控等级', 'color', 'level'),
  field('status', '状态', 'Status', false, '管理状态'),
  field('note', '备注', 'Note', false, 'notes', 'remark'),
  ...LOCATION,
]

/** The fields of `target`. */
export function fieldsOf(target: LedgerTarget): LedgerField[] {
  return target === 'cases' ? CASE_FIELDS : PERSON_FIELDS
}

/**
 * A header as compared: lower case, full-width brackets as ASCII, without spaces,
 * brackets, slashes, colons, underscores and a trailing "*" (a "required" mark).
 */
export function normaliseHeader(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s()（）[\]【】/:：_*＊\-.]/g, '')
}

/** Column index (0-based) of each field, or null when no column holds it. */
export type ColumnMapping = Record<string, number | null>

/**
 * The mapping the server proposes: a header that names a field exactly (after
 * {@link normaliseHeader}) maps to it, each column to one field at most, fields in
 * the order listed (so "类别" goes to the case category before anything else).
 */
export function proposeMapping(target: LedgerTarget, headers: string[]): ColumnMapping {
  const normalised = headers.map(normaliseHeader)
  const used = new Set<number>()
  const mapping: ColumnMapping = {}
  for (const f of fieldsOf(target)) {
    const names = new Set(f.headers.map(normaliseHeader))
    const index = normalised.findIndex((header, i) => !used.has(i) && header !== '' && names.has(header))
    mapping[f.key] = index >= 0 ? index : null
    if (index >= 0) used.add(index)
  }
  return mapping
}

/**
 * Whether `headers` are those of our own problem-list export (问题清单), in either
 * language: then no mapping step is needed. Key persons have no export (identities
 * leave the system only through the audited reveal), so a key-person ledger always
 * goes through the mapping step.
 */
export function isOwnExport(target: LedgerTarget, headers: string[]): boolean {
  if (target !== 'cases') return false
  const given = headers.map(normaliseHeader).join('|')
  return (['zh', 'en'] as const).some((lang) => problemListHeaders(lang).map(normaliseHeader).join('|') === given)
}
