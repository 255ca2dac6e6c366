import type { Db } from '../../core/db/database.ts'
import type { PointLocation } from '../../features/areas/locate.repository.ts'
import { locatePoints } from '../../features/areas/locate-bulk.repository.ts'
import { CASE_ROWS, EVENT_ROWS, PARTY_ROWS } from './activity-tables.ts'
import type { ActivityModel } from './activity.ts'
import type { CaseDraft } from './case-draft.ts'
import { playSteps, type LedgerEntry } from './case-ledger.ts'
import type { CaseStep } from './case-step.ts'
import type { DisputeProfile } from './dispute-categories.ts'
import { simulateDispute } from './dispute-history.ts'
import { fakeName, fakePhone } from './fake-identity.ts'
import { simulateHazard } from './hazard-history.ts'
import { insertJsonRows, reserveIds } from './json-rows.repository.ts'
import { pick } from './random-draw.ts'
import { resolveActor } from './sample-actor.ts'
import type { SampleActors } from './sample-users.ts'

const HOUR_MS = 3_600_000

/** How much of the ledger to write: every step, or (bulk benchmark data) the registration entry only. */
export type LedgerDepth = 'full' | 'registration'

/** What one batch wrote. */
export interface CaseBatchResult {
  /** Case id of each draft, in the drafts' order. */
  ids: number[]
  events: number
  parties: number
}

type PartyRow = { case_id: number; seq: number; name: string; role: string; phone: string | null; home_village_id: number }

function partiesOf(draft: CaseDraft, caseId: number, villageId: number): PartyRow[] {
  if (draft.kind !== 'dispute') return []
  const rng = draft.rng
  const other = draft.otherVillageId !== null && draft.otherVillageId !== villageId ? draft.otherVillageId : null
  return Array.from({ length: draft.partyCount }, (_, index) => ({
    case_id: caseId,
    seq: index + 1,
    name: fakeName(rng),
    role: index === 0 ? 'applicant' : index === 1 ? 'respondent' : 'party',
    phone: rng() < 0.7 ? fakePhone(rng) : null,
    home_village_id: other === null || index === 0 ? villageId : index === 1 ? other : pick(rng, [villageId, other]),
  }))
}

function registrationRow(draft: CaseDraft, id: number, location: PointLocation, registeredBy: number, deadlineAt: Date, crossVillage: boolean) {
  return {
    id, kind: draft.kind, status: draft.kind === 'hazard' ? 'reported' : 'registered', category: draft.category,
    description: draft.description, severity: draft.severity, tier: draft.tier, source: draft.source,
    reporter_name: draft.reporterName, reporter_phone: draft.reporterPhone, photos: [], lead_id: draft.leadId,
    cross_village: crossVillage, lon: draft.lon, lat: draft.lat,
    reported_at: draft.reportedAt, registered_at: draft.registeredAt, registered_by: registeredBy,
    village_id: location.village.areaId, village_version: location.village.version,
    base_grid_id: location.baseGrid?.areaId ?? null, base_grid_version: location.baseGrid?.version ?? null,
    fine_grid_id: location.fineGrid?.areaId ?? null, fine_grid_version: location.fineGrid?.version ?? null,
    deadline_at: deadlineAt, station_key: null, village_center_id: null, mediator_name: null, dispatched_at: null,
    escalated_at: null, escalation_department: null, escalation_reason: null,
    mediation_mode: null, outcome: null, outcome_note: null, resolved_at: null, feedback_note: null, fed_back_at: null,
    satisfaction: null, timely: null, evaluation_note: null, evaluated_at: null,
    verified_at: null, verification_note: null, rectification_plan: null, rectification_note: null, rectified_at: null,
    closed_at: null, version: 1, updated_at: draft.registeredAt,
  } as Record<string, unknown>
}

