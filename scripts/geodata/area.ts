import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'

/** Level of an area in the hierarchy. */
export type AreaLevel = 'town' | 'village' | 'base_grid' | 'fine_grid'

/** Kind of an area; anything but `standard` is a dedicated grid (专属网格). */
export type AreaKind = 'standard' | 'school' | 'market' | 'scenic' | 'enterprise'

/** One generated area, before it is written as a GeoJSON feature. */
export interface AreaRecord {
  code: string
  level: AreaLevel
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  parentCode: string | null
  name: string
  nameEn: string
  kind: AreaKind
  households: number
  population: number
  coords: MultiPolygonCoords
  /** Township segment of the code; absent means the sample town's (101). */
  townshipSeq?: number
  /** Planar centroid of `coords`. */
  centroid: Position
}
