import type { AreaRecord } from './area.ts'
import type { MultiPolygonCoords } from '../../server/core/postgis/geometry.ts'
import { areaCode } from './area-code.ts'
import { planarCentroid } from './planar-centroid.ts'

/**
 * Area record of a base grid (`fineSeq` null) or fine grid of `village`, with
 * the standard name 喜洲村第3网格 / 喜洲村第3网格-2.
 */
export function gridRecord(
  village: AreaRecord,
  gridSeq: number,
  fineSeq: number | null,
  coords: MultiPolygonCoords,
): AreaRecord {
  const suffix = fineSeq === null ? '' : `-${fineSeq}`
  return {
    code: areaCode(village.villageSeq, gridSeq, fineSeq, village.townshipSeq),
    level: fineSeq === null ? 'base_grid' : 'fine_grid',
    villageSeq: village.villageSeq,
    gridSeq,
    fineSeq,
    parentCode: fineSeq === null ? village.code : areaCode(village.villageSeq, gridSeq, null, village.townshipSeq),
    name: `${village.name}第${gridSeq}网格${suffix}`,
    nameEn: `${village.nameEn} Grid ${gridSeq}${suffix}`,
    kind: 'standard',
    households: 0,
    population: 0,
    coords,
    centroid: planarCentroid(coords),
    ...(village.townshipSeq === undefined ? {} : { townshipSeq: village.townshipSeq }),
  }
}
