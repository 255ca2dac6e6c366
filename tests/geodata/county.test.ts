import { describe, it, expect } from 'vitest'
import { readFileSync } from 'node:fs'
import { area, bbox, booleanValid, difference, featureCollection, intersect, multiPolygon } from '@turf/turf'
import type { MultiPolygonCoords, Position } from '../../server/core/postgis/geometry.ts'
import type { CountyManifest } from '../../scripts/geodata/county/manifest.ts'
import { ringSignedArea } from '../../scripts/geodata/ring-signed-area.ts'

type Level = 'county' | 'town' | 'village' | 'base_grid' | 'fine_grid'

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
}

interface Area {
  props: AreaProps
  coords: MultiPolygonCoords
  box: [number, number, number, number]
  m2: number
}

interface StaffEntry {
  key: string
  phone: string
  duties: Array<{ areaCode: string; duty: string }>
}

const DIR = new URL('../../geodata/county/', import.meta.url)
const readJson = <T>(file: string | URL): T => JSON.parse(readFileSync(new URL(file, DIR), 'utf8')) as T
const manifest = readJson<CountyManifest>('county.json')
const FILES = ['town.geojson', 'villages.geojson', 'base-grids.geojson', 'fine-grids.geojson']

const toArea = (f: { properties: AreaProps; geometry: { coordinates: unknown } }): Area => {
  const coords = f.geometry.coordinates as MultiPolygonCoords
  const shape = multiPolygon(coords)
  return { props: f.properties, coords, box: bbox(shape) as Area['box'], m2: area(shape) }
}

const countyFeature = readJson<{ features: Array<{ properties: { code: string; countyCode: string }; geometry: { coordinates: unknown } }> }>('county.geojson').features[0]
const county: Area = toArea({ properties: { ...countyFeature.properties, level: 'county', parentCode: null } as AreaProps, geometry: countyFeature.geometry })
const all: Area[] = manifest.towns.flatMap((town) =>
  FILES.flatMap((file) => readJson<{ features: Array<{ properties: AreaProps; geometry: { coordinates: unknown } }> }>(`${town.dir}/${file}`).features.map(toArea)),
)
const staff = manifest.towns.flatMap((town) => readJson<StaffEntry[]>(`${town.dir}/staff.json`))
const towns = all.filter((a) => a.props.level === 'town')
const byCode = new Map(all.map((a) => [a.props.code, a]))
const childrenOf = new Map<string, Area[]>([[county.props.code, towns]])
for (const a of all) {
  if (a.props.parentCode) childrenOf.set(a.props.parentCode, [...(childrenOf.get(a.props.parentCode) ?? []), a])
}
const parents = [county, ...all.filter((a) => childrenOf.has(a.props.code))]
const exemptM2 = new Map<string, number>()
for (const town of manifest.towns) {
  for (const f of readJson<{ features: Array<{ properties: { parentCode: string }; geometry: { coordinates: unknown } }> }>(`${town.dir}/exempt.geojson`).features) {
    exemptM2.set(f.properties.parentCode, (exemptM2.get(f.properties.parentCode) ?? 0) + area(multiPolygon(f.geometry.coordinates as MultiPolygonCoords)))
  }
}

const poly = (coords: MultiPolygonCoords) => multiPolygon(coords)
const boxesMeet = (a: Area['box'], b: Area['box']) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3]
const pad3 = (n: number) => String(n).padStart(3, '0')

function segmentDistance(p: Position, a: Position, b: Position): number {
  const dx = b[0] - a[0]
  const dy = b[1] - a[1]
  const length2 = dx * dx + dy * dy
  const t = length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
  return Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)
}

/** Vertices of `a` lying on an edge of `b` (within about 10 cm) without being one of `b`'s vertices: T-junctions. */
function tJunctions(a: Area, b: Area): Position[] {
  const vertices = new Set(b.coords.flat(2).map(([x, y]) => `${x},${y}`))
  const edges = b.coords.flat().flatMap((ring) => ring.slice(1).map((q, i): [Position, Position] => [ring[i], q]))
  return a.coords
    .flat(2)
    .filter(([x, y]) => !vertices.has(`${x},${y}`) && edges.some(([p, q]) => segmentDistance([x, y], p, q) < 1e-6))
}

