import type { Feature, MultiPolygon } from 'geojson'
import type { AreaRecord } from './area.ts'
import { COUNTY_CODE, TOWNSHIP_SEQ } from './area-code.ts'

/** Note carried by every generated area. */
export const SYNTHETIC_NOTE = 'Synthetic boundary for demonstration; not an official boundary'

/** GeoJSON feature of an area, with the properties in a fixed order. */
export function areaFeature(area: AreaRecord): Feature<MultiPolygon> {
  return {
    type: 'Feature',
    properties: {
      code: area.code,
      level: area.level,
      countyCode: COUNTY_CODE,
      townshipSeq: area.townshipSeq ?? TOWNSHIP_SEQ,
      villageSeq: area.villageSeq,
      gridSeq: area.gridSeq,
      fineSeq: area.fineSeq,
      parentCode: area.parentCode,
      name: area.name,
      nameEn: area.nameEn,
      kind: area.kind,
      households: area.households,
      population: area.population,
      synthetic: true,
      note: SYNTHETIC_NOTE,
    },
    geometry: { type: 'MultiPolygon', coordinates: area.coords },
  }
}
