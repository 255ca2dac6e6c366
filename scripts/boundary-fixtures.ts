/**
 * Writes the boundary-editing geometry fixtures of issue 5
 * (`tests/fixtures/boundaries/<case>.input.geojson` and
 * `<case>.expected.geojson`) from the deterministic sample township in
 * `geodata/xizhou/`, with turf only (no PostGIS): the expectations are
 * computed independently of the server's SQL.
 *
 *   npx tsx scripts/boundary-fixtures.ts
 *
 * Each case works in its own base grid, so that a test can apply them one
 * after the other on one database. Review the printed table after a run
 * (codes west→east, north→south inside the base grid).
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { area as turfArea, bboxPolygon, booleanPointInPolygon, centerOfMass, featureCollection, intersect, polygon as turfPolygon, union } from '@turf/turf'
import type { Feature, MultiPolygon, Polygon, Position } from 'geojson'

const ROOT = new URL('..', import.meta.url).pathname
const OUT = `${ROOT}tests/fixtures/boundaries/`
const EARTH_M_PER_DEG = 111_320

interface Area {
  code: string
  parentCode: string
  name: string
  households: number
  ring: Position[]
  geometry: MultiPolygon
}

function load(file: string): Area[] {
  const collection = JSON.parse(readFileSync(`${ROOT}geodata/xizhou/${file}`, 'utf8')) as { features: Array<Feature<MultiPolygon, Record<string, unknown>>> }
  return collection.features.map((f) => ({
    code: String(f.properties.code),
    parentCode: String(f.properties.parentCode),
    name: String(f.properties.name),
    households: Number(f.properties.households),
    ring: f.geometry.coordinates[0][0],
    geometry: f.geometry,
  }))
}

const villages = load('villages.geojson')
const town = load('town.geojson')[0]
const baseGrids = load('base-grids.geojson')
const fineGrids = load('fine-grids.geojson')
const used = new Set<string>()

const key = (p: Position) => `${p[0]},${p[1]}`
const round9 = (v: number) => Math.round(v * 1e9) / 1e9

/** Directed edges of a closed ring as "a|b" keys. */
function edgeSet(ring: Position[]): Set<string> {
  const set = new Set<string>()
  for (let i = 0; i < ring.length - 1; i++) set.add(`${key(ring[i])}|${key(ring[i + 1])}`)
  return set
}

function hasEdge(ring: Position[], a: Position, b: Position): boolean {
  const set = edgeSet(ring)
  return set.has(`${key(a)}|${key(b)}`) || set.has(`${key(b)}|${key(a)}`)
}

/** Length in metres of a short segment (local equirectangular). */
function lengthM(a: Position, b: Position): number {
  const cos = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180)
  return Math.hypot((b[0] - a[0]) * cos, b[1] - a[1]) * EARTH_M_PER_DEG
}

/** The point `alongM` metres from the midpoint of a→b along it, then `offsetM` metres to its left (local equirectangular). */
function pointNearMidpoint(a: Position, b: Position, alongM: number, offsetM: number): Position {
  const cos = Math.cos((((a[1] + b[1]) / 2) * Math.PI) / 180)
  const dx = (b[0] - a[0]) * cos
  const dy = b[1] - a[1]
  const length = Math.hypot(dx, dy)
  const [ux, uy] = [dx / length, dy / length]
  const x = (alongM * ux - offsetM * uy) / EARTH_M_PER_DEG
  const y = (alongM * uy + offsetM * ux) / EARTH_M_PER_DEG
  return [round9((a[0] + b[0]) / 2 + x / cos), round9((a[1] + b[1]) / 2 + y)]
}

/**
 * A triangular notch of `areaM2` in the middle of edge a→b of `grid`: two
 * vertices on the edge √area metres either side of its midpoint and an apex
 * √area metres off it, out of the grid (`outward`) or into it. Returns the
 * three vertices in ring order.
 */
function notch(grid: Area, a: Position, b: Position, areaM2: number, outward: boolean): Position[] {
  const half = Math.sqrt(areaM2)
  const left = pointNearMidpoint(a, b, 0, half)
  const leftIsInside = booleanPointInPolygon(left, turfPolygon([grid.ring]))
  const sign = leftIsInside === outward ? -1 : 1
  return [pointNearMidpoint(a, b, -half, 0), pointNearMidpoint(a, b, 0, sign * half), pointNearMidpoint(a, b, half, 0)]
}

