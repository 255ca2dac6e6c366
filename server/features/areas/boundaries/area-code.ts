/** Code parts of an area version (each part in its own column, as `area_versions` keeps them). */
export interface AreaCodeParts {
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
}

/** The code string `area_versions.code` derives from the parts (6+3+3[+3[+3]] digits). */
export function areaCode(parts: AreaCodeParts): string {
  const pad = (value: number) => String(value).padStart(3, '0')
  return (
    parts.countyCode +
    pad(parts.townshipSeq) +
    (parts.villageSeq === null ? '000' : pad(parts.villageSeq)) +
    (parts.gridSeq === null ? '' : pad(parts.gridSeq)) +
    (parts.fineSeq === null ? '' : pad(parts.fineSeq))
  )
}
