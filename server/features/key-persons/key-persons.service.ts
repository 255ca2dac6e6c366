import type { Db } from '../../core/db/database.ts'
import { administeredUsers } from '../../core/auth/users.repository.ts'
import type { Colour, PersonStatus } from '../../core/db/tables/key-person.ts'
import { HttpError } from '../../core/http/http-error.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import { toKeyPersonDto, toRevealedFields } from './person-dto.ts'
import { locatePoint } from '../areas/index.ts'
import { insertAuditEntry, type AuditActor } from '../../core/audit/audit.repository.ts'
import {
  findKeyPerson,
  insertKeyPerson,
  insertVisit,
  updateKeyPerson,
  type HouseholdLocation,
  type KeyPersonChanges,
  type KeyPersonRow,
} from './key-persons.repository.ts'
import { findCategory, listCategories } from './settings.repository.ts'
import type { UserRecord } from '../../core/auth/users.repository.ts'
import type { KeyPersonFields, RevealedFields, RevealField } from './key-persons.schemas.ts'
import { runAudited } from '../../core/audit/audit.service.ts'
import { identitiesForbidden, inScope, personScope } from './access.ts'
import { checkedRevealReason } from '../../core/privacy/reveal-reason.ts'

/** Subject kind of key persons in the audit log. */
export const KEY_PERSON_SUBJECT = 'key_person'

/** A registration: the fields and the household point. */
export type KeyPersonInput = KeyPersonFields & { household: { lon: number; lat: number } }

/** A change: any fields, and optionally a new household point. */
export type KeyPersonPatch = Partial<KeyPersonFields> & { household?: { lon: number; lat: number } }

/** How the client pinned the version it edited. */
export interface Precondition {
  /** Version from `If-Match` (412 when stale). */
  ifMatch?: number
  /** Version from the body (409 when stale). */
  bodyVersion?: number
}

/**
 * Locates a household: 400 outside the township; for a grid worker, 403
 * unless it lies in one of their grids.
 */
async function locateHousehold(db: Db, user: UserRecord, lon: number, lat: number): Promise<HouseholdLocation> {
  const found = await locatePoint(db, lon, lat)
  if (!found) throw new HttpError(400, 'household_outside_township', { lon, lat })
  const location: HouseholdLocation = {
    lon,
    lat,
    villageId: found.village.areaId,
    villageVersion: found.village.version,
    baseGridId: found.baseGrid?.areaId ?? null,
    baseGridVersion: found.baseGrid?.version ?? null,
    fineGridId: found.fineGrid?.areaId ?? null,
    fineGridVersion: found.fineGrid?.version ?? null,
  }
  const scope = personScope(user)
  if (!scope) throw identitiesForbidden()
  if (!inScope(scope, location)) {
    throw new HttpError(403, 'key_person_grid_forbidden', { grid: found.fineGrid?.name ?? found.baseGrid?.name ?? found.village.name })
  }
  return location
}

async function checkCategory(db: Db, key: string): Promise<void> {
  const category = await findCategory(db, key)
  if (category?.active) return
  const available = (await listCategories(db)).filter((c) => c.active).map((c) => c.key)
  throw new HttpError(400, 'unknown_person_category', { key, available: available.join(', ') })
}

async function checkResponsible(db: Db, userId: number | null | undefined, staffId: number | null | undefined): Promise<void> {
  if (userId !== undefined && userId !== null) {
    // Another town's grid worker is unknown here, like a missing one (a town user names their town's only).
    const row = await db.selectFrom('users').select('users.role').$call(administeredUsers).where('users.id', '=', userId).executeTakeFirst()
    if (row?.role !== 'grid_worker') throw new HttpError(400, 'unknown_responsible_user', { id: userId })
  }
  if (staffId !== undefined && staffId !== null) {
    const row = await db.selectFrom('staff').select('id').where('id', '=', staffId).executeTakeFirst()
    if (!row) throw new HttpError(400, 'unknown_staff', { id: staffId })
  }
}