/** Planar area in m² of a small ring (shoelace on local equirectangular metres), independent of turf. */
function planarAreaM2(ring: Position[]): number {
  const cos = Math.cos((ring[0][1] * Math.PI) / 180)
  let twice = 0
  for (let i = 0; i < ring.length - 1; i++) {
    twice += ring[i][0] * cos * ring[i + 1][1] - ring[i + 1][0] * cos * ring[i][1]
  }
  return Math.abs(twice / 2) * EARTH_M_PER_DEG * EARTH_M_PER_DEG
}

/** `ring` with `vertices` inserted after index `i`. */
function insertAfter(ring: Position[], i: number, vertices: Position[]): Position[] {
  return [...ring.slice(0, i + 1), ...vertices, ...ring.slice(i + 1)]
}

function multi(ring: Position[]): MultiPolygon {
  return { type: 'MultiPolygon', coordinates: [[ring]] }
}

function triangle([a, m, b]: Position[]): Polygon {
  const ring = [a, m, b, a]
  const signed = ring.slice(0, -1).reduce((s, p, i) => s + (ring[i + 1][0] - p[0]) * (ring[i + 1][1] + p[1]), 0)
  return { type: 'Polygon', coordinates: [signed > 0 ? [...ring].reverse() : ring] }
}

function feature(geometry: Polygon | MultiPolygon, properties: Record<string, unknown>) {
  return { type: 'Feature', properties, geometry }
}

function write(name: string, input: Record<string, unknown>, expected: Record<string, unknown>): void {
  writeFileSync(`${OUT}${name}.input.geojson`, `${JSON.stringify({ type: 'FeatureCollection', case: name, ...input }, null, 1)}\n`)
  writeFileSync(`${OUT}${name}.expected.geojson`, `${JSON.stringify({ type: 'FeatureCollection', case: name, ...expected }, null, 1)}\n`)
}

const childrenOf = (code: string) => fineGrids.filter((grid) => grid.parentCode === code)
const baseOf = (grid: Area) => baseGrids.find((base) => base.code === grid.parentCode)!

/** Reading order (DOMAIN.md: west→east, north→south; rows a quarter of the parent's bbox height), on turf's planar centres of mass. */
function codesInReadingOrder(parent: Area, grids: Array<{ id: string; geometry: MultiPolygon | Polygon }>): Map<string, string> {
  const lats = parent.ring.map((p) => p[1])
  const band = (Math.max(...lats) - Math.min(...lats)) / 4
  const centres = grids.map((grid) => ({ id: grid.id, c: centerOfMass(grid.geometry).geometry.coordinates }))
  const byLat = [...centres].sort((a, b) => b.c[1] - a.c[1])
  const rows: Array<typeof centres> = []
  let reference = Infinity
  for (const item of byLat) {
    const margin = Math.abs(reference - item.c[1] - band) * EARTH_M_PER_DEG
    if (rows.length > 0 && margin < 5) throw new Error(`reading order of ${parent.code} is ambiguous (${margin.toFixed(1)} m from a row threshold)`)
    if (rows.length > 0 && reference - item.c[1] <= band) rows[rows.length - 1].push(item)
    else {
      rows.push([item])
      reference = item.c[1]
    }
  }
  const codes = new Map<string, string>()
  let n = 0
  for (const row of rows) for (const item of row.sort((a, b) => a.c[0] - b.c[0])) codes.set(item.id, `${parent.code}${String(++n).padStart(3, '0')}`)
  console.log(`  reading order in ${parent.code} (rows of ${(band * EARTH_M_PER_DEG).toFixed(0)} m):`)
  for (const item of centres) console.log(`    ${item.id.padEnd(28)} centre ${item.c[0].toFixed(5)}, ${item.c[1].toFixed(5)} → ${codes.get(item.id)}`)
  return codes
}

