import type { Position, Ring } from '../../../server/core/postgis/geometry.ts'
import { cleanRing } from '../clean-ring.ts'
import { deriveRng } from '../derive-rng.ts'
import { makeWiggle } from '../wiggle.ts'
import { sampleRange } from '../sample-range.ts'

/** Degrees between outline vertices (about 500 m). */
const STEP = 0.0045
/** Xizhou's east edge out in Erhai lies east of this longitude; the county's east edge follows it there. */
const XIZHOU_EAST_EDGE_LON = 100.178

const NORTH = 26.04
const SOUTH = 25.5
const WEST = 99.955

/**
 * The vertices of Xizhou's east edge (out in Erhai), south to north, exactly as
 * written in `geodata/xizhou/town.geojson`: the county's east edge runs along
 * them, so the county holds Xizhou without a sliver east of it.
 */
export function xizhouEastChain(xizhouRing: Ring): Position[] {
  const open = xizhouRing.slice(0, -1)
  const east = open.map((p, i) => (p[0] > XIZHOU_EAST_EDGE_LON ? i : -1)).filter((i) => i >= 0)
  if (east.length === 0 || east[east.length - 1] - east[0] !== east.length - 1) throw new Error('Xizhou east edge is not one run of vertices')
  const chain = east.map((i) => open[i])
  if (chain[0][1] > chain[chain.length - 1][1]) chain.reverse()
  return chain
}

/**
 * The synthetic county's outline, counter-clockwise: Xizhou's east edge, then a
 * wavy east edge north of it to the county's north-east corner, wavy north,
 * west and south edges, and a wavy east edge from the south back to Xizhou.
 * About 22 km × 60 km.
 */
export function buildCountyOutline(seed: number, xizhouRing: Ring): Ring {
  const rng = deriveRng(seed, 'county-outline')
  const chain = xizhouEastChain(xizhouRing)
  const [se, ne] = [chain[0], chain[chain.length - 1]]
  const northW = makeWiggle(rng, 0.008, [0.14, 0.05, 0.02])
  const westW = makeWiggle(rng, 0.01, [0.16, 0.06, 0.025])
  const southW = makeWiggle(rng, 0.007, [0.12, 0.045, 0.018])
  const eastW = makeWiggle(rng, 0.006, [0.13, 0.05, 0.02])
  // East edge beyond Xizhou: starts and ends exactly at its corners, wiggles in between.
  const eastNorth = (lat: number) => ne[0] + 0.004 + eastW(lat) * Math.min(1, (lat - ne[1]) / 0.03) - 0.004 * Math.max(0, 1 - (lat - ne[1]) / 0.01)
  const eastSouth = (lat: number) => se[0] - 0.006 + eastW(lat) * Math.min(1, (se[1] - lat) / 0.03) + 0.006 * Math.max(0, 1 - (se[1] - lat) / 0.01)
  const north = (lon: number) => NORTH + northW(lon)
  const west = (lat: number) => WEST + westW(lat)
  const south = (lon: number) => SOUTH + southW(lon)
  const nwLat = north(west(NORTH))
  const swLat = south(west(SOUTH))
  const neLat = north(eastNorth(NORTH))
  const seLat = south(eastSouth(SOUTH))
  const ring: Position[] = [...chain]
  for (const lat of sampleRange(ne[1], neLat, STEP).slice(1, -1)) ring.push([eastNorth(lat), lat])
  for (const lon of sampleRange(eastNorth(neLat), west(nwLat), STEP).slice(0, -1)) ring.push([lon, north(lon)])
  for (const lat of sampleRange(nwLat, swLat, STEP).slice(0, -1)) ring.push([west(lat), lat])
  for (const lon of sampleRange(west(swLat), eastSouth(seLat), STEP).slice(0, -1)) ring.push([lon, south(lon)])
  for (const lat of sampleRange(seLat, se[1], STEP).slice(0, -1)) ring.push([eastSouth(lat), lat])
  ring.push(ring[0])
  const cleaned = cleanRing(ring, true)
  if (!cleaned) throw new Error('county outline degenerated')
  return cleaned
}
