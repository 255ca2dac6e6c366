import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import { cleanRing } from './clean-ring.ts'
import { sampleRange } from './sample-range.ts'
import type { Terrain } from './terrain.ts'

/** Southern and northern ends of the modelled lake (Xiaguan to Shangguan). */
const SOUTH_END = 25.6
const NORTH_BEND = 25.94
const NORTH_TOP = 25.968

/**
 * Erhai lake as one polygon: the western shore follows the terrain's shore
 * line (about 100 m steps), bending east towards the northern end; the
 * eastern shore is coarser; both ends are closed by rounded caps. Much larger
 * than the town so the map looks natural when zoomed out.
 */
export function buildErhaiLake(terrain: Terrain): Ring {
  const westShore = (lat: number) =>
    terrain.shoreLon(lat) + (lat > NORTH_BEND ? (0.9 * (lat - NORTH_BEND) ** 2) / 0.025 : 0)
  const ring: Position[] = []
  for (const lat of sampleRange(SOUTH_END, NORTH_TOP, 0.0009)) ring.push([westShore(lat), lat])
  const topWest = ring[ring.length - 1]
  const topEast: Position = [terrain.eastShoreLon(NORTH_TOP), NORTH_TOP]
  ring.push(...cap(topWest, topEast, 0.018))
  for (const lat of sampleRange(NORTH_TOP, SOUTH_END, 0.004)) ring.push([terrain.eastShoreLon(lat), lat])
  const bottomWest: Position = [westShore(SOUTH_END), SOUTH_END]
  ring.push(...cap([terrain.eastShoreLon(SOUTH_END), SOUTH_END], bottomWest, 0.014))
  ring.push(ring[0])
  // The shore is drawn south→north along the west side, i.e. clockwise; cleanRing reorients it.
  const cleaned = cleanRing(ring, true)
  if (!cleaned) throw new Error('lake outline degenerated')
  return cleaned
}

/** Points of a half-ellipse bulging `depth` degrees away from the lake, between two shore ends. */
function cap(from: Position, to: Position, depth: number): Position[] {
  const points: Position[] = []
  const sign = to[0] > from[0] ? 1 : -1
  for (let i = 1; i < 24; i++) {
    const t = i / 24
    const bulge = Math.sin(Math.PI * t) * depth * sign
    points.push([from[0] + (to[0] - from[0]) * t, from[1] + (to[1] - from[1]) * t + bulge])
  }
  return points
}
