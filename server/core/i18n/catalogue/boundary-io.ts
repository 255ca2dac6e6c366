import type { Lang, Template } from '../template.ts'

/** Messages of boundary import and export (issue 5), in Simplified Chinese and English. */
export const BOUNDARY_IO_MESSAGES = {
  boundary_import_too_large: {
    zh: (p) => `导入文件过大，上限为 ${p.limitMb} MB；请按村或网格分批导入`,
    en: (p) => `The import file is too large; the limit is ${p.limitMb} MB. Split it by village or grid and import the parts`,
  },
  boundary_import_empty: {
    zh: () => '导入文件为空，请选择 GeoJSON、KML 或压缩的 Shapefile（.zip）文件',
    en: () => 'The import file is empty; choose a GeoJSON, KML or zipped Shapefile (.zip) file',
  },
  boundary_import_unknown_format: {
    zh: () => '无法识别文件格式：请上传 GeoJSON（.geojson/.json）、KML（.kml）或包含 .shp 的 ZIP 压缩包',
    en: () => 'Unrecognised file format: upload GeoJSON (.geojson/.json), KML (.kml) or a ZIP archive holding a .shp',
  },
  boundary_import_bad_geojson: {
    zh: (p) => `GeoJSON 无法解析：${p.detail}。请确认文件是 FeatureCollection`,
    en: (p) => `The GeoJSON could not be read: ${p.detail}. Check that the file is a FeatureCollection`,
  },
  boundary_import_bad_zip: {
    zh: (p) => `ZIP 压缩包无法读取或不含 Shapefile：${p.detail}。压缩包中应有同名的 .shp、.dbf（最好还有 .prj、.cpg）`,
    en: (p) => `The ZIP archive could not be read or holds no Shapefile: ${p.detail}. It should hold a .shp and .dbf of the same name (ideally .prj and .cpg too)`,
  },
  boundary_import_bad_kml: {
    zh: (p) => `KML 无法解析：${p.detail}`,
    en: (p) => `The KML could not be read: ${p.detail}`,
  },
  boundary_import_no_features: {
    zh: () => '文件中没有任何要素',
    en: () => 'The file holds no features',
  },
  boundary_import_bad_geometry_types: {
    zh: (p) => `文件中有 ${p.count} 个要素不是面（发现类型：${p.types}），边界只能是 Polygon 或 MultiPolygon`,
    en: (p) => `${p.count} feature(s) are not polygons (found: ${p.types}); boundaries must be Polygon or MultiPolygon`,
  },
  boundary_import_too_many_features: {
    zh: (p) => `要素过多（${p.count} 个），一次最多导入 ${p.limit} 个`,
    en: (p) => `Too many features (${p.count}); at most ${p.limit} per import`,
  },
  boundary_import_not_found: {
    zh: () => '未找到该导入任务（任务结果保留一小时）',
    en: () => 'No such import job (results are kept for an hour)',
  },
  import_refused_no_code: {
    zh: () => '缺少编码属性（可用字段名：code、CODE、编码、代码、area_code）',
    en: () => 'No code property (accepted names: code, CODE, 编码, 代码, area_code)',
  },
  import_refused_duplicate_code: {
    zh: (p) => `编码 ${p.code} 在文件中重复出现，全部未导入`,
    en: (p) => `Code ${p.code} appears more than once in the file; none of them was imported`,
  },
  import_refused_wrong_level: {
    zh: (p) => `编码 ${p.code} 的位数与所选层级（${p.level}）不符`,
    en: (p) => `Code ${p.code} does not have the length of the chosen level (${p.level})`,
  },
  import_refused_unknown_parent: {
    zh: (p) => `编码 ${p.code} 不存在，其上级编码 ${p.parent} 也不存在，无法新建`,
    en: (p) => `Code ${p.code} is unknown and so is its parent code ${p.parent}; it cannot be created`,
  },
  import_refused_no_create: {
    zh: (p) => `编码 ${p.code} 不存在；村（社区）编码来自统计部门，不能通过导入新建`,
    en: (p) => `Code ${p.code} is unknown; village codes come from the statistics bureau and are not created by import`,
  },
  import_refused_bad_figures: {
    zh: (p) => `${p.field} 应为非负整数，收到“${p.value}”`,
    en: (p) => `${p.field} must be a whole number of at least 0; got "${p.value}"`,
  },
  import_refused_rules: {
    zh: (p) => `不符合网格规则（${p.count} 个问题）`,
    en: (p) => `Breaks the grid rules (${p.count} problem(s))`,
  },
} satisfies Record<string, Record<Lang, Template>>
