import type { Position } from '../../../core/postgis/geometry.ts'

/** Positions closer than this (degrees, about 10 cm) make an order ambiguous. */
const MARGIN = 1e-6

/** Result of {@link readingOrder}. */
export interface ReadingOrder {
  /** Indexes of the input centroids in sequence order (sequence n = order[n - 1]). */
  order: number[]
  /** True when a centroid sits within 1e-6° of a decision threshold. */
  ambiguous: boolean
}

/**
 * Orders sibling grids west→east, north→south, like reading a page.
 *
 * Exact rule (the topology test applies the same one):
 * 1. Each sibling is represented by its planar area-weighted centroid
 *    (see `planarCentroid`) computed on the written, rounded coordinates.
 * 2. `rowBand` = (north − south of the parent's bounding box) / 4.
 * 3. Siblings are sorted by centroid latitude, northernmost first. The first
 *    one opens a row and is its reference; each next one joins the current row
 *    when `referenceLat − lat ≤ rowBand`, otherwise it opens a new row and
 *    becomes the new reference.
 * 4. Rows are taken north to south; inside a row siblings go by centroid
 *    longitude, westernmost first. Sequence numbers run 1..n in that order.
 */
export function readingOrder(centroids: Position[], parentSouth: number, parentNorth: number): ReadingOrder {
  const rowBand = (parentNorth - parentSouth) / 4
  const byLat = centroids.map((_, i) => i).sort((a, b) => centroids[b][1] - centroids[a][1])
  let ambiguous = false
  const rows: number[][] = []
  let referenceLat = Infinity
  for (let k = 0; k < byLat.length; k++) {
    const i = byLat[k]
    const lat = centroids[i][1]
    if (k > 0 && Math.abs(centroids[byLat[k - 1]][1] - lat) < MARGIN) ambiguous = true
    const drop = referenceLat - lat
    if (rows.length > 0 && Math.abs(drop - rowBand) < MARGIN) ambiguous = true
    if (rows.length > 0 && drop <= rowBand) rows[rows.length - 1].push(i)
    else {
      rows.push([i])
      referenceLat = lat
    }
  }
  const order: number[] = []
  for (const row of rows) {
    row.sort((a, b) => centroids[a][0] - centroids[b][0])
    for (let k = 1; k < row.length; k++) {
      if (centroids[row[k]][0] - centroids[row[k - 1]][0] < MARGIN) ambiguous = true
    }
    order.push(...row)
  }
  return { order, ambiguous }
}