function normaliseIdNumber(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? value.toUpperCase() : value
}

/**
 * Registers a key person (run in a transaction): checks the category, the
 * responsible people and the household point, inserts and audits. Returns
 * the new record.
 */
export async function registerKeyPerson(db: Db, user: UserRecord, actor: AuditActor, input: KeyPersonInput, now: Date): Promise<KeyPersonRow> {
  await checkCategory(db, input.category)
  const responsibleUserId = input.responsibleUserId ?? (user.role === 'grid_worker' ? user.id : null)
  await checkResponsible(db, responsibleUserId, input.responsibleStaffId)
  const location = await locateHousehold(db, user, input.household.lon, input.household.lat)
  const id = await insertKeyPerson(db, {
    name: input.name,
    gender: input.gender ?? null,
    birthYear: input.birthYear ?? null,
    idNumber: normaliseIdNumber(input.idNumber) ?? null,
    phone: input.phone ?? null,
    address: input.address ?? null,
    location,
    category: input.category,
    colour: input.colour,
    status: input.status ?? 'in_management',
    responsibleUserId,
    responsibleStaffId: input.responsibleStaffId ?? null,
    note: input.note ?? '',
    userId: user.id,
  })
  await insertAuditEntry(db, actor, {
    action: 'create',
    subjectKind: KEY_PERSON_SUBJECT,
    subjectIds: [id],
    fields: Object.keys(input).sort(),
  })
  return (await findKeyPerson(db, id, now))!
}

/**
 * The person `id` if `user` may act on it; otherwise an error to answer with:
 * 404 whether it is unknown, archived, outside the caller's grids or the
 * caller's role sees counts only, so that the answer does not tell which ids
 * exist (a 403 for existing ids would be an existence oracle). A refusal of
 * an existing person still writes a `denied` audit entry that the caller
 * commits.
 */
export async function personFor(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  id: number,
  now: Date,
  attempted: string,
): Promise<KeyPersonRow | HttpError> {
  const scope = personScope(user)
  const row = await findKeyPerson(db, id, now)
  if (!row || row.archivedAt !== null) return new HttpError(404, 'key_person_not_visible', { id })
  if (scope && inScope(scope, row)) return row
  await insertAuditEntry(db, actor, {
    action: 'denied',
    subjectKind: KEY_PERSON_SUBJECT,
    subjectIds: [id],
    detail: { attempted },
  })
  return new HttpError(404, 'key_person_not_visible', { id })
}

/** Outcome of {@link changeKeyPerson}: the new record, or a stale version with the current record. */
export type ChangeOutcome = { row: KeyPersonRow } | { stale: HttpError }

/**
 * Changes a person (run in a transaction) when the version the client edited
 * is still current: a stale `If-Match` is 412 and a stale body `version` or a
 * concurrent change is 409, each carrying the current (masked) state.
 */
export async function changeKeyPerson(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  current: KeyPersonRow,
  patch: KeyPersonPatch,
  precondition: Precondition,
  now: Date,
  lang: Lang,
): Promise<ChangeOutcome> {
  const stale = (status: 409 | 412, sent: number | string) =>
    new HttpError(status, status === 412 ? 'key_person_version_mismatch' : 'key_person_conflict', { current: current.version, sent }, {
      current: toKeyPersonDto(current, lang),
    })
  if (precondition.ifMatch !== undefined && precondition.ifMatch !== current.version) return { stale: stale(412, precondition.ifMatch) }
  if (precondition.bodyVersion !== undefined && precondition.bodyVersion !== current.version) {
    return { stale: stale(409, precondition.bodyVersion) }
  }
  if (patch.category !== undefined) await checkCategory(db, patch.category)
  await checkResponsible(db, patch.responsibleUserId, patch.responsibleStaffId)
  const changes: KeyPersonChanges = {
    name: patch.name,
    gender: patch.gender,
    birthYear: patch.birthYear,
    idNumber: normaliseIdNumber(patch.idNumber),
    phone: patch.phone,
    address: patch.address,
    category: patch.category,
    colour: patch.colour as Colour | undefined,
    status: patch.status as PersonStatus | undefined,
    responsibleUserId: patch.responsibleUserId,
    responsibleStaffId: patch.responsibleStaffId,
    note: patch.note,
  }
  if (patch.household) changes.location = await locateHousehold(db, user, patch.household.lon, patch.household.lat)
  const applied = await updateKeyPerson(db, current.id, current.version, changes, user.id, current.status)
  if (!applied) {
    const latest = await findKeyPerson(db, current.id, now)
    if (!latest) throw new HttpError(404, 'key_person_not_found', { id: current.id })
    return { stale: new HttpError(409, 'key_person_conflict', { current: latest.version, sent: current.version }, { current: toKeyPersonDto(latest, lang) }) }
  }
  await insertAuditEntry(db, actor, {
    action: 'update',
    subjectKind: KEY_PERSON_SUBJECT,
    subjectIds: [current.id],
    fields: Object.entries(patch)
      .filter(([, value]) => value !== undefined)
      .map(([key]) => key)
      .sort(),
    detail: { fromVersion: current.version },
  })
  return { row: (await findKeyPerson(db, current.id, now))! }
}

