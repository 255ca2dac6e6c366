import type { Rng } from './activity-rng.ts'
import type { ActivityGrid, LonLat } from './activity-grids.repository.ts'
import { gaussian } from './random-draw.ts'

/** Metres per degree of latitude, and of longitude at the township's latitude (≈ 25.85° N). */
const METRES_PER_DEG_LAT = 110_900
const METRES_PER_DEG_LON = 100_300

/** Whether a point lies inside MultiPolygon coordinates (even–odd over every ring, so holes count). */
export function insideMultiPolygon(lon: number, lat: number, polygon: LonLat[][][]): boolean {
  let inside = false
  for (const rings of polygon) {
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [xi, yi] = ring[i]
        const [xj, yj] = ring[j]
        if (yi > lat !== yj > lat && lon < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside
      }
    }
  }
  return inside
}

const bboxCache = new WeakMap<ActivityGrid, [number, number, number, number]>()

function bboxOf(grid: ActivityGrid): [number, number, number, number] {
  let box = bboxCache.get(grid)
  if (!box) {
    box = [Infinity, Infinity, -Infinity, -Infinity]
    for (const [lon, lat] of grid.polygon.flat(2)) {
      box[0] = Math.min(box[0], lon)
      box[1] = Math.min(box[1], lat)
      box[2] = Math.max(box[2], lon)
      box[3] = Math.max(box[3], lat)
    }
    bboxCache.set(grid, box)
  }
  return box
}

const round7 = (value: number) => Math.round(value * 1e7) / 1e7

/**
 * A point inside `grid`, rounded to 7 decimals: scattered around `anchor`
 * with a spread of `sigmaMetres` when given (clusters: a market, the lake
 * shore, a stretch of road, a village boundary), otherwise uniform over the
 * grid. Falls back to uniform, then to the grid's inner point.
 */
export function samplePointInGrid(rng: Rng, grid: ActivityGrid, anchor?: LonLat | null, sigmaMetres = 100): LonLat {
  if (anchor) {
    for (let attempt = 0; attempt < 40; attempt++) {
      const lon = round7(anchor[0] + (gaussian(rng) * sigmaMetres) / METRES_PER_DEG_LON)
      const lat = round7(anchor[1] + (gaussian(rng) * sigmaMetres) / METRES_PER_DEG_LAT)
      if (insideMultiPolygon(lon, lat, grid.polygon)) return [lon, lat]
    }
  }
  const [minLon, minLat, maxLon, maxLat] = bboxOf(grid)
  for (let attempt = 0; attempt < 1000; attempt++) {
    const lon = round7(minLon + rng() * (maxLon - minLon))
    const lat = round7(minLat + rng() * (maxLat - minLat))
    if (insideMultiPolygon(lon, lat, grid.polygon)) return [lon, lat]
  }
  return grid.surface
}
