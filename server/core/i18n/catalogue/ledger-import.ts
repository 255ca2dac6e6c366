import type { Lang, Template } from '../template.ts'

/** Messages of the ledger import (台账导入): file refusals and the reasons a row is refused, in Simplified Chinese and English. */
export const LEDGER_IMPORT_MESSAGES = {
  ledger_file_missing: {
    zh: () => '请以 multipart/form-data 上传台账文件（字段名 file，.xlsx 或 .csv）',
    en: () => 'Upload the ledger as multipart/form-data (field "file", .xlsx or .csv)',
  },
  ledger_file_too_large: {
    zh: (p) => `台账文件过大，上限为 ${p.limitMb} MB；请拆分后分批导入`,
    en: (p) => `The ledger file is too large; the limit is ${p.limitMb} MB. Split it and import the parts`,
  },
  ledger_too_many_rows: {
    zh: (p) => `台账共有 ${p.rows} 行数据，一次最多导入 ${p.limit} 行；请拆分后分批导入`,
    en: (p) => `The ledger has ${p.rows} data rows; at most ${p.limit} can be imported at once. Split it and import the parts`,
  },
  ledger_file_unreadable: {
    zh: (p) => `无法读取台账文件：${p.detail}。请上传 .xlsx（Excel 2007 及以上）或 UTF-8/GBK 编码的 .csv 文件`,
    en: (p) => `The ledger file cannot be read: ${p.detail}. Upload an .xlsx (Excel 2007 or later) or a UTF-8/GBK .csv file`,
  },
  ledger_file_empty: {
    zh: () => '台账文件中没有表头或数据行',
    en: () => 'The ledger file has no header row or no data rows',
  },
  ledger_options_invalid: {
    zh: (p) => `导入选项无效：${p.detail}`,
    en: (p) => `Invalid import options: ${p.detail}`,
  },
  ledger_mapping_unknown_column: {
    zh: (p) => `字段“${p.field}”对应的列“${p.column}”不在文件表头中`,
    en: (p) => `Column "${p.column}" chosen for field "${p.field}" is not a header of the file`,
  },
  ledger_mapping_missing: {
    zh: (p) => `以下必填字段还没有对应的列：${p.fields}。请在“列对应”中选择`,
    en: (p) => `These required fields have no column yet: ${p.fields}. Choose them in the column mapping`,
  },
  ledger_commit_refused: {
    zh: (p) => `有 ${p.refused} 行未通过检查，本次导入未写入任何数据。请按报告修改台账后重新导入`,
    en: (p) => `${p.refused} rows did not pass the checks; nothing was written. Correct the ledger as the report says and import it again`,
  },
  ledger_row_required: {
    zh: (p) => `“${p.field}”不能为空`,
    en: (p) => `"${p.field}" is empty`,
  },
  ledger_row_bad_value: {
    zh: (p) => `“${p.field}”的值“${p.value}”无法识别，可用值：${p.allowed}`,
    en: (p) => `"${p.field}" value "${p.value}" is not recognised; allowed: ${p.allowed}`,
  },
  ledger_row_bad_time: {
    zh: (p) => `“${p.field}”的值“${p.value}”不是有效时间（例：2025-11-05 08:00）或晚于当前时间`,
    en: (p) => `"${p.field}" value "${p.value}" is not a valid time (e.g. 2025-11-05 08:00) or lies in the future`,
  },
  ledger_row_too_long: {
    zh: (p) => `“${p.field}”过长，最多 ${p.max} 个字符`,
    en: (p) => `"${p.field}" is too long; at most ${p.max} characters`,
  },
  ledger_row_bad_coordinates: {
    zh: (p) => `坐标“${p.lon}, ${p.lat}”不是有效的经纬度（经度在前，单位为度）`,
    en: (p) => `Coordinates "${p.lon}, ${p.lat}" are not valid degrees (longitude first)`,
  },
  ledger_row_unknown_grid_code: {
    zh: (p) => `网格编码“${p.code}”不是本镇现行的基础网格或精细网格编码`,
    en: (p) => `Grid code "${p.code}" is not a current base or fine grid code of the township`,
  },
  ledger_row_village_only: {
    zh: (p) => `地址只能对应到村（社区）“${p.village}”，无法确定网格。请补充网格名称、网格编码或坐标`,
    en: (p) => `The address matches only the village "${p.village}", not a grid. Add a grid name, a grid code or coordinates`,
  },
  ledger_row_unlocated: {
    zh: () => '无法定位：没有坐标、网格编码，地址中也找不到本镇的网格名称或编码（地址匹配只在本系统的村、网格名称和编码中进行，不联网）',
    en: () => 'Cannot be located: no coordinates, no grid code, and the address names no grid of the township (addresses are matched offline, against our own village and grid names and codes)',
  },
  ledger_row_duplicate_case: {
    zh: (p) => `与已有事件重复（同类型、同发现时间、同描述${p.id ? `，编号 ${p.id}` : ''}）`,
    en: (p) => `Duplicates an existing case (same kind, reported time and description${p.id ? `, id ${p.id}` : ''})`,
  },
  ledger_row_duplicate_person: {
    zh: () => '该身份证号的重点人员已登记',
    en: () => 'A key person with this identity number is already registered',
  },
  ledger_row_duplicate_in_file: {
    zh: (p) => `与本文件第 ${p.row} 行重复`,
    en: (p) => `Duplicates row ${p.row} of this file`,
  },
  ledger_row_lead_source: {
    zh: () => '来源“线索转化”的事件只能由线索清单转化生成，不能导入；请改为“部门移交”等来源',
    en: () => 'Cases from a converted lead are created by converting the lead, not by import; use another source such as "department"',
  },
  ledger_note_status_not_imported: {
    zh: (p) => `台账中的状态“${p.status}”未导入：导入的事件从“${p.initial}”开始，后续办理在系统中进行`,
    en: (p) => `Status "${p.status}" of the ledger is not imported: an imported case starts as "${p.initial}"; later steps are taken in the app`,
  },
  ledger_note_no_parties: {
    zh: () => '未填写当事人：纠纷将不带当事人登记，请在系统中补充',
    en: () => 'No parties given: the dispute is registered without parties; add them in the app',
  },
} satisfies Record<string, Record<Lang, Template>>
