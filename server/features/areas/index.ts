/**
 * The areas feature as other features see it: everything another feature may
 * import from it is re-exported here (CONVENTIONS.md, "features meet through index.ts").
 */
export { findAreaExtent, findNonGridIds } from './areas.repository.ts'
export { AREA_COLLECTIONS } from './collections.ts'
export { listTowns, allTownIds, gridsOutsideTown } from './towns.repository.ts'
export type { TownRow } from './towns.repository.ts'
export { locatePoint } from './locate.repository.ts'
export type { PointLocation } from './locate.repository.ts'
