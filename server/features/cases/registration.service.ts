import type { Db } from '../../core/db/database.ts'
import type { CaseKind, CaseSource } from '../../core/db/tables/case.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { assertSafePhotoUrls } from './photo-url.ts'
import { CASE_ROLES, assertRole } from './access.ts'
import { DISPUTE_WORKFLOW } from './dispute-workflow.ts'
import { HAZARD_WORKFLOW } from './hazard-workflow.ts'
import { KIND_LABELS, label } from './labels.ts'
import { locatePoint, type PointLocation } from '../areas/index.ts'
import { insertCaseEvent } from './events.repository.ts'
import { findDeadlineHours, findNonCountyVillageIds, findRoutingRule, listRoutingRules } from './settings.repository.ts'
import { insertCase, insertCaseParties } from './cases.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { DisputeRegistration, HazardRegistration } from './cases.schemas.ts'

const HOUR_MS = 3_600_000
/** Clock skew tolerated on a client's `reportedAt`. */
const FUTURE_SKEW_MS = 5 * 60_000

/** A registration: the point and the kind's properties. */
export type CaseRegistration =
  | { kind: 'hazard'; lon: number; lat: number; properties: HazardRegistration; leadId?: number }
  | { kind: 'dispute'; lon: number; lat: number; properties: DisputeRegistration; leadId?: number }

/** Refuses (400) a category the kind does not have, listing the ones it has. */
export async function assertCategory(db: Db, kind: CaseKind, category: string): Promise<void> {
  if (await findRoutingRule(db, kind, category)) return
  const allowed = (await listRoutingRules(db, kind)).map((rule) => rule.category).join(', ')
  throw new HttpError(400, 'unknown_category', { kind, category, allowed, kindLabel: label(KIND_LABELS, kind, 'zh') })
}

/** Locates a point at `at`; 400 when it is in no village of the township. */
export async function locateInTownship(db: Db, lon: number, lat: number, at: Date): Promise<PointLocation> {
  const location = await locatePoint(db, lon, lat, at)
  if (!location) throw new HttpError(400, 'point_outside_township', { lon, lat })
  return location
}

/** The reported time of a registration: now by default, never in the future. */
export function reportedTime(text: string | undefined, now = new Date()): Date {
  if (text === undefined) return now
  const at = new Date(text)
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) throw new HttpError(400, 'reported_in_future')
  return at
}

/**
 * Registers a hazard or a dispute (排查登记): checks the category and the
 * parties' villages, locates the point in the village and grids in force at
 * the reported time (400 outside the township; 403 for a grid worker outside
 * their grids), sets the deadline from the tier or severity, and writes the
 * first ledger entry. Run it in a transaction. Returns the new case id.
 */
export async function registerCase(db: Db, user: UserRecord, input: CaseRegistration): Promise<number> {
  assertRole(user, CASE_ROLES.register)
  const props = input.properties
  assertSafePhotoUrls(props.photos)
  await assertCategory(db, input.kind, props.category)
  const reportedAt = reportedTime(props.reportedAt)
  const location = await locateInTownship(db, input.lon, input.lat, reportedAt)
  if (user.role === 'grid_worker') {
    const grids = [location.baseGrid?.areaId, location.fineGrid?.areaId]
    if (!grids.some((id) => id !== undefined && user.gridIds.includes(id))) throw new HttpError(403, 'point_outside_own_grids')
  }
  const parties = input.kind === 'dispute' ? input.properties.parties : []
  // A party may live in any village of the county (a dispute along a town border); the dispute stays in the town where it happened.
  const unknownVillages = await findNonCountyVillageIds(db, parties.map((party) => party.homeVillageId))
  if (unknownVillages.length > 0) throw new HttpError(400, 'unknown_villages', { ids: unknownVillages.join(', ') })
  const grade = input.kind === 'hazard' ? input.properties.severity : input.properties.tier
  const hours = await findDeadlineHours(db, input.kind, grade)
  const status = input.kind === 'hazard' ? HAZARD_WORKFLOW.initial : DISPUTE_WORKFLOW.initial
  const source: CaseSource = input.leadId !== undefined ? 'lead' : props.source
  const id = await insertCase(db, {
    kind: input.kind,
    status,
    category: props.category,
    description: props.description,
    severity: input.kind === 'hazard' ? input.properties.severity : null,
    tier: input.kind === 'dispute' ? input.properties.tier : null,
    source,
    reporterName: props.reporterName,
    reporterPhone: props.reporterPhone ?? null,
    photos: props.photos ?? [],
    leadId: input.leadId ?? null,
    crossVillage: new Set(parties.map((party) => party.homeVillageId)).size > 1,
    lon: input.lon,
    lat: input.lat,
    reportedAt,
    registeredBy: user.id,
    village: location.village,
    baseGrid: location.baseGrid,
    fineGrid: location.fineGrid,
    deadlineAt: new Date(reportedAt.getTime() + hours * HOUR_MS),
  })
  await insertCaseParties(db, id, parties)
  await insertCaseEvent(db, {
    subject: { caseId: id },
    user,
    action: 'register',
    statusFrom: null,
    statusTo: status,
    version: 1,
    changes: {
      status: { before: null, after: status },
      category: { before: null, after: props.category },
      [input.kind === 'hazard' ? 'severity' : 'tier']: { before: null, after: grade },
      villageId: { before: null, after: location.village.areaId },
      baseGridId: { before: null, after: location.baseGrid?.areaId ?? null },
      fineGridId: { before: null, after: location.fineGrid?.areaId ?? null },
    },
    reason: null,
  })
  return id
}

/** Deadline for a new tier or severity, counted from the reported time. */
export async function deadlineFor(db: Db, kind: CaseKind, grade: string, reportedAt: Date): Promise<Date> {
  return new Date(reportedAt.getTime() + (await findDeadlineHours(db, kind, grade)) * HOUR_MS)
}
