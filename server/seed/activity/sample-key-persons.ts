import type { Db } from '../../core/db/database.ts'
import type { Colour } from '../../core/db/tables/key-person.ts'
import { locatePoints } from '../../features/areas/locate-bulk.repository.ts'
import { listCategories, listColours } from '../../features/key-persons/settings.repository.ts'
import { AUDIT_ROWS, KEY_PERSON_ROWS, VISIT_ROWS } from './activity-tables.ts'
import { deriveRng, type Rng } from './activity-rng.ts'
import type { ActivityModel } from './activity.ts'
import { sampleInstant } from './activity-window.ts'
import { cumulativeSampler } from './cumulative-sampler.ts'
import { birthDate, fakeIdNumber, fakeName, fakePhone } from './fake-identity.ts'
import { samplePointInGrid } from './grid-point.ts'
import { insertJsonRows, reserveIds } from './json-rows.repository.ts'
import { KEY_PERSON_PROFILES, type KeyPersonProfile } from './key-person-profiles.ts'
import { between, intBetween, pick, weightedKey } from './random-draw.ts'
import type { SampleActor, SampleActors } from './sample-users.ts'
import { scheduleVisits, type PlannedVisit } from './visit-schedule.ts'

const DAY_MS = 86_400_000
const SUBJECT = 'key_person'
const CREATE_FIELDS = ['address', 'birthYear', 'category', 'colour', 'gender', 'household', 'idNumber', 'name', 'note', 'phone']

/** What {@link seedSampleKeyPersons} wrote. */
export interface KeyPersonSeedResult {
  persons: number
  visits: number
}

interface PersonDraft {
  rng: Rng
  profile: KeyPersonProfile
  colour: Colour
  gender: 'male' | 'female'
  lon: number
  lat: number
  createdAt: Date
  change: { status: 'away' | 'released'; at: Date } | null
}

function draftPerson(model: ActivityModel, index: number, profiles: readonly KeyPersonProfile[], homes: ReturnType<typeof cumulativeSampler>, homeGrids: number[]): PersonDraft {
  const rng = deriveRng(model.seed, `person:${index}`)
  const profile = profiles[cumulativeSampler(profiles.map((candidate) => candidate.share)).draw(rng)]
  const place = deriveRng(model.seed, `person:${index}:place`)
  const gridIndex = homeGrids[homes.draw(place)]
  const [lon, lat] = samplePointInGrid(place, model.grids[gridIndex], place() < 0.7 ? model.hotspots[gridIndex] : null, 150)
  const from = model.window.from.getTime()
  const createdAt =
    rng() < 0.7
      ? new Date(Math.floor((from + between(rng, 0.3, 20) * DAY_MS) / 1000) * 1000)
      : sampleInstant(rng, model.window, cumulativeSampler(model.window.days.map(() => 1)), 3 * DAY_MS)
  const span = model.asOf.getTime() - createdAt.getTime()
  const roll = rng()
  const change =
    roll < profile.released
      ? { status: 'released' as const, at: new Date(Math.floor((createdAt.getTime() + between(rng, 0.3, 0.95) * span) / 1000) * 1000) }
      : roll < profile.released + profile.away
        ? { status: 'away' as const, at: new Date(Math.floor((createdAt.getTime() + between(rng, 0.2, 0.9) * span) / 1000) * 1000) }
        : null
  return {
    rng,
    profile,
    colour: weightedKey(rng, profile.colours),
    gender: rng() < profile.male ? 'male' : 'female',
    lon,
    lat,
    createdAt,
    change,
  }
}

/**
 * About `count` key persons (重点人员) at households in the settled fine
 * grids, with synthetic, obviously fake identities (某 names, 1380000xxxx
 * phones, identity numbers of region 532901 with valid birth dates and
 * check digits), their status changes, their visits over the year per
 * colour, and the audit entries the service would have written.
 */