function historyOf(model: ActivityModel, draft: CaseDraft, villageId: number, hours: number): CaseStep[] {
  if (draft.kind === 'hazard') {
    return simulateHazard(draft.rng, { reportedAt: draft.reportedAt, registeredAt: draft.registeredAt, severity: draft.severity!, deadlineHours: hours }, model.asOf)
  }
  return simulateDispute(
    draft.rng,
    {
      reportedAt: draft.reportedAt,
      registeredAt: draft.registeredAt,
      tier: draft.tier!,
      deadlineHours: hours,
      profile: draft.profile as DisputeProfile,
      routingStation: model.settings.routing.get(`dispute:${draft.category}`) ?? 'legal-mediation',
      villageId,
    },
    model.asOf,
  )
}

/**
 * Writes a batch of drafted cases: locates every point at its reported time
 * in one statement, reserves ids, adds the parties, plays each history up to
 * `asOf` and inserts cases, parties and ledger entries set-wise. Throws when
 * a point lies in no village.
 */
export async function writeCaseBatch(db: Db, model: ActivityModel, actors: SampleActors, drafts: CaseDraft[], depth: LedgerDepth): Promise<CaseBatchResult> {
  const locations = await locatePoints(db, drafts.map((draft) => ({ lon: draft.lon, lat: draft.lat, at: draft.reportedAt })))
  const ids = await reserveIds(db, 'cases', drafts.length)
  const cases: Array<Record<string, unknown>> = []
  const parties: PartyRow[] = []
  const events: Array<Record<string, unknown>> = []
  drafts.forEach((draft, index) => {
    const location = locations[index]
    if (!location) throw new Error(`sample activity: point ${draft.lon},${draft.lat} lies in no village at ${draft.reportedAt.toISOString()}`)
    const villageId = location.village.areaId
    const grade = draft.kind === 'hazard' ? draft.severity! : draft.tier!
    const hours = model.settings.deadlineHours.get(`${draft.kind}:${grade}`)
    if (hours === undefined) throw new Error(`sample activity: no deadline setting for ${draft.kind} ${grade}`)
    const caseParties = partiesOf(draft, ids[index], villageId)
    const crossVillage = new Set(caseParties.map((party) => party.home_village_id)).size > 1
    const registrant = draft.source === 'grid_worker' ? resolveActor(actors, { kind: 'grid_worker' }, villageId) : resolveActor(actors, { kind: 'dispatcher' }, villageId)
    const registered = registrationRow(draft, ids[index], location, registrant.id, new Date(draft.reportedAt.getTime() + hours * HOUR_MS), crossVillage)
    const { row, entries } = playSteps(registered, historyOf(model, draft, villageId, hours))
    const register: LedgerEntry = {
      at: draft.registeredAt,
      actor: { kind: 'dispatcher' },
      action: 'register',
      statusFrom: null,
      statusTo: registered.status as string,
      version: 1,
      changes: {
        status: { before: null, after: registered.status },
        category: { before: null, after: draft.category },
        [draft.kind === 'hazard' ? 'severity' : 'tier']: { before: null, after: grade },
        villageId: { before: null, after: villageId },
        baseGridId: { before: null, after: location.baseGrid?.areaId ?? null },
        fineGridId: { before: null, after: location.fineGrid?.areaId ?? null },
      },
      reason: null,
    }
    cases.push(row)
    parties.push(...caseParties)
    for (const entry of depth === 'full' ? [register, ...entries] : [register]) {
      const user = entry === register ? registrant : resolveActor(actors, entry.actor, villageId)
      events.push({
        case_id: ids[index], lead_id: null, at: entry.at, user_id: user.id, username: user.username, role: user.role,
        action: entry.action, status_from: entry.statusFrom, status_to: entry.statusTo, version: entry.version,
        changes: entry.changes, reason: entry.reason,
      })
    }
  })
  await insertJsonRows(db, CASE_ROWS, cases)
  await insertJsonRows(db, PARTY_ROWS, parties)
  await insertJsonRows(db, EVENT_ROWS, events)
  return { ids, events: events.length, parties: parties.length }
}
