import type { AreaDetailRow } from './areas.repository.ts'
import type { AreaStaffRow } from './staff.repository.ts'
import type { AreaDetailDto } from './areas.schemas.ts'

/** The API view of an area for the side panel: identity, parent, people and figures. */
export function toAreaDetailDto(row: AreaDetailRow, staff: AreaStaffRow[]): AreaDetailDto {
  const leader = staff.find((person) => person.duty === 'leader')
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    nameEn: row.nameEn,
    level: row.level,
    kind: row.kind,
    parent:
      row.parentId === null
        ? null
        : { id: row.parentId, code: row.parentCode!, name: row.parentName!, nameEn: row.parentNameEn, level: row.parentLevel! },
    households: row.households,
    population: row.population,
    leader: leader ? { name: leader.name, phone: leader.phone } : null,
    workers: staff.filter((person) => person.duty === 'worker').map((person) => ({ name: person.name, phone: person.phone })),
    version: row.version,
    validFrom: row.validFrom.toISOString(),
    changedBy: row.changedBy,
    changeReason: row.changeReason,
    synthetic: row.synthetic,
  }
}
