import { fieldChanges } from '../../features/cases/field-changes.ts'
import type { Db } from '../../core/db/database.ts'
import { locatePoints } from '../../features/areas/locate-bulk.repository.ts'
import { EVENT_ROWS, LEAD_ROWS } from './activity-tables.ts'
import type { ActivityModel } from './activity.ts'
import { writeCaseBatch, type LedgerDepth } from './case-batch.ts'
import { deriveRng } from './activity-rng.ts'
import { departmentFor, draftCase, type CaseDraft } from './case-draft.ts'
import { insertJsonRows, reserveIds } from './json-rows.repository.ts'
import { simulateLead, type LeadStep } from './lead-history.ts'
import type { SampleActors } from './sample-users.ts'

/** What {@link seedSampleLeads} wrote. */
export interface LeadSeedResult {
  leads: number
  converted: number
  /** Ledger entries of the leads and of the cases they became. */
  events: number
}

const FINAL = new Set(['converted', 'dismissed'])

/**
 * The lead list (线索清单): `count` clues handed over by departments during
 * the year, drawn like cases (six in ten about hazards), most with a point.
 * Each follows {@link simulateLead}; a converted lead becomes a case (source
 * `lead`) registered at the moment of conversion, with its own history.
 */
export async function seedSampleLeads(db: Db, model: ActivityModel, actors: SampleActors, count: number, depth: LedgerDepth): Promise<LeadSeedResult> {
  if (count === 0) return { leads: 0, converted: 0, events: 0 }
  const ids = await reserveIds(db, 'leads', count)
  const drafts = ids.map((_, index) => {
    const draft = draftCase(model, index % 5 < 3 ? 'hazard' : 'dispute', index, undefined, 'lead')
    const hasPoint = draft.rng() < 0.85
    return { draft, hasPoint, department: departmentFor(draft.rng, draft.category) }
  })
  // A lead with no point belongs to the town of the dispatcher who received it (the database
  // derives the town of a located lead from its village).
  const receiver = await db.selectFrom('users').select('town_id').where('id', '=', actors.dispatcher.id).executeTakeFirst()
  const receivingTownId = receiver?.town_id ?? null
  const located = await locatePoints(db, drafts.map(({ draft }) => ({ lon: draft.lon, lat: draft.lat, at: draft.reportedAt })))
  const leads: Array<Record<string, unknown>> = []
  const histories: LeadStep[][] = []
  const conversions: CaseDraft[] = []
  const converting: number[] = []
  drafts.forEach(({ draft, hasPoint, department }, index) => {
    const steps = simulateLead(draft.rng, draft.reportedAt, hasPoint, model.asOf)
    histories.push(steps)
    const last = steps.at(-1)
    const status = last?.status ?? 'pending'
    const verify = steps.find((step) => step.action === 'verify')
    const dismiss = steps.find((step) => step.action === 'dismiss')
    const location = hasPoint ? located[index] : undefined
    leads.push({
      id: ids[index], status, department, category: draft.category, description: `${department}移交：${draft.description}`,
      lon: location ? draft.lon : null, lat: location ? draft.lat : null,
      town_id: location ? null : receivingTownId,
      village_id: location?.village.areaId ?? null, base_grid_id: location?.baseGrid?.areaId ?? null, fine_grid_id: location?.fineGrid?.areaId ?? null,
      received_at: draft.reportedAt, received_by: actors.dispatcher.id,
      verified_at: verify?.at ?? null, verification_note: verify?.note ?? null, dismissed_reason: dismiss?.note ?? null,
      closed_at: FINAL.has(status) ? last!.at : null, version: 1 + steps.length, updated_at: last?.at ?? draft.reportedAt,
    })
    if (last?.action === 'convert') {
      conversions.push({
        ...draft,
        rng: deriveRng(model.seed, `lead-case:${index}`),
        reportedAt: last.at,
        registeredAt: last.at,
        source: 'lead',
        reporterName: department.slice(0, 50),
        reporterPhone: null,
        leadId: ids[index],
      })
      converting.push(index)
    }
  })
  await insertJsonRows(db, LEAD_ROWS, leads)
  const cases = await writeCaseBatch(db, model, actors, conversions, depth)
  const caseIdOf = new Map(converting.map((index, n) => [index, { kind: conversions[n].kind, id: cases.ids[n] }]))
  const events = leads.flatMap((lead, index) => leadEvents(lead, histories[index], actors, caseIdOf.get(index)))
  await insertJsonRows(db, EVENT_ROWS, events)
  return { leads: leads.length, converted: conversions.length, events: events.length + cases.events }
}

function leadEvents(lead: Record<string, unknown>, steps: LeadStep[], actors: SampleActors, converted?: { kind: string; id: number }) {
  const user = actors.dispatcher
  const entry = (at: Date, action: string, from: string | null, to: string, version: number, changes: object, reason: string | null) => ({
    case_id: null, lead_id: lead.id, at, user_id: user.id, username: user.username, role: user.role,
    action, status_from: from, status_to: to, version, changes, reason,
  })
  const events = [
    entry(lead.received_at as Date, 'register', null, 'pending', 1, {
      status: { before: null, after: 'pending' },
      department: { before: null, after: lead.department },
    }, null),
  ]
  let current: Record<string, unknown> = { ...lead, status: 'pending', verified_at: null, verification_note: null, dismissed_reason: null, closed_at: null }
  steps.forEach((step, index) => {
    const patch: Record<string, unknown> = { status: step.status }
    if (step.action === 'verify') Object.assign(patch, { verified_at: step.at, verification_note: step.note })
    if (step.action === 'dismiss') patch.dismissed_reason = step.note
    if (FINAL.has(step.status)) patch.closed_at = step.at
    const changes = { ...fieldChanges(current, patch), ...(step.action === 'convert' && converted ? { convertedCase: { before: null, after: converted } } : {}) }
    events.push(entry(step.at, step.action, current.status as string, step.status, index + 2, changes, step.note))
    current = { ...current, ...patch }
  })
  return events
}