/** A fine-grid edge shared with a sibling (same vertices, opposite direction), at least `minM` long, in an unused base grid. */
function sharedEdge(minM: number) {
  for (const base of baseGrids) {
    if (used.has(base.code)) continue
    const grids = childrenOf(base.code)
    for (const a of grids) {
      for (let i = 0; i < a.ring.length - 1; i++) {
        const [p, q] = [a.ring[i], a.ring[i + 1]]
        if (lengthM(p, q) < minM) continue
        const b = grids.find((other) => other !== a && hasEdge(other.ring, p, q))
        if (!b || hasEdge(base.ring, p, q)) continue
        used.add(base.code)
        return { base, a, b, i, p, q }
      }
    }
  }
  throw new Error('no shared edge')
}

/** A fine-grid edge on its base grid's outline, shared with no sibling, far from the town outline. */
function outlineEdge(minM: number) {
  const townVertices = new Set(town.ring.map(key))
  for (const base of baseGrids) {
    if (used.has(base.code)) continue
    const grids = childrenOf(base.code)
    for (const a of grids) {
      for (let i = 0; i < a.ring.length - 1; i++) {
        const [p, q] = [a.ring[i], a.ring[i + 1]]
        if (lengthM(p, q) < minM || !hasEdge(base.ring, p, q) || townVertices.has(key(p)) || townVertices.has(key(q))) continue
        if (grids.some((other) => other !== a && hasEdge(other.ring, p, q))) continue
        used.add(base.code)
        return { base, a, i, p, q }
      }
    }
  }
  throw new Error('no outline edge')
}

function overlapAndGap(): void {
  const edge = sharedEdge(60)
  const cases = [
    { name: 'overlap-under', kind: 'overlap', m2: 0.8 },
    { name: 'overlap-over', kind: 'overlap', m2: 1.25 },
    { name: 'gap', kind: 'gap', m2: 40 },
  ]
  for (const item of cases) {
    const vertices = notch(edge.a, edge.p, edge.q, item.m2, item.kind === 'overlap')
    const tri = triangle(vertices)
    const m2 = planarAreaM2(tri.coordinates[0])
    console.log(`${item.name}: notch of ${m2.toFixed(3)} m² (turf ${turfArea(tri).toFixed(3)}) in ${edge.a.code}, edge of ${lengthM(edge.p, edge.q).toFixed(0)} m shared with ${edge.b.code}`)
    const input = { operation: 'validate', toleranceM2: 1, features: [feature(multi(insertAfter(edge.a.ring, edge.i, vertices)), { code: edge.a.code, role: 'edited' })] }
    const over = item.m2 > 1
    const finding = { kind: item.kind, areaCode: item.kind === 'gap' ? edge.base.code : edge.a.code, otherCode: item.kind === 'gap' ? null : edge.b.code, areaM2: Number(m2.toFixed(4)) }
    write(item.name, input, {
      valid: !(over && item.kind === 'overlap'),
      problems: over && item.kind === 'overlap' ? [finding] : [],
      warnings: over && item.kind === 'gap' ? [finding] : [],
      features: over ? [feature(tri, { role: item.kind, ...finding })] : [],
    })
  }
}

function containment(): void {
  const edge = outlineEdge(60)
  for (const item of [{ name: 'outside-parent-within', m2: 0.6 }, { name: 'outside-parent-beyond', m2: 6 }]) {
    const vertices = notch(edge.a, edge.p, edge.q, item.m2, true)
    const tri = triangle(vertices)
    const m2 = planarAreaM2(tri.coordinates[0])
    console.log(`${item.name}: notch of ${m2.toFixed(3)} m² (turf ${turfArea(tri).toFixed(3)}) out of ${edge.a.code} across the outline of ${edge.base.code}`)
    const input = { operation: 'validate', toleranceM2: 1, features: [feature(multi(insertAfter(edge.a.ring, edge.i, vertices)), { code: edge.a.code, role: 'edited' })] }
    const finding = { kind: 'outside_parent', areaCode: edge.a.code, otherCode: edge.base.code, areaM2: Number(m2.toFixed(4)) }
    const beyond = item.m2 > 1
    write(item.name, input, { valid: !beyond, problems: beyond ? [finding] : [], warnings: [], features: beyond ? [feature(tri, { role: 'outside_parent', ...finding })] : [] })
  }
}

