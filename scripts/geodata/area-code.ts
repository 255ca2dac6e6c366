/** County-level division code of Dali city. */
export const COUNTY_CODE = '532901'

/** Township segment of the sample town (towns 镇 use 100–199, townships 乡 200–399; the county sample adds more). */
export const TOWNSHIP_SEQ = 101

/**
 * Derives an area code from its parts: 6-digit county + 3-digit township +
 * 3-digit village (`000` for the town) [+ 3-digit grid [+ 3-digit fine grid]].
 */
export function areaCode(
  villageSeq: number | null,
  gridSeq: number | null = null,
  fineSeq: number | null = null,
  townshipSeq: number = TOWNSHIP_SEQ,
): string {
  const pad = (n: number) => String(n).padStart(3, '0')
  let code = COUNTY_CODE + pad(townshipSeq) + (villageSeq === null ? '000' : pad(villageSeq))
  if (gridSeq !== null) code += pad(gridSeq)
  if (fineSeq !== null) code += pad(fineSeq)
  return code
}
