import { deriveRng } from './derive-rng.ts'
import { makeWiggle } from './wiggle.ts'

/** Latitude of the town centre (喜洲古镇), the reference of the terrain slopes. */
export const CENTRE_LAT = 25.853

/**
 * The lines that shape the landscape, each as a longitude for a latitude:
 * Erhai's western shore, the foot of Cangshan (where the plain ends), two
 * elevation contours up the hillside, the main north–south road (大丽路) and
 * Erhai's eastern shore.
 */
export interface Terrain {
  /** Western shore of Erhai (lake to the east of it). */
  shoreLon(lat: number): number
  /** Foot of the Cangshan hillside (mountain to the west of it). */
  footLon(lat: number): number
  /** Upper edge of elevation band 1 (level 1) or band 2 (level 2). */
  contourLon(lat: number, level: 1 | 2): number
  /** The main north–south road through the plain. */
  roadLon(lat: number): number
  /** Eastern shore of Erhai. */
  eastShoreLon(lat: number): number
}

/** Builds the seeded terrain lines. */
export function createTerrain(seed: number): Terrain {
  const rng = deriveRng(seed, 'terrain')
  const shore = makeWiggle(rng, 0.0075, [0.09, 0.037, 0.015, 0.0062, 0.0026])
  const foot = makeWiggle(rng, 0.003, [0.035, 0.014, 0.0058, 0.0024])
  const contour1 = makeWiggle(rng, 0.0035, [0.03, 0.012, 0.005])
  const contour2 = makeWiggle(rng, 0.0045, [0.04, 0.016, 0.0065])
  const road = makeWiggle(rng, 0.0012, [0.07, 0.025])
  const east = makeWiggle(rng, 0.007, [0.11, 0.04, 0.013])
  const slope = (lat: number) => Math.min(0.1, Math.max(-0.09, lat - CENTRE_LAT)) / 0.08
  const footLon = (lat: number) => 100.1035 + 0.011 * slope(lat) + foot(lat)
  return {
    shoreLon: (lat) => 100.1685 + shore(lat),
    footLon,
    contourLon: (lat, level) =>
      level === 1 ? footLon(lat) - 0.016 + contour1(lat) : footLon(lat) - 0.034 + contour2(lat),
    roadLon: (lat) => 100.129 + 0.006 * slope(lat) + road(lat),
    eastShoreLon: (lat) => 100.238 + east(lat),
  }
}
