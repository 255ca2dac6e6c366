import type { AreaRecord } from './area.ts'
import type { MultiPolygonCoords } from '../../server/core/postgis/geometry.ts'
import { areaCode } from './area-code.ts'
import { intersectAreas } from './clip.ts'
import { multiPolygonBBox } from './multipolygon-bbox.ts'
import { planarCentroid } from './planar-centroid.ts'
import { VILLAGES } from './names.ts'
import { buildVillageStrips } from './village-strips.ts'

/** First village sequence number (villages use 200–399). */
export const FIRST_VILLAGE_SEQ = 201

/**
 * The 13 villages as east–west strips of the town's land, numbered north to
 * south from 201. Throws if a strip does not give exactly one polygon.
 */
export function buildVillages(seed: number, land: MultiPolygonCoords, townCode: string): AreaRecord[] {
  const [, south, , north] = multiPolygonBBox(land)
  const strips = buildVillageStrips(seed, VILLAGES.map((v) => v.stripWeight), north, south)
  const villages = strips.map((strip, i): AreaRecord => {
    const coords = intersectAreas([[strip]], land)
    if (coords.length !== 1) throw new Error(`village ${VILLAGES[i].name} is not one polygon (${coords.length})`)
    const seq = FIRST_VILLAGE_SEQ + i
    return {
      code: areaCode(seq),
      level: 'village',
      villageSeq: seq,
      gridSeq: null,
      fineSeq: null,
      parentCode: townCode,
      name: VILLAGES[i].name,
      nameEn: VILLAGES[i].nameEn,
      kind: 'standard',
      households: 0,
      population: 0,
      coords,
      centroid: planarCentroid(coords),
    }
  })
  for (let i = 1; i < villages.length; i++) {
    if (villages[i].centroid[1] >= villages[i - 1].centroid[1]) throw new Error('villages are not north→south')
  }
  return villages
}