export async function seedSampleKeyPersons(db: Db, model: ActivityModel, actors: SampleActors, count: number): Promise<KeyPersonSeedResult> {
  if (count === 0) return { persons: 0, visits: 0 }
  const active = new Set((await listCategories(db)).filter((category) => category.active).map((category) => category.key))
  const intervals = new Map((await listColours(db)).map((row) => [row.colour, row.visitIntervalDays]))
  const profiles = KEY_PERSON_PROFILES.filter((profile) => active.has(profile.category))
  if (profiles.length === 0) return { persons: 0, visits: 0 }
  const homeGrids = model.grids.map((grid, index) => (grid.kind === 'standard' && grid.households > 0 ? index : -1)).filter((index) => index >= 0)
  const homes = cumulativeSampler(homeGrids.map((index) => model.grids[index].households))
  const drafts = Array.from({ length: count }, (_, index) => draftPerson(model, index, profiles, homes, homeGrids))
  const located = await locatePoints(db, drafts.map((draft) => ({ lon: draft.lon, lat: draft.lat, at: draft.createdAt })))
  const ids = await reserveIds(db, 'key_persons', count)
  const persons: Array<Record<string, unknown>> = []
  const planned: Array<{ personId: number; colour: Colour; visitor: SampleActor; visits: PlannedVisit[] }> = []
  const audit: Array<Record<string, unknown>> = []
  const year = new Date(model.asOf.getTime() + 8 * 3_600_000).getUTCFullYear()
  drafts.forEach((draft, index) => {
    const location = located[index]
    if (!location) throw new Error(`sample activity: household ${draft.lon},${draft.lat} lies in no village`)
    const rng = draft.rng
    const worker = actors.gridWorkers.get(location.village.areaId) ?? actors.dispatcher
    const birthYear = year - intBetween(rng, draft.profile.ages[0], draft.profile.ages[1])
    const hasPhone = draft.profile.category === 'left_behind_child' ? false : rng() < (draft.profile.category === 'elderly_alone' ? 0.6 : 0.85)
    const grid = model.grids.find((candidate) => candidate.fineId === location.fineGrid?.areaId)
    const person = {
      id: ids[index], name: fakeName(rng, draft.gender), gender: draft.gender, birth_year: birthYear,
      id_number: fakeIdNumber(rng, birthDate(rng, birthYear), draft.gender), phone: hasPhone ? fakePhone(rng) : null,
      address: `${location.village.name}${intBetween(rng, 1, 12)}组${intBetween(rng, 1, 150)}号`,
      lon: draft.lon, lat: draft.lat,
      village_id: location.village.areaId, village_version: location.village.version,
      base_grid_id: location.baseGrid?.areaId ?? null, base_grid_version: location.baseGrid?.version ?? null,
      fine_grid_id: location.fineGrid?.areaId ?? null, fine_grid_version: location.fineGrid?.version ?? null,
      category: draft.profile.category, colour: draft.colour, status: draft.change?.status ?? 'in_management',
      released_at: draft.change?.status === 'released' ? draft.change.at : null,
      responsible_user_id: worker.role === 'grid_worker' ? worker.id : null, responsible_staff_id: grid?.worker?.id ?? null,
      note: pick(rng, draft.profile.notes), version: draft.change ? 2 : 1,
      created_at: draft.createdAt, created_by: worker.id, updated_at: draft.change?.at ?? draft.createdAt, updated_by: worker.id,
    }
    persons.push(person)
    const actor = { user_id: worker.id, username: worker.username, role: worker.role, request_ip: null, reason: null, subject_kind: SUBJECT, subject_ids: [person.id] }
    audit.push({ ...actor, at: draft.createdAt, action: 'create', fields: CREATE_FIELDS, detail: null })
    if (draft.change) audit.push({ ...actor, at: draft.change.at, action: 'update', fields: ['status'], detail: { fromVersion: 1 } })
    const visits = scheduleVisits(rng, {
      start: draft.createdAt,
      end: draft.change?.status === 'released' ? draft.change.at : model.asOf,
      asOf: model.asOf,
      intervalDays: intervals.get(draft.colour) ?? 30,
      awayFrom: draft.change?.status === 'away' ? draft.change.at : null,
    })
    planned.push({ personId: person.id, colour: draft.colour, visitor: worker, visits })
  })
  const visitIds = await reserveIds(db, 'key_person_visits', planned.reduce((sum, entry) => sum + entry.visits.length, 0))
  const visits: Array<Record<string, unknown>> = []
  for (const entry of planned) {
    const days = intervals.get(entry.colour) ?? 30
    for (const visit of entry.visits) {
      const id = visitIds[visits.length]
      visits.push({
        id, person_id: entry.personId, visitor_user_id: entry.visitor.id, visited_at: visit.at, kind: visit.kind, note: visit.note,
        colour: entry.colour, next_due: new Date(visit.at.getTime() + days * DAY_MS), created_at: visit.at,
      })
      audit.push({
        user_id: entry.visitor.id, username: entry.visitor.username, role: entry.visitor.role, request_ip: null, reason: null,
        subject_kind: SUBJECT, subject_ids: [entry.personId], at: visit.at, action: 'visit', fields: [],
        detail: { visitId: id, visitedAt: visit.at.toISOString(), kind: visit.kind },
      })
    }
  }
  audit.sort((a, b) => (a.at as Date).getTime() - (b.at as Date).getTime())
  await insertJsonRows(db, KEY_PERSON_ROWS, persons)
  await insertJsonRows(db, VISIT_ROWS, visits)
  await insertJsonRows(db, AUDIT_ROWS, audit)
  return { persons: persons.length, visits: visits.length }
}
