import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { DraftArea } from '../../client/src/lib/features/boundaries/topology/geometry-types.ts'
import { insertSharedVertices } from '../../client/src/lib/features/boundaries/topology/insert-shared-vertices.ts'
import { moveSharedVertex } from '../../client/src/lib/features/boundaries/topology/move-shared-vertex.ts'
import { removeSharedVertex } from '../../client/src/lib/features/boundaries/topology/remove-shared-vertex.ts'
import { ringChange } from '../../client/src/lib/features/boundaries/topology/ring-change.ts'
import { snapPosition } from '../../client/src/lib/features/boundaries/topology/snap-position.ts'
import { snapTargets } from '../../client/src/lib/features/boundaries/topology/snap-targets.ts'
import { touchingAreas } from '../../client/src/lib/features/boundaries/topology/touching-areas.ts'
import { ROOT } from '../setup/template.ts'

function areas(name: string): DraftArea[] {
  const collection = JSON.parse(readFileSync(`${ROOT}tests/fixtures/editor/${name}`, 'utf8'))
  return collection.features.map((feature: { id: number; geometry: { coordinates: DraftArea['coords'] } }) => ({ id: feature.id, coords: feature.geometry.coordinates }))
}

/** A plain equirectangular projection, 1e-6 degree per pixel. */
const project = (p: number[]) => ({ x: (p[0] - 100) * 1e6, y: (25.01 - p[1]) * 1e6 })

describe('shared vertices (topological editing)', () => {
  it('inserts the T-junction vertex into the neighbour edge, leaving the others alone', () => {
    const result = insertSharedVertices(areas('t-junction.input.geojson'))
    expect(result.areas).toEqual(areas('t-junction.shared.expected.geojson'))
    expect(result.changedIds).toEqual([1])
  })

  it('is idempotent', () => {
    const once = insertSharedVertices(areas('t-junction.input.geojson')).areas
    const twice = insertSharedVertices(once)
    expect(twice.areas).toEqual(once)
    expect(twice.changedIds).toEqual([])
  })

  it('moves a shared vertex in every neighbour', () => {
    const shared = insertSharedVertices(areas('t-junction.input.geojson')).areas
    const moved = moveSharedVertex(shared, [100.001, 25.0005], [100.0012, 25.0006])
    expect(moved.areas).toEqual(areas('t-junction.moved.expected.geojson'))
    expect(moved.changedIds).toEqual([1, 2, 3])
  })

  it('without the inserted vertex only two grids would follow (the gap the insertion prevents)', () => {
    const moved = moveSharedVertex(areas('t-junction.input.geojson'), [100.001, 25.0005], [100.0012, 25.0006])
    expect(moved.changedIds).toEqual([2, 3])
  })

  it('deletes a shared vertex from every owner but keeps rings of at least three corners', () => {
    const shared = insertSharedVertices(areas('t-junction.input.geojson')).areas
    const removed = removeSharedVertex(shared, [100.001, 25.0005])
    expect(removed.changedIds).toEqual([1, 2, 3])
    expect(removed.areas[0].coords[0][0]).toEqual(areas('t-junction.input.geojson')[0].coords[0][0])
    const triangle: DraftArea = { id: 9, coords: [[[[0, 0], [1, 0], [0, 1], [0, 0]]]] }
    expect(removeSharedVertex([triangle], [1, 0]).changedIds).toEqual([])
  })

  it('finds the neighbours touching an area, T-junctions included', () => {
    const [left, ...rest] = areas('t-junction.input.geojson')
    const far: DraftArea = { id: 4, coords: [[[[100.01, 25.0], [100.011, 25.0], [100.011, 25.001], [100.01, 25.0]]]] }
    expect(touchingAreas(left, [...rest, far]).map((area) => area.id)).toEqual([2, 3])
  })

  it('carries along, transitively, areas touching a touched neighbour near the edit', () => {
    const [left, , top] = areas('t-junction.input.geojson')
    const above: DraftArea = { id: 5, coords: [[[[100.0015, 25.001], [100.002, 25.001], [100.002, 25.0015], [100.0015, 25.0015], [100.0015, 25.001]]]] }
    expect(touchingAreas(left, [above]).map((area) => area.id)).toEqual([])
    expect(touchingAreas(left, [top, above]).map((area) => area.id)).toEqual([3, 5])
  })
})

describe('ring edits', () => {
  const ring = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]
  it('names a moved, inserted or deleted vertex', () => {
    expect(ringChange(ring, [[0, 0], [1, 0], [2, 2], [0, 1], [0, 0]])).toEqual({ kind: 'move', from: [1, 1], to: [2, 2] })
    expect(ringChange(ring, [[0, 0], [0.5, 0], [1, 0], [1, 1], [0, 1], [0, 0]])).toEqual({ kind: 'insert', at: [0.5, 0] })
    expect(ringChange(ring, [[0, 0], [1, 0], [0, 1], [0, 0]])).toEqual({ kind: 'delete', at: [1, 1] })
    expect(ringChange(ring, ring)).toEqual({ kind: 'none' })
    expect(ringChange(ring, [[5, 5], [6, 5], [1, 1], [0, 1], [5, 5]])).toEqual({ kind: 'other' })
  })
})

describe('snapping', () => {
  const shared = insertSharedVertices(areas('t-junction.input.geojson')).areas
  it('snaps to a neighbour vertex within the pixel tolerance', () => {
    const targets = snapTargets(shared.slice(1), null)
    const near = project([100.002, 25.0005])
    expect(snapPosition({ x: near.x + 4, y: near.y - 3 }, targets, project, 8)).toEqual([100.002, 25.0005])
  })

  it('snaps onto a neighbour edge exactly when no vertex is near', () => {
    const targets = snapTargets(shared.slice(1), null)
    const onEdge = project([100.0015, 25.0])
    const snapped = snapPosition({ x: onEdge.x, y: onEdge.y + 5 }, targets, project, 8)!
    expect(snapped[1]).toBe(25.0)
    expect(snapped[0]).toBeCloseTo(100.0015, 9)
  })

  it('does not snap beyond the tolerance, nor to the dragged vertex and its own edges', () => {
    const far = project([100.0015, 25.0002])
    expect(snapPosition(far, snapTargets(shared, null), project, 8)).toBeNull()
    const dragged = [100.001, 25.0005]
    const targets = snapTargets(shared, dragged)
    expect(targets.vertices.some((v) => v[0] === dragged[0] && v[1] === dragged[1])).toBe(false)
    const start = project(dragged)
    expect(snapPosition({ x: start.x + 2, y: start.y }, targets, project, 8)).toBeNull()
  })
})
