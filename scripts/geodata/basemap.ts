import type { Feature, Geometry } from 'geojson'
import type { AreaRecord } from './area.ts'
import type { Position, Ring } from '../../server/core/postgis/geometry.ts'
import type { Rng } from './prng.ts'
import type { Terrain } from './terrain.ts'
import { buildMountainBands } from './mountain-bands.ts'
import { makeWiggle } from './wiggle.ts'
import { polyline } from './polyline.ts'
import { sampleRange } from './sample-range.ts'

/** Inputs of the offline basemap. */
export interface BasemapInput {
  terrain: Terrain
  lake: Ring
  villages: AreaRecord[]
  settlements: Position[]
}

/** Streams from Cangshan to Erhai crossing the town (three of Cangshan's eighteen). */
const STREAMS = [
  { name: '霞移溪', nameEn: 'Xiayi Stream', lat: 25.9045 },
  { name: '万花溪', nameEn: 'Wanhua Stream', lat: 25.8655 },
  { name: '阳溪', nameEn: 'Yang Stream', lat: 25.7985 },
]

const ELEVATION = ['2000–2400 m', '2400–3000 m', '3000 m +']

/**
 * Features of the offline basemap: Erhai (`lake`), three Cangshan elevation
 * bands (`mountain`, `band` 1–3), the main road 大丽路 and the lakeside road
 * plus one east–west road per village (`road`, with `class`), streams
 * (`river`) and each village's house cluster (`settlement`).
 */
export function buildBasemap(rng: Rng, input: BasemapInput): Feature[] {
  const { terrain, lake, villages, settlements } = input
  const features: Feature[] = []
  const add = (properties: Record<string, unknown>, geometry: Geometry) =>
    features.push({ type: 'Feature', properties, geometry })
  buildMountainBands(terrain).forEach((ring, i) =>
    add(
      { kind: 'mountain', band: i + 1, name: '苍山', nameEn: 'Cangshan Mountains', elevation: ELEVATION[i] },
      { type: 'Polygon', coordinates: [ring] },
    ),
  )
  add({ kind: 'lake', name: '洱海', nameEn: 'Erhai Lake' }, { type: 'Polygon', coordinates: [lake] })
  for (const stream of STREAMS) {
    const wiggle = makeWiggle(rng, 0.0014, [0.03, 0.011])
    const end = terrain.shoreLon(stream.lat) + 0.0012
    const points = sampleRange(100.035, end, 0.0015).map((lon): Position => [
      lon,
      stream.lat + wiggle(lon) - wiggle(end) - 0.04 * (lon - end) ** 2,
    ])
    add({ kind: 'river', name: stream.name, nameEn: stream.nameEn }, { type: 'LineString', coordinates: polyline(points) })
  }
  const mainRoad = sampleRange(25.58, 26.06, 0.002).map((lat): Position => [terrain.roadLon(lat), lat])
  add({ kind: 'road', class: 'main', name: '大丽路', nameEn: 'Dali–Lijiang Road' }, { type: 'LineString', coordinates: polyline(mainRoad) })
  const ringRoad = sampleRange(25.62, 25.94, 0.0012).map((lat): Position => [terrain.shoreLon(lat) - 0.0016, lat])
  add({ kind: 'road', class: 'secondary', name: '环海西路', nameEn: 'Erhai West Ring Road' }, { type: 'LineString', coordinates: polyline(ringRoad) })
  villages.forEach((village, i) => {
    const [sLon, sLat] = settlements[i]
    const wiggle = makeWiggle(rng, 0.0007, [0.025, 0.009])
    const west = Math.min(sLon, terrain.roadLon(sLat)) - 0.006
    const east = terrain.shoreLon(sLat) - 0.0016
    const lons = [...sampleRange(west, sLon, 0.0025).slice(0, -1), ...sampleRange(sLon, east, 0.0025)]
    const points = lons.map((lon): Position => [lon, sLat + wiggle(lon) - wiggle(sLon)])
    const base = village.name.length > 2 ? village.name.replace(/村$/, '') : village.name
    const baseEn = village.nameEn.replace(/ Village$/, '')
    add(
      { kind: 'road', class: 'village', name: `${base}路`, nameEn: `${baseEn} Road` },
      { type: 'LineString', coordinates: polyline(points) },
    )
  })
  villages.forEach((village, i) =>
    add(
      { kind: 'settlement', name: village.name, nameEn: village.nameEn, areaCode: village.code },
      { type: 'Point', coordinates: polyline([settlements[i]])[0] },
    ),
  )
  return features
}
