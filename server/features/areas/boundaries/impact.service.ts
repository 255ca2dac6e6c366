import type { Db } from '../../../core/db/database.ts'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import type { Lang } from '../../../core/i18n/messages.ts'
import { shareByArea } from './area-figures.ts'
import { DISPUTE_WORKFLOW } from '../../cases/index.ts'
import { HAZARD_WORKFLOW } from '../../cases/index.ts'
import {
  findChangedParts,
  findFigureOverlaps,
  findMovedPoints,
  findWorkerLoads,
  type ChangedShape,
} from './impact.repository.ts'
import { findCurrentCodes } from './boundaries.repository.ts'
import { mergeAreas, saveAreaEdits, splitArea, type AreaEdit, type BoundarySaveResult } from './edit.service.ts'

/** The change to preview: exactly one of an edit (batch), a split or a merge. */
export interface ImpactInput {
  edit?: { areas: AreaEdit[] }
  split?: { areaId: number; line: unknown }
  merge?: { areaIds: number[] }
  toleranceM2?: number
}

/** An area as the impact names it (negative id: an area the change would create). */
export interface ImpactAreaRef {
  id: number
  code: string | null
  name: string | null
}

/** What a boundary change would do to figures, open cases, key persons and workers; nothing is saved. */
export interface BoundaryImpact {
  preview: BoundarySaveResult
  areas: Array<ImpactAreaRef & {
    level: AreaLevel
    action: string
    before: { households: number; population: number } | null
    after: { households: number; population: number } | null
  }>
  cases: Array<{ level: AreaLevel; from: ImpactAreaRef | null; to: ImpactAreaRef | null; count: number; caseIds: number[] }>
  keyPersons: Array<{ level: AreaLevel; from: ImpactAreaRef | null; to: ImpactAreaRef | null; count: number }>
  workers: Array<{
    kind: 'staff' | 'user'
    id: number
    name: string
    areaIds: number[]
    before: { openCases: number; keyPersons: number; total: number }
    after: { openCases: number; keyPersons: number; total: number }
  }>
  changes: { type: 'FeatureCollection'; features: Array<{ type: 'Feature'; geometry: unknown; properties: Record<string, unknown> }> }
}

/** Statuses that end a case (both workflows): a case in none of them is open. */
export const FINAL_CASE_STATUSES: string[] = [...HAZARD_WORKFLOW.final, ...DISPUTE_WORKFLOW.final]

/** Runs the dry-run planning of the chosen change (nothing is written). */
async function dryRun(db: Db, input: ImpactInput, by: string, lang: Lang): Promise<BoundarySaveResult> {
  const chosen = [input.edit, input.split, input.merge].filter((value) => value !== undefined)
  if (chosen.length !== 1) throw new HttpError(400, 'boundary_impact_one_change')
  const options = { by, reason: 'impact preview', lang, toleranceM2: input.toleranceM2, dryRun: true }
  if (input.edit) return saveAreaEdits(db, input.edit.areas, options)
  if (input.split) return splitArea(db, input.split, options)
  return mergeAreas(db, input.merge!, options)
}

/**
 * Previews the impact of a boundary change from its dry-run plan (the same
 * planning as the edit routes; nothing is saved):
 *
 * - figures: each current area the change reshapes or retires shares its
 *   households and population among the proposed areas of its level in
 *   proportion to the part of its surface (m² on the ellipsoid) each one
 *   covers, in whole numbers (largest remainders); a share falling on no
 *   proposed area (a gap) is lost. `after` of an area is the sum of what it
 *   receives: an estimate, the surveyed figures are entered afterwards;
 * - open cases (status not final in its workflow) and active key persons
 *   (in management or away, not archived) whose point would lie in another
 *   area of a changed level: per from→to, case ids, key persons counted only;
 * - the load of each grid worker serving a changed area, now and after;
 * - the changed parts (old △ new) per area, GeoJSON for the map.
 *
 * Cases keep the area versions recorded at registration whatever is saved
 * later: "would change grid" compares the current shapes with the proposed ones.
 */
