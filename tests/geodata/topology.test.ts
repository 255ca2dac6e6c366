import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import {
  area,
  bbox,
  booleanPointInPolygon,
  booleanValid,
  difference,
  featureCollection,
  intersect,
  multiPolygon,
  point,
} from '@turf/turf'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import { planarCentroid } from '../../scripts/geodata/planar-centroid.ts'
import { readingOrder } from '../../server/features/areas/boundaries/reading-order.ts'
import { ringSignedArea } from '../../scripts/geodata/ring-signed-area.ts'

type Level = 'town' | 'village' | 'base_grid' | 'fine_grid'

interface AreaProps {
  code: string
  level: Level
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  parentCode: string | null
  name: string
  nameEn: string
  kind: string
  households: number
  population: number
  synthetic: boolean
  note: string
}

interface Geo<P> {
  type: 'Feature'
  properties: P
  geometry: { type: string; coordinates: unknown }
}

interface Area {
  props: AreaProps
  coords: MultiPolygonCoords
  box: [number, number, number, number]
  m2: number
}

interface StaffEntry {
  key: string
  name: string
  phone: string
  duties: Array<{ areaCode: string; duty: string }>
}

const DIR = new URL('../../geodata/xizhou/', import.meta.url)
const readJson = <T>(file: string): T => JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as T
const features = <P>(file: string) => readJson<{ type: string; features: Array<Geo<P>> }>(file).features

const LEVELS: Level[] = ['town', 'village', 'base_grid', 'fine_grid']
const FILES: Record<Level, string> = {
  town: 'town.geojson',
  village: 'villages.geojson',
  base_grid: 'base-grids.geojson',
  fine_grid: 'fine-grids.geojson',
}

const toArea = (f: Geo<AreaProps>): Area => {
  const coords = f.geometry.coordinates as MultiPolygonCoords
  const shape = multiPolygon(coords)
  return { props: f.properties, coords, box: bbox(shape) as Area['box'], m2: area(shape) }
}

const rawByLevel = Object.fromEntries(LEVELS.map((level) => [level, features<AreaProps>(FILES[level])])) as Record<
  Level,
  Array<Geo<AreaProps>>
>
const byLevel = Object.fromEntries(LEVELS.map((level) => [level, rawByLevel[level].map(toArea)])) as Record<
  Level,
  Area[]
>
const all = LEVELS.flatMap((level) => byLevel[level])
const byCode = new Map(all.map((a) => [a.props.code, a]))
const childrenOf = new Map<string, Area[]>()
for (const a of all) {
  if (a.props.parentCode) childrenOf.set(a.props.parentCode, [...(childrenOf.get(a.props.parentCode) ?? []), a])
}
const parents = all.filter((a) => childrenOf.has(a.props.code))
const exempt = features<{ parentCode: string; reason: string }>('exempt.geojson')
const exemptOf = (code: string) =>
  exempt.filter((f) => f.properties.parentCode === code).map((f) => f.geometry.coordinates as MultiPolygonCoords)

const poly = (coords: MultiPolygonCoords) => multiPolygon(coords)
const boxesMeet = (a: Area['box'], b: Area['box']) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
const pad3 = (n: number) => String(n).padStart(3, '0')

/**
 * The documented reading order, applied by the generator's own function
 * (server/features/areas/boundaries/reading-order.ts) to the centroids of the written,
 * rounded coordinates.
 */
function inReadingOrder(children: Area[], parent: Area): Area[] {
  const { order } = readingOrder(children.map((a) => planarCentroid(a.coords)), parent.box[1], parent.box[3])
  return order.map((index) => children[index])
}

