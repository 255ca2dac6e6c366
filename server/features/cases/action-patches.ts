import type { Static } from 'typebox'
import type { Db } from '../../core/db/database.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { DisputeAction } from './dispute-workflow.ts'
import type { HazardAction } from './hazard-workflow.ts'
import { findNonVillageIds, listStationKeys } from './settings.repository.ts'
import type { CasePatch, CaseRow } from './cases.repository.ts'
import type { DisputeActionBodies, HazardActionBodies } from './cases.schemas.ts'
import { deadlineFor } from './registration.service.ts'

type PatchFn<B> = (trx: Db, row: CaseRow, body: B, now: Date) => Promise<CasePatch> | CasePatch

/** Body of each dispute action. */
export type DisputeBodies = { [A in DisputeAction]: Static<(typeof DisputeActionBodies)[A]> }
/** Body of each hazard action. */
export type HazardBodies = { [A in HazardAction]: Static<(typeof HazardActionBodies)[A]> }

async function dispatchPatch(trx: Db, row: CaseRow, body: DisputeBodies['dispatch'], now: Date): Promise<CasePatch> {
  if ((body.stationKey === undefined) === (body.villageCenterId === undefined)) throw new HttpError(400, 'dispatch_target_required')
  if (body.stationKey !== undefined && !(await listStationKeys(trx)).includes(body.stationKey)) {
    throw new HttpError(400, 'unknown_station', { key: body.stationKey })
  }
  if (body.villageCenterId !== undefined && (await findNonVillageIds(trx, [body.villageCenterId])).length > 0) {
    throw new HttpError(400, 'unknown_villages', { ids: body.villageCenterId })
  }
  const tier = body.tier ?? row.tier!
  const mediator = body.mediatorName ?? row.mediator_name
  if (tier === 'complex' && !mediator) throw new HttpError(400, 'mediator_required')
  return {
    tier,
    station_key: body.stationKey ?? null,
    village_center_id: body.villageCenterId ?? null,
    mediator_name: mediator ?? null,
    dispatched_at: now,
    deadline_at: tier === row.tier ? row.deadline_at : await deadlineFor(trx, 'dispute', tier, row.reported_at),
  }
}

/** The fields each dispute action sets (the status is set by the workflow). */
export const DISPUTE_PATCHES: { [A in DisputeAction]: PatchFn<DisputeBodies[A]> } = {
  dispatch: dispatchPatch,
  escalate: (_trx, _row, body, now) => ({ escalated_at: now, escalation_department: body.department, escalation_reason: body.reason }),
  resolve: (_trx, _row, body, now) => ({ mediation_mode: body.mode, outcome: body.outcome, outcome_note: body.note, resolved_at: now }),
  feedback: (_trx, _row, body, now) => ({ feedback_note: body.note, fed_back_at: now }),
  evaluate: (_trx, row, body, now) => {
    const metAt = row.tier === 'major' ? (row.escalated_at ?? row.resolved_at) : row.resolved_at
    return {
      satisfaction: body.satisfaction,
      timely: metAt !== null && metAt.getTime() <= row.deadline_at.getTime(),
      evaluation_note: body.note ?? null,
      evaluated_at: now,
    }
  },
}

/** The fields each hazard action sets. */
export const HAZARD_PATCHES: { [A in HazardAction]: PatchFn<HazardBodies[A]> } = {
  verify: async (trx, row, body, now) => {
    const severity = body.severity ?? row.severity!
    return {
      verified_at: now,
      verification_note: body.note ?? null,
      severity,
      deadline_at: severity === row.severity ? row.deadline_at : await deadlineFor(trx, 'hazard', severity, row.reported_at),
    }
  },
  reject: (_trx, _row, body, now) => ({ verified_at: now, verification_note: body.reason }),
  'start-rectification': (_trx, _row, body) => ({ rectification_plan: body.plan }),
  rectify: (_trx, _row, body, now) => ({ rectification_note: body.note, rectified_at: now }),
  close: () => ({}),
}
