import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { DISPUTE_WORKFLOW, GRADE_LABELS, HAZARD_WORKFLOW, KIND_LABELS, SOURCE_LABELS, STATUS_LABELS, registerCase } from '../cases/index.ts'
import { CASE_FIELDS } from './columns.ts'
import { findSameCase } from './locations.repository.ts'
import type { PlaceIndex, RowLocation } from './locate.ts'
import { keyOf, limited, reportedTime, required, type Labels, type RowText } from './row-values.ts'

const F = Object.fromEntries(CASE_FIELDS.map((f) => [f.key, f]))
const HAZARD_GRADES: Labels = Object.fromEntries(['low', 'medium', 'high', 'critical'].map((key) => [key, GRADE_LABELS[key]]))
const DISPUTE_GRADES: Labels = Object.fromEntries(['general', 'complex', 'major'].map((key) => [key, GRADE_LABELS[key]]))
const KINDS: Labels = { hazard: KIND_LABELS.hazard, dispute: KIND_LABELS.dispute }

/** What every case row of one import shares: categories, the default kind, the rows already seen. */
export interface CaseImportContext {
  categories: Array<{ kind: string; category: string; name_zh: string; name_en: string }>
  defaultKind?: 'hazard' | 'dispute'
  places: PlaceIndex
  /** Row number of each (kind, reported time, description) seen so far in the file. */
  seen: Map<string, number>
}

/** The report's summary of a case row: nothing personal (no reporter, no parties), the description shortened. */
export type CaseSummary = Record<string, string>

/** The status key a ledger's status text names, or undefined for a status we do not know. */
function statusKey(text: string, lang: Lang): string | undefined {
  try {
    return keyOf(STATUS_LABELS, text, F.status, lang)
  } catch {
    return undefined
  }
}

function parties(text: string | undefined, location: RowLocation, places: PlaceIndex, lang: Lang) {
  if (!text) return []
  const homeVillage = location.place ? places.villageOf(location.place) : undefined
  return text
    .split(/[、,，;；\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^(.+?)\s*[(（](.+)[)）]$/.exec(part)
      const name = limited(match ? match[1] : part, 50, F.parties, lang)
      const village = match ? places.byName('village', match[2]) : homeVillage
      if (!village) throw new HttpError(400, 'ledger_row_bad_value', { field: F.parties.label[lang], value: part, allowed: lang === 'zh' ? '姓名（所在村）' : 'name (village)' })
      return { name, role: 'party' as const, homeVillageId: village.areaId }
    })
}

/**
 * Checks one hazard/dispute row and registers it through the cases feature's
 * registration (its category, location, grid-worker and deadline rules). Throws
 * an HttpError whose message is the row's refusal reason. Returns the new id,
 * notes for the report and the summary.
 */
export async function importCaseRow(
  db: Db,
  user: UserRecord,
  text: RowText,
  location: RowLocation,
  context: CaseImportContext,
  lang: Lang,
  now: Date,
  rowNumber: number,
): Promise<{ id: number; notes: HttpError[]; summary: CaseSummary }> {
  const kindText = text('kind')
  const kind = (kindText ? keyOf(KINDS, kindText, F.kind, lang, { 纠纷: 'dispute', 矛盾: 'dispute', 隐患排查: 'hazard' }) : context.defaultKind) as 'hazard' | 'dispute' | undefined
  if (!kind) throw new HttpError(400, 'ledger_row_required', { field: F.kind.label[lang] })
  const categoryText = required(text, F.category, lang)
  const categoryLabels: Labels = Object.fromEntries(
    context.categories.filter((c) => c.kind === kind).map((c) => [c.category, { zh: c.name_zh, en: c.name_en }]),
  )
  const category = keyOf(categoryLabels, categoryText, F.category, lang)
  const grade = keyOf(kind === 'hazard' ? HAZARD_GRADES : DISPUTE_GRADES, required(text, F.grade, lang), F.grade, lang)
  const description = limited(required(text, F.description, lang), 4000, F.description, lang)
  const reportedAt = reportedTime(required(text, F.reportedAt, lang), F.reportedAt, lang, now)
  const sourceText = text('source')
  const source = sourceText ? keyOf(SOURCE_LABELS, sourceText, F.source, lang) : 'grid_worker'
  if (source === 'lead') throw new HttpError(400, 'ledger_row_lead_source')
  const reporterName = limited(required(text, F.reporterName, lang), 50, F.reporterName, lang)
  const reporterPhone = text('reporterPhone')
  if (reporterPhone !== undefined) limited(reporterPhone, 30, F.reporterPhone, lang)
  const duplicateKey = `${kind}|${reportedAt.toISOString()}|${description}`
  const earlier = context.seen.get(duplicateKey)
  if (earlier !== undefined) throw new HttpError(409, 'ledger_row_duplicate_in_file', { row: earlier })
  const existing = await findSameCase(db, kind, reportedAt, description)
  if (existing !== undefined) throw new HttpError(409, 'ledger_row_duplicate_case', { id: existing })
  const notes: HttpError[] = []
  const initial = kind === 'hazard' ? HAZARD_WORKFLOW.initial : DISPUTE_WORKFLOW.initial
  const statusText = text('status')
  if (statusText && statusKey(statusText, lang) !== initial) {
    notes.push(new HttpError(200, 'ledger_note_status_not_imported', { status: statusText, initial: STATUS_LABELS[initial][lang] }))
  }
  const partyList = kind === 'dispute' ? parties(text('parties'), location, context.places, lang) : []
  if (kind === 'dispute' && partyList.length === 0) notes.push(new HttpError(200, 'ledger_note_no_parties'))
  const common = {
    category,
    description,
    source: source as 'grid_worker',
    reporterName,
    reporterPhone,
    reportedAt: reportedAt.toISOString(),
  }
  const id =
    kind === 'hazard'
      ? await registerCase(db, user, { kind, lon: location.lon, lat: location.lat, properties: { ...common, severity: grade as 'low' } })
      : await registerCase(db, user, { kind, lon: location.lon, lat: location.lat, properties: { ...common, tier: grade as 'general', parties: partyList } })
  context.seen.set(duplicateKey, rowNumber)
  const shortDescription = [...description].length > 40 ? `${[...description].slice(0, 40).join('')}…` : description
  return {
    id,
    notes,
    summary: {
      kind: KINDS[kind][lang],
      category: categoryLabels[category][lang],
      grade: GRADE_LABELS[grade][lang],
      reportedAt: reportedAt.toISOString(),
      description: shortDescription,
    },
  }
}