describe('sample township geodata (geodata/xizhou)', () => {
  it('has 1 town, 13 villages, 5–10 base grids per village and 3–6 fine grids per base grid', () => {
    expect(byLevel.town).toHaveLength(1)
    expect(byLevel.village).toHaveLength(13)
    for (const village of byLevel.village) {
      const n = childrenOf.get(village.props.code)?.length ?? 0
      expect(n, village.props.code).toBeGreaterThanOrEqual(5)
      expect(n, village.props.code).toBeLessThanOrEqual(10)
    }
    for (const base of byLevel.base_grid) {
      const n = childrenOf.get(base.props.code)?.length ?? 0
      expect(n, base.props.code).toBeGreaterThanOrEqual(3)
      expect(n, base.props.code).toBeLessThanOrEqual(6)
    }
    expect(byLevel.fine_grid.every((f) => !childrenOf.has(f.props.code))).toBe(true)
  })

  it('stores every area and exempt geometry as a valid, rounded MultiPolygon with RFC 7946 winding', () => {
    const geometries = [
      ...LEVELS.flatMap((level) => rawByLevel[level].map((f) => ({ id: f.properties.code, g: f.geometry }))),
      ...exempt.map((f) => ({ id: `exempt ${f.properties.parentCode}`, g: f.geometry })),
    ]
    for (const { id, g } of geometries) {
      expect(g.type, id).toBe('MultiPolygon')
      const coords = g.coordinates as MultiPolygonCoords
      expect(booleanValid(multiPolygon(coords)), id).toBe(true)
      for (const rings of coords) {
        rings.forEach((ring, i) => {
          expect(ringSignedArea(ring) > 0, `${id} ring ${i} winding`).toBe(i === 0)
          for (const [lon, lat] of ring) {
            expect(Number(lon.toFixed(7)) === lon && Number(lat.toFixed(7)) === lat, `${id} precision`).toBe(true)
            expect(lon > 99.9 && lon < 100.4 && lat > 25.6 && lat < 26.1, `${id} lon/lat`).toBe(true)
          }
        })
      }
    }
  })

  it('has well-formed, unique codes derived from their parts, and existing parents one level up', () => {
    expect(new Set(all.map((a) => a.props.code)).size).toBe(all.length)
    const pattern: Record<Level, RegExp> = {
      town: /^532901101000$/,
      village: /^532901101(2\d\d)$/,
      base_grid: /^532901101\d{6}$/,
      fine_grid: /^532901101\d{9}$/,
    }
    for (const { props: p } of all) {
      expect(p.code, p.code).toMatch(pattern[p.level])
      expect(p.countyCode).toBe('532901')
      expect(p.townshipSeq).toBe(101)
      const depth = LEVELS.indexOf(p.level)
      expect(p.villageSeq === null, p.code).toBe(depth < 1)
      expect(p.gridSeq === null, p.code).toBe(depth < 2)
      expect(p.fineSeq === null, p.code).toBe(depth < 3)
      if (p.villageSeq !== null) expect(p.villageSeq >= 201 && p.villageSeq <= 213, p.code).toBe(true)
      const derived =
        p.countyCode +
        pad3(p.townshipSeq) +
        (p.villageSeq === null ? '000' : pad3(p.villageSeq)) +
        (p.gridSeq === null ? '' : pad3(p.gridSeq)) +
        (p.fineSeq === null ? '' : pad3(p.fineSeq))
      expect(derived).toBe(p.code)
      expect(p.synthetic).toBe(true)
      expect(p.note).toMatch(/not an official boundary/)
      expect(p.name.length, p.code).toBeGreaterThan(0)
      expect(p.nameEn.length, p.code).toBeGreaterThan(0)
      expect(['standard', 'school', 'market', 'scenic', 'enterprise']).toContain(p.kind)
      if (p.level !== 'fine_grid') expect(p.kind, p.code).toBe('standard')
      if (p.level === 'town') {
        expect(p.parentCode).toBeNull()
        expect(p.name).toBe('喜洲镇')
        continue
      }
      const parent = byCode.get(p.parentCode ?? '')
      expect(parent, `${p.code} parent`).toBeDefined()
      expect(LEVELS.indexOf(parent!.props.level), p.code).toBe(depth - 1)
      if (p.level !== 'village') expect(p.code.startsWith(p.parentCode!), p.code).toBe(true)
    }
    const share = byLevel.fine_grid.filter((f) => f.props.kind !== 'standard').length / byLevel.fine_grid.length
    expect(share).toBeGreaterThanOrEqual(0.1)
    expect(share).toBeLessThanOrEqual(0.15)
  })

  it('keeps every child inside its parent (child minus parent < 1 m²)', () => {
    let worst = 0
    for (const child of all.filter((a) => a.props.parentCode)) {
      const parent = byCode.get(child.props.parentCode!)!
      const outside = difference(featureCollection([poly(child.coords), poly(parent.coords)]))
      const m2 = outside ? area(outside) : 0
      worst = Math.max(worst, m2)
      expect(m2, child.props.code).toBeLessThan(1)
    }
    console.log(`max area of a child outside its parent: ${worst.toExponential(3)} m²`)
  })

  it('has no overlap between siblings (pairwise intersection < 1 m²)', () => {
    let worst = 0
    let pairs = 0
    for (const parent of parents) {
      const kids = childrenOf.get(parent.props.code)!
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          if (!boxesMeet(kids[i].box, kids[j].box)) continue
          pairs++
          const common = intersect(featureCollection([poly(kids[i].coords), poly(kids[j].coords)]))
          const m2 = common ? area(common) : 0
          worst = Math.max(worst, m2)
          expect(m2, `${kids[i].props.code} ∩ ${kids[j].props.code}`).toBeLessThan(1)
        }
      }
    }
    console.log(`max sibling overlap: ${worst.toExponential(3)} m² over ${pairs} bbox-touching pairs`)
  })

  it('covers each parent with its children, except its exempt water (gap < 0.01 %)', () => {
    let worst = 0
    for (const parent of parents) {
      const water = exemptOf(parent.props.code).reduce((sum, coords) => sum + area(poly(coords)), 0)
      const covered = childrenOf.get(parent.props.code)!.reduce((sum, child) => sum + child.m2, 0)
      const gap = Math.abs(parent.m2 - water - covered) / parent.m2
      worst = Math.max(worst, gap)
      expect(gap, parent.props.code).toBeLessThan(1e-4)
    }
    console.log(`max relative gap between a parent and its children: ${worst.toExponential(3)}`)
  })

  it('keeps exempt water inside its parent and out of the children', () => {
    expect(exempt.length).toBeGreaterThan(0)
    for (const f of exempt) {
      expect(f.properties.reason).toBe('water')
      const parent = byCode.get(f.properties.parentCode)
      expect(parent, f.properties.parentCode).toBeDefined()
      const water = poly(f.geometry.coordinates as MultiPolygonCoords)
      const outside = difference(featureCollection([water, poly(parent!.coords)]))
      expect(outside ? area(outside) : 0).toBeLessThan(1)
      const waterBox = bbox(water) as Area['box']
      for (const child of childrenOf.get(parent!.props.code)!) {
        if (!boxesMeet(child.box, waterBox)) continue
        const wet = intersect(featureCollection([poly(child.coords), water]))
        expect(wet ? area(wet) : 0, child.props.code).toBeLessThan(1)
      }
    }
  })

  it('sums population and households of children exactly to the parent', () => {
    for (const parent of parents) {
      const kids = childrenOf.get(parent.props.code)!
      expect(kids.reduce((s, k) => s + k.props.population, 0), parent.props.code).toBe(parent.props.population)
      expect(kids.reduce((s, k) => s + k.props.households, 0), parent.props.code).toBe(parent.props.households)
    }
    for (const a of all) {
      expect(Number.isInteger(a.props.population) && a.props.population >= 0).toBe(true)
      expect(a.props.households <= a.props.population).toBe(true)
    }
    const town = byLevel.town[0].props
    expect(town.population).toBeGreaterThan(55_000)
    expect(town.population).toBeLessThan(65_000)
    expect(town.population / town.households).toBeGreaterThan(3)
    expect(town.population / town.households).toBeLessThan(3.6)
  })

  it('numbers villages north→south and grids west→east, north→south (reading order)', () => {
    const town = byLevel.town[0]
    const villages = [...childrenOf.get(town.props.code)!].sort(
      (a, b) => planarCentroid(b.coords)[1] - planarCentroid(a.coords)[1],
    )
    expect(villages.map((v) => v.props.villageSeq)).toEqual(villages.map((_, i) => 201 + i))
    for (const parent of parents.filter((p) => p.props.level !== 'town')) {
      const ordered = inReadingOrder(childrenOf.get(parent.props.code)!, parent)
      const seq = ordered.map((a) => (a.props.level === 'base_grid' ? a.props.gridSeq : a.props.fineSeq))
      expect(seq, parent.props.code).toEqual(ordered.map((_, i) => i + 1))
    }
  })

  it('gives every village a head and every grid its leader and workers in staff.json', () => {
    const staff = readJson<StaffEntry[]>('staff.json')
    expect(new Set(staff.map((s) => s.key)).size).toBe(staff.length)
    expect(new Set(staff.map((s) => s.phone)).size).toBe(staff.length)
    const duties = new Map<string, { leader: number; worker: number }>()
    for (const s of staff) {
      expect(s.key).toMatch(/^s\d{4}$/)
      expect(s.phone).toMatch(/^1380000\d{4}$/)
      expect(s.name).toMatch(/^[\u4e00-\u9fff]{2,3}$/)
      expect(s.duties.length).toBeGreaterThan(0)
      const fineParents = new Set<string>()
      for (const d of s.duties) {
        const a = byCode.get(d.areaCode)
        expect(a, `${s.key} ${d.areaCode}`).toBeDefined()
        expect(['leader', 'worker']).toContain(d.duty)
        const count = duties.get(d.areaCode) ?? { leader: 0, worker: 0 }
        count[d.duty as 'leader' | 'worker']++
        duties.set(d.areaCode, count)
        if (a!.props.level === 'fine_grid') fineParents.add(a!.props.parentCode!)
      }
      if (fineParents.size > 0) {
        expect(s.duties.length, s.key).toBeLessThanOrEqual(2)
        expect(fineParents.size, s.key).toBe(1)
      }
    }
    for (const v of byLevel.village) expect(duties.get(v.props.code)?.leader, v.props.code).toBe(1)
    for (const b of byLevel.base_grid) {
      const d = duties.get(b.props.code)
      expect(d?.leader, b.props.code).toBe(1)
      expect(d!.worker >= 1 && d!.worker <= 2, b.props.code).toBe(true)
    }
    for (const f of byLevel.fine_grid) expect(duties.get(f.props.code)?.worker, f.props.code).toBe(1)
  })

  it('has an offline basemap with lake, mountain bands, roads, rivers and a settlement per village', () => {
    const basemap = features<{ kind: string; name?: string; band?: number; areaCode?: string }>('basemap.geojson')
    const ofKind = (kind: string) => basemap.filter((f) => f.properties.kind === kind)
    expect(ofKind('lake')).toHaveLength(1)
    expect(ofKind('mountain').map((f) => f.properties.band).sort()).toEqual([1, 2, 3])
    expect(ofKind('road').some((f) => f.properties.name === '大丽路')).toBe(true)
    expect(ofKind('road').every((f) => f.geometry.type === 'LineString')).toBe(true)
    expect(ofKind('river').length).toBeGreaterThan(0)
    const town = byLevel.town[0]
    const lake = ofKind('lake')[0].geometry.coordinates as Position[][]
    const lakeBox = bbox({ type: 'Polygon', coordinates: lake })
    expect(lakeBox[2]).toBeGreaterThan(town.box[2])
    expect(lakeBox[1] < town.box[1] && lakeBox[3] > town.box[3]).toBe(true)
    const settlements = ofKind('settlement')
    expect(settlements).toHaveLength(13)
    for (const s of settlements) {
      const village = byCode.get(s.properties.areaCode ?? '')
      expect(village?.props.name).toBe(s.properties.name)
      expect(booleanPointInPolygon(point(s.geometry.coordinates as Position), poly(village!.coords))).toBe(true)
    }
  })
})
