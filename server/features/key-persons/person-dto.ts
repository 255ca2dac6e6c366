import type { Lang } from '../../core/i18n/messages.ts'
import type { AuditRow } from '../../core/audit/audit.repository.ts'
import type { KeyPersonRow, VisitRow } from './key-persons.repository.ts'
import type { AuditEntryDto, KeyPersonDto, RevealedFields, RevealField, VisitDto } from './key-persons.schemas.ts'
import { ageBand, maskAddress, maskIdNumber, maskPhone } from '../../core/privacy/mask.ts'

function iso(value: Date | null): string | null {
  return value === null ? null : new Date(value).toISOString()
}

function areaRef(id: number | null, version: number | null, code: string | null, name: string | null, nameEn: string | null) {
  return id === null || version === null || code === null || name === null ? null : { id, version, code, name, nameEn }
}

/** The area name an address is reduced to: the base grid, else the village. */
function addressArea(row: KeyPersonRow, lang: Lang): string {
  if (lang === 'en') return row.baseGridNameEn ?? row.baseGridName ?? row.villageNameEn ?? row.villageName
  return row.baseGridName ?? row.villageName
}

/**
 * The API view of a key person with the identity number (last four only),
 * phone and address masked, an age band instead of the birth year, and the
 * household shown at its fine grid (revealing the exact values is a separate,
 * audited action).
 */
export function toKeyPersonDto(row: KeyPersonRow, lang: Lang, now = new Date()): KeyPersonDto {
  return {
    id: row.id,
    name: row.name,
    gender: row.gender,
    ageBand: ageBand(row.birthYear, now),
    idNumber: row.idNumber === null ? null : maskIdNumber(row.idNumber),
    phone: row.phone === null ? null : maskPhone(row.phone),
    address: row.address === null ? null : maskAddress(addressArea(row, lang), lang),
    household: row.shownLon === null || row.shownLat === null ? null : { lon: row.shownLon, lat: row.shownLat },
    householdPrecision: row.shownPrecision,
    category: row.category,
    colour: row.colour,
    status: row.status,
    releasedAt: iso(row.releasedAt),
    village: areaRef(row.villageId, row.villageVersion, row.villageCode, row.villageName, row.villageNameEn)!,
    baseGrid: areaRef(row.baseGridId, row.baseGridVersion, row.baseGridCode, row.baseGridName, row.baseGridNameEn),
    fineGrid: areaRef(row.fineGridId, row.fineGridVersion, row.fineGridCode, row.fineGridName, row.fineGridNameEn),
    responsibleUser:
      row.responsibleUserId === null ? null : { id: row.responsibleUserId, username: row.responsibleUsername ?? '' },
    responsibleStaff:
      row.responsibleStaffId === null ? null : { id: row.responsibleStaffId, name: row.responsibleStaffName ?? '' },
    note: row.note,
    lastVisitAt: iso(row.lastVisitAt),
    nextVisitDue: iso(row.nextVisitDue),
    visitState: row.visitState,
    version: row.version,
    createdAt: iso(row.createdAt)!,
    updatedAt: iso(row.updatedAt)!,
  }
}

/** The unmasked values of the fields asked for (null where the record has none). */
export function toRevealedFields(row: KeyPersonRow, fields: RevealField[]): RevealedFields {
  const values: RevealedFields = {
    idNumber: row.idNumber,
    phone: row.phone,
    address: row.address,
    household: row.lon === null || row.lat === null ? null : { lon: row.lon, lat: row.lat },
    birthYear: row.birthYear,
  }
  return Object.fromEntries(fields.map((field) => [field, values[field]]))
}

/**
 * A key person as GeoJSON Feature text: the household at its fine grid and
 * the masked properties of {@link toKeyPersonDto}.
 */
export function toKeyPersonFeatureText(row: KeyPersonRow, lang: Lang): string {
  const { household, id, ...properties } = toKeyPersonDto(row, lang)
  return JSON.stringify({
    type: 'Feature',
    id,
    geometry: household ? { type: 'Point', coordinates: [household.lon, household.lat] } : null,
    properties,
  })
}

/** The API view of a visit. */
export function toVisitDto(row: VisitRow): VisitDto {
  return {
    id: row.id,
    personId: row.personId,
    visitor: { id: row.visitorUserId, username: row.visitorUsername },
    visitedAt: iso(row.visitedAt)!,
    kind: row.kind,
    note: row.note,
    colour: row.colour,
    nextDue: iso(row.nextDue)!,
    createdAt: iso(row.createdAt)!,
  }
}

/** The API view of an audit entry. */
export function toAuditEntryDto(row: AuditRow): AuditEntryDto {
  return {
    id: row.id,
    at: iso(row.at)!,
    userId: row.userId,
    username: row.username,
    role: row.role,
    action: row.action,
    subjectKind: row.subjectKind,
    subjectIds: (row.subjectIds ?? []).map(Number),
    fields: row.fields ?? [],
    reason: row.reason,
    requestIp: row.requestIp,
    detail: row.detail ?? null,
    credentialKind: row.credentialKind ?? null,
    credentialId: row.credentialId === null || row.credentialId === undefined ? null : Number(row.credentialId),
    credentialIssuedBy: row.credentialIssuedBy === null || row.credentialIssuedBy === undefined ? null : Number(row.credentialIssuedBy),
  }
}
