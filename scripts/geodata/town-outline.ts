import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import { cleanRing } from './clean-ring.ts'
import { deriveRng } from './derive-rng.ts'
import { makeWiggle } from './wiggle.ts'
import { sampleRange } from './sample-range.ts'
import { CENTRE_LAT } from './terrain.ts'

/** Degrees between outline vertices (about 100 m). */
const STEP = 0.0009

/**
 * Irregular town outline: a wavy west edge on the upper Cangshan slopes, wavy
 * north and south edges that fall back at the mountain and lake corners, and a
 * gently bent east edge out in Erhai. Returns a
 * closed counter-clockwise ring.
 */
export function buildTownOutline(seed: number): Ring {
  const rng = deriveRng(seed, 'town-outline')
  const southW = makeWiggle(rng, 0.006, [0.13, 0.05, 0.021, 0.009, 0.0037])
  const northW = makeWiggle(rng, 0.0065, [0.12, 0.047, 0.019, 0.008, 0.0033])
  const westW = makeWiggle(rng, 0.0075, [0.11, 0.043, 0.017, 0.007, 0.0029])
  const eastW = makeWiggle(rng, 0.0014, [0.09, 0.03])
  const ramp = (x: number) => Math.max(0, Math.min(1, x))
  const south = (lon: number) =>
    25.7715 + southW(lon) + 0.0045 * ramp((lon - 100.15) / 0.035) + 0.007 * ramp((100.1 - lon) / 0.03)
  const north = (lon: number) =>
    25.9345 + northW(lon) - 0.0045 * ramp((lon - 100.155) / 0.03) - 0.0055 * ramp((100.095 - lon) / 0.025)
  const west = (lat: number) => 100.0723 + westW(lat)
  const east = (lat: number) => 100.1838 + eastW(lat)
  const corner = (edgeLat: (lon: number) => number, edgeLon: (lat: number) => number): Position => {
    let lat = edgeLat(edgeLon(CENTRE_LAT))
    for (let i = 0; i < 30; i++) lat = edgeLat(edgeLon(lat))
    return [edgeLon(lat), lat]
  }
  const sw = corner(south, west)
  const se = corner(south, east)
  const ne = corner(north, east)
  const nw = corner(north, west)
  const ring: Position[] = []
  for (const lon of sampleRange(sw[0], se[0], STEP).slice(0, -1)) ring.push([lon, south(lon)])
  for (const lat of sampleRange(se[1], ne[1], STEP).slice(0, -1)) ring.push([east(lat), lat])
  for (const lon of sampleRange(ne[0], nw[0], STEP).slice(0, -1)) ring.push([lon, north(lon)])
  for (const lat of sampleRange(nw[1], sw[1], STEP).slice(0, -1)) ring.push([west(lat), lat])
  ring.push(ring[0])
  const cleaned = cleanRing(ring, true)
  if (!cleaned) throw new Error('town outline degenerated')
  return cleaned
}