describe('sample county geodata (geodata/county)', () => {
  it('has at least 8 towns, Xizhou among them unchanged from geodata/xizhou, each with villages, base and fine grids', () => {
    expect(towns.length).toBeGreaterThanOrEqual(8)
    expect(manifest.towns.map((t) => t.code)).toEqual(towns.map((t) => t.props.code))
    const xizhou = manifest.towns.find((t) => t.slug === 'xizhou')
    expect(xizhou).toMatchObject({ dir: '../xizhou', code: '532901101000', name: '喜洲镇' })
    expect(new Set(manifest.towns.map((t) => t.slug)).size).toBe(manifest.towns.length)
    for (const town of towns) {
      const villages = childrenOf.get(town.props.code) ?? []
      expect(villages.length, town.props.code).toBeGreaterThanOrEqual(6)
      for (const village of villages) {
        const bases = childrenOf.get(village.props.code) ?? []
        expect(bases.length, village.props.code).toBeGreaterThanOrEqual(4)
        expect(bases.length, village.props.code).toBeLessThanOrEqual(10)
        for (const base of bases) {
          const fines = childrenOf.get(base.props.code) ?? []
          expect(fines.length >= 3 && fines.length <= 6, base.props.code).toBe(true)
        }
      }
    }
  })

  it('has unique codes in the national scheme under one county code, derived from their parts', () => {
    expect(new Set(all.map((a) => a.props.code)).size).toBe(all.length)
    expect(new Set(towns.map((t) => t.props.townshipSeq)).size).toBe(towns.length)
    const depth: Record<Level, number> = { county: 0, town: 1, village: 2, base_grid: 3, fine_grid: 4 }
    for (const { props: p } of all) {
      expect(p.countyCode, p.code).toBe(manifest.countyCode)
      expect(p.code, p.code).toMatch(/^\d{12}(\d{3}){0,2}$/)
      const derived =
        p.countyCode +
        pad3(p.townshipSeq) +
        (p.villageSeq === null ? '000' : pad3(p.villageSeq)) +
        (p.gridSeq === null ? '' : pad3(p.gridSeq)) +
        (p.fineSeq === null ? '' : pad3(p.fineSeq))
      expect(derived).toBe(p.code)
      expect(p.name.length > 0 && p.nameEn.length > 0, p.code).toBe(true)
      if (p.level === 'town') {
        expect(p.parentCode).toBeNull()
        // 镇 (towns) 100–199, 乡 (townships) 200–399; villages (村委会) 200–399.
        expect(p.name.endsWith('镇') ? p.townshipSeq >= 100 && p.townshipSeq < 200 : p.townshipSeq >= 200 && p.townshipSeq < 400, p.code).toBe(true)
        continue
      }
      const parent = byCode.get(p.parentCode ?? '')
      expect(parent, `${p.code} parent`).toBeDefined()
      expect(depth[parent!.props.level], p.code).toBe(depth[p.level] - 1)
      expect(parent!.props.townshipSeq, p.code).toBe(p.townshipSeq)
      if (p.level === 'village') expect(p.villageSeq! >= 200 && p.villageSeq! < 400, p.code).toBe(true)
      else expect(p.code.startsWith(p.parentCode!), p.code).toBe(true)
    }
    expect(new Set(towns.map((t) => t.props.name)).size).toBe(towns.length)
  })

  it('stores valid, rounded MultiPolygons with RFC 7946 winding', () => {
    for (const a of [county, ...all.filter((x) => x.props.townshipSeq !== 101)]) {
      expect(booleanValid(poly(a.coords)), a.props.code).toBe(true)
      for (const rings of a.coords) {
        rings.forEach((ring, i) => {
          expect(ringSignedArea(ring) > 0, `${a.props.code} ring ${i}`).toBe(i === 0)
          for (const [lon, lat] of ring) expect(Number(lon.toFixed(7)) === lon && Number(lat.toFixed(7)) === lat, a.props.code).toBe(true)
        })
      }
    }
  })

  it('keeps every child inside its parent, towns inside the county (child minus parent < 1 m²)', () => {
    for (const parent of parents) {
      for (const child of childrenOf.get(parent.props.code)!) {
        const outside = difference(featureCollection([poly(child.coords), poly(parent.coords)]))
        expect(outside ? area(outside) : 0, child.props.code).toBeLessThan(1)
      }
    }
  })

  it('has no overlap between siblings, towns included (pairwise intersection < 1 m²)', () => {
    for (const parent of parents) {
      const kids = childrenOf.get(parent.props.code)!
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          if (!boxesMeet(kids[i].box, kids[j].box)) continue
          const common = intersect(featureCollection([poly(kids[i].coords), poly(kids[j].coords)]))
          expect(common ? area(common) : 0, `${kids[i].props.code} ∩ ${kids[j].props.code}`).toBeLessThan(1)
        }
      }
    }
  })

  it('covers the county with its towns and each parent with its children, except exempt water (gap < 0.01 %)', () => {
    for (const parent of parents) {
      const covered = childrenOf.get(parent.props.code)!.reduce((sum, child) => sum + child.m2, 0)
      const gap = Math.abs(parent.m2 - (exemptM2.get(parent.props.code) ?? 0) - covered) / parent.m2
      expect(gap, parent.props.code).toBeLessThan(1e-4)
    }
  })

  it('shares town borders exactly: no vertex of a town lies on a neighbour’s edge without being its vertex too', () => {
    let shared = 0
    for (let i = 0; i < towns.length; i++) {
      for (let j = 0; j < towns.length; j++) {
        if (i === j || !boxesMeet(towns[i].box, towns[j].box)) continue
        expect(tJunctions(towns[i], towns[j]), `${towns[i].props.code} on ${towns[j].props.code}`).toEqual([])
        const mine = new Set(towns[j].coords.flat(2).map(([x, y]) => `${x},${y}`))
        shared += towns[i].coords.flat(2).filter(([x, y]) => mine.has(`${x},${y}`)).length
      }
    }
    expect(shared).toBeGreaterThan(100)
  })

  it('sums population and households of children exactly to the parent; staff keys and phones are unique county-wide', () => {
    for (const parent of parents.filter((p) => p.props.level !== 'county')) {
      const kids = childrenOf.get(parent.props.code)!
      expect(kids.reduce((s, k) => s + k.props.population, 0), parent.props.code).toBe(parent.props.population)
      expect(kids.reduce((s, k) => s + k.props.households, 0), parent.props.code).toBe(parent.props.households)
    }
    for (const town of manifest.towns) expect(byCode.get(town.code)?.props.population).toBe(town.population)
    expect(new Set(staff.map((s) => s.key)).size).toBe(staff.length)
    expect(new Set(staff.map((s) => s.phone)).size).toBe(staff.length)
    for (const s of staff) {
      expect(s.phone).toMatch(/^138\d{8}$/)
      for (const d of s.duties) expect(byCode.has(d.areaCode), `${s.key} ${d.areaCode}`).toBe(true)
    }
    for (const f of all.filter((a) => a.props.level === 'fine_grid')) {
      expect(staff.some((s) => s.duties.some((d) => d.areaCode === f.props.code && d.duty === 'worker')), f.props.code).toBe(true)
    }
  })
})