/** A vertex inside a base grid shared by two or more fine grids, every edge leaving it shared, moved a few metres in every owner. */
function sharedVertexMove(): void {
  for (const base of baseGrids) {
    if (used.has(base.code)) continue
    const grids = childrenOf(base.code)
    const outline = new Set(base.ring.map(key))
    for (const a of grids) {
      for (let i = 1; i < a.ring.length - 1; i++) {
        const v = a.ring[i]
        if (outline.has(key(v))) continue
        const owners = grids.filter((grid) => grid.ring.slice(0, -1).some((p) => key(p) === key(v)))
        if (owners.length < 3) continue
        const exact = owners.every((owner) => {
          const at = owner.ring.findIndex((p) => key(p) === key(v))
          if (at <= 0 || at >= owner.ring.length - 1) return false
          return [owner.ring[at - 1], owner.ring[at + 1]].every((n) => lengthM(n, v) > 40 && owners.some((other) => other !== owner && hasEdge(other.ring, v, n)))
        })
        if (!exact) continue
        used.add(base.code)
        const to: Position = [round9(v[0] + 3 / EARTH_M_PER_DEG / Math.cos((v[1] * Math.PI) / 180)), round9(v[1] + 2 / EARTH_M_PER_DEG)]
        console.log(`shared-vertex-move: ${key(v)} of ${owners.map((o) => o.code).join(', ')} in ${base.code}, moved 3 m east and 2 m north`)
        const moved = owners.map((owner) => feature(multi(owner.ring.map((p) => (key(p) === key(v) ? to : p))), { code: owner.code, role: 'edited', version: 2 }))
        const others = grids.filter((grid) => !owners.includes(grid)).map((grid) => feature(grid.geometry, { code: grid.code, role: 'unchanged', version: 1 }))
        write('shared-vertex-move', { operation: 'batch', reason: '村民小组调整（共享顶点）', features: moved.map((f) => ({ ...f, properties: { code: f.properties.code, role: 'edited' } })) }, {
          valid: true, problems: [], warnings: [], from: v, to, features: [...moved, ...others],
        })
        return
      }
    }
  }
  throw new Error('no shared vertex')
}

function pickBase(minChildren: number, accept: (base: Area, grids: Area[]) => boolean): Area {
  const base = baseGrids.find((candidate) => !used.has(candidate.code) && childrenOf(candidate.code).length >= minChildren && accept(candidate, childrenOf(candidate.code)))
  if (!base) throw new Error('no base grid')
  used.add(base.code)
  return base
}

function split(): void {
  let target: Area | undefined
  let pieces: Polygon[] = []
  let lat = 0
  pickBase(4, (_, grids) => {
    // The second grid in code order: its siblings after it shift when it becomes two.
    const candidate = grids[1]
    lat = round9(centerOfMass(candidate.geometry).geometry.coordinates[1])
    const lons = candidate.ring.map((p) => p[0])
    const [w, e] = [Math.min(...lons) - 0.01, Math.max(...lons) + 0.01]
    const halves = [bboxPolygon([w, lat, e, lat + 1]), bboxPolygon([w, lat - 1, e, lat])]
    const parts = halves.map((half) => intersect(featureCollection([turfPolygon(candidate.geometry.coordinates[0]), half])))
    if (parts.some((part) => !part || part.geometry.type !== 'Polygon')) return false
    target = candidate
    pieces = parts.map((part) => part!.geometry as Polygon).sort((a, b) => turfArea(b) - turfArea(a))
    return true
  })
  const grid = target!
  const base = baseOf(grid)
  const lons = grid.ring.map((p) => p[0])
  const line = { type: 'LineString', coordinates: [[round9(Math.min(...lons) - 0.01), lat], [round9(Math.max(...lons) + 0.01), lat]] }
  console.log(`split: ${grid.code} along latitude ${lat}: pieces of ${pieces.map((p) => turfArea(p).toFixed(0)).join(' and ')} m²`)
  const after = [
    ...childrenOf(base.code).filter((g) => g !== grid).map((g) => ({ id: g.code, geometry: g.geometry as MultiPolygon | Polygon })),
    ...pieces.map((geometry, i) => ({ id: `piece-${i + 1}`, geometry })),
  ]
  const codes = codesInReadingOrder(base, after)
  const features = after.map((item) => feature(item.geometry, {
    code: codes.get(item.id),
    sourceCode: item.id.startsWith('piece-') ? null : item.id,
    role: item.id.startsWith('piece-') ? 'created' : 'sibling',
    ...(item.id.startsWith('piece-') ? { name: `${grid.name}（${item.id.slice(6)}）` } : {}),
  }))
  const lineage = [
    ...pieces.map((_, i) => ({ kind: 'split', oldCode: grid.code, newCode: codes.get(`piece-${i + 1}`) })),
    ...after.filter((item) => !item.id.startsWith('piece-') && codes.get(item.id) !== item.id).map((item) => ({ kind: 'renumber', oldCode: item.id, newCode: codes.get(item.id) })),
  ]
  write('split', { operation: 'split', reason: '按村民小组拆分', areaCode: grid.code, features: [feature(grid.geometry, { code: grid.code, role: 'split' })], line }, {
    valid: true, retiredCode: grid.code, baseCode: base.code, lineage, features,
  })
}