/**
 * Loads, checks and changes person `id` in one transaction. A stale version
 * is answered (409/412) with the current state, whose read is audited; a
 * refused access with 403, also audited.
 */
export async function applyKeyPersonChange(
  db: Db,
  user: UserRecord,
  actor: AuditActor,
  id: number,
  patch: KeyPersonPatch | ((current: KeyPersonRow) => KeyPersonPatch),
  precondition: Precondition,
  lang: Lang,
): Promise<KeyPersonRow> {
  const now = new Date()
  return runAudited(db, async (trx) => {
    const found = await personFor(trx, user, actor, id, now, 'update')
    if (found instanceof HttpError) return found
    const changes = typeof patch === 'function' ? patch(found) : patch
    const outcome = await changeKeyPerson(trx, user, actor, found, changes, precondition, now, lang)
    if ('row' in outcome) return outcome.row
    await insertAuditEntry(trx, actor, {
      action: 'read',
      subjectKind: KEY_PERSON_SUBJECT,
      subjectIds: [id],
      detail: { read: 'current state answered to a stale change', status: outcome.stale.status },
    })
    return outcome.stale
  })
}

/** Records a visit to a person the caller may act on (run in a transaction) and audits it; returns the visit id. */
export async function recordVisit(
  db: Db,
  actor: AuditActor,
  person: KeyPersonRow,
  visit: { visitedAt?: string; kind: 'home' | 'phone' | 'other'; note?: string },
  userId: number,
  now: Date,
): Promise<number> {
  const visitedAt = visit.visitedAt ? new Date(visit.visitedAt) : now
  if (visitedAt.getTime() > now.getTime() + 5 * 60_000) throw new HttpError(400, 'visit_in_future')
  const id = await insertVisit(db, {
    personId: person.id,
    visitorUserId: userId,
    visitedAt,
    kind: visit.kind,
    note: visit.note ?? '',
    colour: person.colour,
  })
  await insertAuditEntry(db, actor, {
    action: 'visit',
    subjectKind: KEY_PERSON_SUBJECT,
    subjectIds: [person.id],
    detail: { visitId: id, visitedAt: visitedAt.toISOString(), kind: visit.kind },
  })
  return id
}

/** Reveals fields of a person with a reason (run in a transaction), auditing the reveal. */
export async function revealFields(
  db: Db,
  actor: AuditActor,
  person: KeyPersonRow,
  fields: RevealField[],
  reason: string,
): Promise<RevealedFields> {
  const trimmed = checkedRevealReason(reason, 'reveal_reason_required')
  const unique = [...new Set(fields)]
  await insertAuditEntry(db, actor, {
    action: 'reveal',
    subjectKind: KEY_PERSON_SUBJECT,
    subjectIds: [person.id],
    fields: unique,
    reason: trimmed,
  })
  return toRevealedFields(person, unique)
}
