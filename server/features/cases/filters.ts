import { Type } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import type { CaseKind } from '../../core/db/tables/case.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { parseDatetime } from '../../core/ogc/datetime.ts'
import { listRoutingRules, listStationKeys } from './settings.repository.ts'
import { DISPUTE_STATUSES } from './dispute-workflow.ts'
import { HAZARD_STATUSES } from './hazard-workflow.ts'

const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const
const TIERS = ['general', 'complex', 'major'] as const

/** Server-side filters of a page of cases, as the repository takes them. */
export interface CaseFilters {
  reportedFrom?: Date
  reportedTo?: Date
  statuses?: string[]
  categories?: string[]
  severities?: string[]
  tiers?: string[]
  stationKeys?: string[]
  villageId?: number
}

const list = (description: string) => Type.Optional(Type.String({ maxLength: 1000, description }))

/** The `datetime` query parameter (reported time). */
export const DatetimeQuery = Type.Optional(
  Type.String({ description: 'Reported time: RFC 3339 instant or interval a/b, ../b, a/.. (ends inclusive)' }),
)

/** Query parameters both case collections accept besides bbox/limit/offset/f. */
const COMMON_QUERY = {
  datetime: DatetimeQuery,
  status: list('Comma-separated statuses, e.g. reported,verified'),
  category: list('Comma-separated category keys (see GET /api/routing-rules), e.g. fire,flood'),
  stationKey: list('Comma-separated keys of the station the case is dispatched to, e.g. police,legal-mediation'),
  villageId: Type.Optional(Type.Integer({ minimum: 1, description: 'Area id of the village the case was recorded in' })),
}

/** Query parameters of the hazards collection. */
export const HAZARD_EXTRA_QUERY = { ...COMMON_QUERY, severity: list('Comma-separated severities: low, medium, high, critical') }

/** Query parameters of the disputes collection. */
export const DISPUTE_EXTRA_QUERY = { ...COMMON_QUERY, tier: list('Comma-separated tiers: general, complex, major') }

/** The comma-separated values of `text`, each checked against `allowed` (400 `bad_filter_value` naming the first unknown one). */
function checkedList(parameter: string, text: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (text === undefined) return undefined
  const values = [...new Set(text.split(',').map((part) => part.trim()).filter(Boolean))]
  if (values.length === 0) throw new HttpError(400, 'bad_filter_value', { parameter, value: text, allowed: allowed.join(', ') })
  const unknown = values.find((value) => !allowed.includes(value))
  if (unknown !== undefined) throw new HttpError(400, 'bad_filter_value', { parameter, value: unknown, allowed: allowed.join(', ') })
  return values
}

/** The statuses of a `status` parameter (400 `bad_status_filter` naming the first unknown one). */
function parseStatuses(kind: CaseKind, status: string | undefined): string[] | undefined {
  if (status === undefined) return undefined
  const allowed: readonly string[] = kind === 'hazard' ? HAZARD_STATUSES : DISPUTE_STATUSES
  const statuses = status.split(',').map((part) => part.trim()).filter(Boolean)
  const unknown = statuses.find((candidate) => !allowed.includes(candidate))
  if (unknown !== undefined) throw new HttpError(400, 'bad_status_filter', { status: unknown, allowed: allowed.join(', ') })
  return statuses
}

/** The reported-time range of a `datetime` parameter (400 `bad_datetime` when malformed). */
export function parseDatetimeFilter(datetime: string | undefined): Pick<CaseFilters, 'reportedFrom' | 'reportedTo'> {
  if (datetime === undefined) return {}
  const parsed = parseDatetime(datetime)
  if (!parsed.valid) throw new HttpError(400, 'bad_datetime', { reason: parsed.reason })
  return { reportedFrom: parsed.from, reportedTo: parsed.to }
}

/**
 * Validates the extra query parameters of a case collection into
 * {@link CaseFilters}: unknown statuses, categories, severities, tiers or
 * stations answer 400; a severity filter on disputes (or tier on hazards)
 * cannot arrive, the schemas refuse it.
 */
export async function parseCaseFilters(db: Db, kind: CaseKind, extra: Record<string, unknown> | undefined): Promise<CaseFilters> {
  const text = (name: string) => extra?.[name] as string | undefined
  // `datetime` is parsed by the items route for every collection and arrives as `ItemsQuery.datetime`.
  const filters: CaseFilters = {}
  filters.statuses = parseStatuses(kind, text('status'))
  if (text('category') !== undefined) {
    const categories = (await listRoutingRules(db, kind)).map((rule) => rule.category)
    filters.categories = checkedList('category', text('category'), categories)
  }
  if (text('stationKey') !== undefined) filters.stationKeys = checkedList('stationKey', text('stationKey'), await listStationKeys(db))
  filters.severities = kind === 'hazard' ? checkedList('severity', text('severity'), SEVERITIES) : undefined
  filters.tiers = kind === 'dispute' ? checkedList('tier', text('tier'), TIERS) : undefined
  const villageId = extra?.villageId
  if (typeof villageId === 'number') filters.villageId = villageId
  return filters
}
