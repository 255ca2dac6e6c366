/** Property names an import reads the area code from, in this order. */
export const CODE_PROPERTY_NAMES = ['code', 'CODE', 'Code', '编码', '代码', 'area_code', 'AREA_CODE'] as const
const NAME_PROPERTY_NAMES = ['name', 'NAME', 'Name', '名称']
const NAME_EN_PROPERTY_NAMES = ['nameEn', 'name_en', 'NAME_EN']
const HOUSEHOLD_PROPERTY_NAMES = ['households', 'HOUSEHOLDS', '户数']
const POPULATION_PROPERTY_NAMES = ['population', 'POPULATION', '人口']

/** What an import feature says about its area (undefined: not in the file, keep the current value). */
export interface ImportedProperties {
  code: string | undefined
  name: string | undefined
  nameEn: string | undefined
  households: number | undefined
  population: number | undefined
}

/** Result of {@link readImportedProperties}. */
export type ImportedPropertiesRead =
  | { valid: true; value: ImportedProperties }
  | { valid: false; reason: 'import_refused_bad_figures'; params: Record<string, unknown> }

function pick(properties: Record<string, unknown>, names: readonly string[]): unknown {
  for (const name of names) {
    const value = properties[name]
    if (value !== undefined && value !== null && value !== '') return value
  }
  return undefined
}

function text(value: unknown): string | undefined {
  if (value === undefined) return undefined
  const trimmed = String(value).trim()
  return trimmed === '' ? undefined : trimmed
}

/**
 * Reads code, names and figures from a feature's properties (GeoJSON,
 * DBF columns or KML ExtendedData, where everything is text). Codes given as
 * numbers keep their digits; households and population must be whole
 * numbers ≥ 0 when present.
 */
export function readImportedProperties(properties: Record<string, unknown>): ImportedPropertiesRead {
  const code = pick(properties, CODE_PROPERTY_NAMES)
  const codeText = typeof code === 'number' ? code.toFixed(0) : text(code)
  const figures: Record<'households' | 'population', number | undefined> = { households: undefined, population: undefined }
  for (const [field, names] of [['households', HOUSEHOLD_PROPERTY_NAMES], ['population', POPULATION_PROPERTY_NAMES]] as const) {
    const raw = pick(properties, names)
    if (raw === undefined) continue
    const value = typeof raw === 'number' ? raw : Number(String(raw).trim())
    if (!Number.isInteger(value) || value < 0) return { valid: false, reason: 'import_refused_bad_figures', params: { field, value: String(raw) } }
    figures[field] = value
  }
  return {
    valid: true,
    value: { code: codeText, name: text(pick(properties, NAME_PROPERTY_NAMES)), nameEn: text(pick(properties, NAME_EN_PROPERTY_NAMES)), ...figures },
  }
}