export async function previewBoundaryImpact(db: Db, input: ImpactInput, by: string, lang: Lang): Promise<BoundaryImpact> {
  const preview = await dryRun(db, input, by, lang)
  const plan = preview.plan
  const shapes: ChangedShape[] = []
  for (const area of plan.areas.values()) {
    if (area.geometry !== null && (area.level === 'village' || area.level === 'base_grid' || area.level === 'fine_grid')) {
      shapes.push({ key: area.key, level: area.level, geometry: area.geometry })
    }
  }
  for (const row of plan.retired) shapes.push({ key: row.areaId, level: row.level, geometry: null })

  const refs = new Map<number, ImpactAreaRef>()
  for (const area of preview.areas) refs.set(area.id, { id: area.id, code: area.code, name: area.name })
  for (const row of plan.retired) refs.set(row.areaId, { id: row.areaId, code: row.code, name: row.name })
  for (const row of plan.rows.values()) if (!refs.has(row.areaId)) refs.set(row.areaId, { id: row.areaId, code: row.code, name: row.name })

  if (shapes.length === 0) {
    return { preview, areas: [], cases: [], keyPersons: [], workers: [], changes: { type: 'FeatureCollection', features: [] } }
  }
  const [overlaps, moved, loads, parts] = [
    await findFigureOverlaps(db, shapes),
    await findMovedPoints(db, shapes, FINAL_CASE_STATUSES),
    await findWorkerLoads(db, shapes, FINAL_CASE_STATUSES),
    await findChangedParts(db, shapes),
  ]
  const unknown = [...new Set(moved.flatMap((row) => [row.fromKey, row.toKey]).filter((key): key is number => key !== null && !refs.has(key)))]
  const codes = await findCurrentCodes(db, unknown)
  const ref = (key: number | null): ImpactAreaRef | null => (key === null ? null : (refs.get(key) ?? { id: key, code: codes.get(key) ?? null, name: null }))

  // Figures: each source shares its figures among its targets by area.
  const received = new Map<number, { households: number; population: number }>()
  const bySource = new Map<number, typeof overlaps>()
  for (const row of overlaps) bySource.set(row.sourceKey, [...(bySource.get(row.sourceKey) ?? []), row])
  for (const [sourceKey, rows] of bySource) {
    const source = plan.rows.get(sourceKey)
    if (!source) continue
    const m2 = rows.map((row) => row.m2)
    const households = shareByArea(source.households, m2)
    const population = shareByArea(source.population, m2)
    rows.forEach((row, i) => {
      if (row.targetKey === null) return
      const sum = received.get(row.targetKey) ?? { households: 0, population: 0 }
      received.set(row.targetKey, { households: sum.households + households[i], population: sum.population + population[i] })
    })
  }
  const areas: BoundaryImpact['areas'] = shapes.map((shape) => {
    const current = plan.rows.get(shape.key)
    const planned = plan.areas.get(shape.key)
    return {
      ...ref(shape.key)!,
      level: shape.level,
      action: planned ? planned.action : 'retire',
      before: current && shape.key > 0 ? { households: current.households, population: current.population } : null,
      after: shape.geometry === null ? null : (received.get(shape.key) ?? { households: 0, population: 0 }),
    }
  })

  const group = <T extends { count: number }>(kind: 'case' | 'key_person', make: (level: AreaLevel, from: number | null, to: number | null) => T, add: (entry: T, caseId: number | null) => void) => {
    const found = new Map<string, T>()
    for (const row of moved.filter((m) => m.kind === kind)) {
      const id = `${row.level}|${row.fromKey}|${row.toKey}`
      const entry = found.get(id) ?? make(row.level, row.fromKey, row.toKey)
      found.set(id, entry)
      entry.count += 1
      add(entry, row.caseId)
    }
    return [...found.values()]
  }
  const cases = group('case', (level, from, to) => ({ level, from: ref(from), to: ref(to), count: 0, caseIds: [] as number[] }), (entry, id) => {
    if (id !== null) entry.caseIds.push(id)
  })
  const keyPersons = group('key_person', (level, from, to) => ({ level, from: ref(from), to: ref(to), count: 0 }), () => undefined)

  const workers = loads.map((row) => ({
    kind: row.kind,
    id: row.id,
    name: row.name,
    areaIds: row.areaIds,
    before: { openCases: row.casesBefore, keyPersons: row.keyPersonsBefore, total: row.casesBefore + row.keyPersonsBefore },
    after: { openCases: row.casesAfter, keyPersons: row.keyPersonsAfter, total: row.casesAfter + row.keyPersonsAfter },
  }))

  const features = parts
    .filter((part) => part.geometry !== null)
    .map((part) => {
      const area = areas.find((candidate) => candidate.id === part.key)!
      return {
        type: 'Feature' as const,
        geometry: JSON.parse(part.geometry!) as unknown,
        properties: { areaId: part.key, code: area.code, name: area.name, level: area.level, action: area.action, addedM2: round2(part.addedM2), removedM2: round2(part.removedM2) },
      }
    })
  return { preview, areas, cases, keyPersons, workers, changes: { type: 'FeatureCollection', features } }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100
}
