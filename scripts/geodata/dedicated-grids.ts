import type { AreaRecord } from './area.ts'
import type { Position } from '../../server/core/postgis/geometry.ts'
import type { DedicatedAnchor, DedicatedSpec } from './names.ts'
import { metreDistance } from './metre-distance.ts'

/** Where a village's anchors are. */
export type AnchorPoints = Record<DedicatedAnchor, Position>

/**
 * Turns fine grids into dedicated grids: each spec takes the free fine grid of
 * its village that lies in the plain (`isPlain`) and is nearest its anchor,
 * never more than half of one base grid's fine grids. Mutates `kind`, `name`
 * and `nameEn` of the chosen grids.
 */
export function assignDedicatedGrids(
  specs: DedicatedSpec[],
  villages: AreaRecord[],
  fineGrids: AreaRecord[],
  anchors: Map<string, AnchorPoints>,
  isPlain: (grid: AreaRecord) => boolean,
): void {
  const villageCodeByName = new Map(villages.map((v) => [v.name, v.code]))
  const perBase = new Map<string, number>()
  const finesPerBase = new Map<string, number>()
  for (const f of fineGrids) finesPerBase.set(f.parentCode!, (finesPerBase.get(f.parentCode!) ?? 0) + 1)
  for (const spec of specs) {
    const villageCode = villageCodeByName.get(spec.village)
    if (!villageCode) throw new Error(`unknown village ${spec.village}`)
    const anchor = anchors.get(villageCode)![spec.anchor]
    const candidates = fineGrids.filter(
      (f) =>
        f.code.startsWith(villageCode) &&
        f.kind === 'standard' &&
        isPlain(f) &&
        (perBase.get(f.parentCode!) ?? 0) < Math.floor(finesPerBase.get(f.parentCode!)! / 2),
    )
    if (candidates.length === 0) throw new Error(`no free fine grid for ${spec.name}`)
    const best = candidates.reduce((a, b) => (metreDistance(b.centroid, anchor) < metreDistance(a.centroid, anchor) ? b : a))
    best.kind = spec.kind
    best.name = spec.name
    best.nameEn = spec.nameEn
    perBase.set(best.parentCode!, (perBase.get(best.parentCode!) ?? 0) + 1)
  }
}
