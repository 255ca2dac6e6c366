import type { BBox, MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { intersectAreas } from './clip.ts'
import { multiPolygonBBox } from './multipolygon-bbox.ts'
import { voronoiCells } from './voronoi-cells.ts'

/**
 * Splits `parent` into one piece per seed: each seed's Voronoi cell clipped to
 * the parent. Returns null when a seed's piece is empty or falls apart into
 * several polygons, so the caller can try other seeds.
 */
export function voronoiPartition(
  parent: MultiPolygonCoords,
  seeds: Position[],
  densifyMetres?: number,
): MultiPolygonCoords[] | null {
  const [w, s, e, n] = multiPolygonBBox(parent)
  const pad = Math.max(e - w, n - s) * 0.2 + 0.005
  const box: BBox = [w - pad, s - pad, e + pad, n + pad]
  const cells = voronoiCells(seeds, box, densifyMetres)
  const pieces: MultiPolygonCoords[] = []
  for (const cell of cells) {
    if (!cell) return null
    const piece = intersectAreas([[cell]], parent)
    if (piece.length !== 1) return null
    pieces.push(piece)
  }
  return pieces
}
