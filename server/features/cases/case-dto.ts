import { allowedActions } from './workflow.ts'
import { DISPUTE_WORKFLOW, type DisputeStatus } from './dispute-workflow.ts'
import { HAZARD_WORKFLOW, type HazardStatus } from './hazard-workflow.ts'
import type { CaseAccessColumns, CasePageRow, CaseRow } from './cases.repository.ts'
import { maskPhone } from '../../core/privacy/mask.ts'
import type { CaseDto } from './cases.schemas.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import { mayRevealCase } from './privacy.service.ts'
import { mayAddPhotos } from './photos.service.ts'
import { actionRoles, mayAct } from './access.ts'

const iso = (value: Date | null): string | null => (value ? value.toISOString() : null)

/** The workflow actions a case's status allows. */
export function caseAllowedActions(kind: CaseRow['kind'], status: string): string[] {
  return kind === 'hazard'
    ? allowedActions(HAZARD_WORKFLOW, status as HazardStatus)
    : allowedActions(DISPUTE_WORKFLOW, status as DisputeStatus)
}

const masked = (phone: string | null): string | null => (phone === null ? null : maskPhone(phone))

/**
 * The API view of a case as `user` sees it. Reporter and party phones are
 * always masked (`138****1234`); revealing them is POST /api/cases/{id}/reveal,
 * audited. `mayReveal` and `mayAddPhotos` say whether those routes would let
 * `user` reveal them or add photos (the same {@link mayRevealCase} and
 * {@link mayAddPhotos} rules), and `permittedActions` which workflow actions
 * the action routes would let `user` take now ({@link mayAct}), so the client
 * offers the buttons without a copy of the rules.
 */
export function toCaseDto(row: CaseRow, user: UserRecord): CaseDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    ...caseReaderFields(row, user),
    category: row.category,
    description: row.description,
    severity: row.severity,
    tier: row.tier,
    source: row.source,
    reporterName: row.reporter_name,
    reporterPhone: masked(row.reporter_phone),
    photos: (row.photos as CaseDto['photos']) ?? [],
    leadId: row.lead_id,
    crossVillage: row.cross_village,
    lon: row.lon,
    lat: row.lat,
    reportedAt: row.reported_at.toISOString(),
    registeredAt: row.registered_at.toISOString(),
    registeredBy: row.registered_by,
    village: row.village,
    baseGrid: row.base_grid,
    fineGrid: row.fine_grid,
    deadlineAt: row.deadline_at.toISOString(),
    deadlineState: row.deadline_state,
    stationKey: row.station_key,
    villageCenterId: row.village_center_id,
    mediatorName: row.mediator_name,
    dispatchedAt: iso(row.dispatched_at),
    escalatedAt: iso(row.escalated_at),
    escalationDepartment: row.escalation_department,
    escalationReason: row.escalation_reason,
    mediationMode: row.mediation_mode,
    outcome: row.outcome,
    outcomeNote: row.outcome_note,
    resolvedAt: iso(row.resolved_at),
    feedbackNote: row.feedback_note,
    fedBackAt: iso(row.fed_back_at),
    satisfaction: row.satisfaction,
    timely: row.timely,
    evaluationNote: row.evaluation_note,
    evaluatedAt: iso(row.evaluated_at),
    verifiedAt: iso(row.verified_at),
    verificationNote: row.verification_note,
    rectificationPlan: row.rectification_plan,
    rectificationNote: row.rectification_note,
    rectifiedAt: iso(row.rectified_at),
    closedAt: iso(row.closed_at),
    parties: row.parties.map((party) => ({ ...party, phone: masked(party.phone) })),
    version: row.version,
    updatedAt: row.updated_at.toISOString(),
  }
}

/** The fields of a case answer decided per reader: the workflow actions its status allows, those `user` may take, and whether `user` may reveal its phones or add photos. */
export function caseReaderFields(row: CaseAccessColumns, user: UserRecord): Pick<CaseDto, 'allowedActions' | 'permittedActions' | 'mayReveal' | 'mayAddPhotos'> {
  const allowed = caseAllowedActions(row.kind, row.status)
  return {
    allowedActions: allowed,
    permittedActions: allowed.filter((action) => mayAct(user, actionRoles(row.kind, action), row)),
    mayReveal: mayRevealCase(user, row),
    mayAddPhotos: mayAddPhotos(user, row),
  }
}

/**
 * A case of a page as GeoJSON Feature text, as `user` sees it: the same
 * answer as {@link toCaseFeature}, from the properties the database wrote
 * (`casePropertiesJson`, phones already masked) with the reader's fields put
 * in front of them.
 */
export function caseFeatureText(row: CasePageRow, user: UserRecord): string {
  const reader = JSON.stringify(caseReaderFields(row, user))
  return `{"type":"Feature","id":${row.id},"geometry":{"type":"Point","coordinates":[${row.lon},${row.lat}]},"properties":${reader.slice(0, -1)},${row.properties.slice(1)}}`
}

/** A case as a GeoJSON Feature (id = case id), as `user` sees it. */
export function toCaseFeature(row: CaseRow, user: UserRecord) {
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry: { type: 'Point' as const, coordinates: [row.lon, row.lat] },
    properties: toCaseDto(row, user),
  }
}