function merge(): void {
  let pair: [Area, Area] | undefined
  const base = pickBase(4, (candidate, grids) => {
    for (const a of grids) {
      for (const b of grids) {
        if (a.code >= b.code) continue
        const shared = a.ring.slice(0, -1).some((p, i) => hasEdge(b.ring, p, a.ring[i + 1]))
        const merged = union(featureCollection([turfPolygon(a.geometry.coordinates[0]), turfPolygon(b.geometry.coordinates[0])]))
        if (shared && merged?.geometry.type === 'Polygon' && candidate.code) {
          pair = [a, b]
          return true
        }
      }
    }
    return false
  })
  const [a, b] = pair!
  const merged = union(featureCollection([turfPolygon(a.geometry.coordinates[0]), turfPolygon(b.geometry.coordinates[0])]))!.geometry as Polygon
  console.log(`merge: ${a.code} + ${b.code} in ${base.code}: ${turfArea(merged).toFixed(0)} m², ${a.households + b.households} households`)
  const after = [
    ...childrenOf(base.code).filter((g) => g !== a && g !== b).map((g) => ({ id: g.code, geometry: g.geometry as MultiPolygon | Polygon })),
    { id: 'merged', geometry: merged },
  ]
  const codes = codesInReadingOrder(base, after)
  const features = after.map((item) => feature(item.geometry, {
    code: codes.get(item.id),
    sourceCode: item.id === 'merged' ? null : item.id,
    role: item.id === 'merged' ? 'created' : 'sibling',
    ...(item.id === 'merged' ? { name: '合并网格', households: a.households + b.households } : {}),
  }))
  const lineage = [
    { kind: 'merge', oldCode: a.code, newCode: codes.get('merged') },
    { kind: 'merge', oldCode: b.code, newCode: codes.get('merged') },
    ...after.filter((item) => item.id !== 'merged' && codes.get(item.id) !== item.id).map((item) => ({ kind: 'renumber', oldCode: item.id, newCode: codes.get(item.id) })),
  ]
  write('merge', { operation: 'merge', reason: '合并相邻网格', name: '合并网格', features: [a, b].map((g) => feature(g.geometry, { code: g.code, role: 'merged' })) }, {
    valid: true, retiredCodes: [a.code, b.code], baseCode: base.code, lineage, features,
  })
}

function restore(): void {
  const edge = outlineEdge(40)
  const edited = multi(insertAfter(edge.a.ring, edge.i, notch(edge.a, edge.p, edge.q, 25, false)))
  console.log(`restore: ${edge.a.code} edited (a notch of 25 m² on its outline), then version 1 restored`)
  write('restore', { operation: 'restore', reason: '恢复原边界', restoreVersion: 1, features: [feature(edited, { code: edge.a.code, role: 'edit-before-restore' })] }, {
    valid: true, features: [feature(edge.a.geometry, { code: edge.a.code, role: 'restored', version: 3, sameAsVersion: 1 })],
  })
}

console.log(`sample: ${villages.length} villages, ${baseGrids.length} base grids, ${fineGrids.length} fine grids`)
sharedVertexMove()
overlapAndGap()
containment()
split()
merge()
restore()
