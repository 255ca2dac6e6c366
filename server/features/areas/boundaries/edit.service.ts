import type { Db } from '../../../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../../../core/db/tables/area.ts'
import type { BoundaryChangeKind } from '../../../core/db/tables/boundary.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { message, type Lang } from '../../../core/i18n/messages.ts'
import { areaCode } from './area-code.ts'
import { shareByArea } from './area-figures.ts'
import { DEFAULT_TOLERANCE_M2 } from './limits.ts'
import { parseLineInput } from './line-input.ts'
import { findAreaFeature } from '../areas.repository.ts'
import {
  assignChildrenToPieces,
  findAreaShapes,
  lockCurrentChildren,
  splitGeometry,
  unionGeometry,
  type CurrentVersionRow,
} from './boundaries.repository.ts'
import { checkGeometryInput } from './input.service.ts'
import {
  CHILD_LEVEL,
  checkPlan,
  lockRows,
  newPlan,
  planFromCurrent,
  refuseOnProblems,
  writePlan,
  type BoundaryPlan,
  type PlanCheck,
} from './plan.service.ts'

/** Properties of an area an editor may change. */
export interface EditableAreaProperties {
  name: string
  nameEn: string | null
  kind: AreaKind
  households: number
  population: number
}

/** One area's new geometry and/or properties, against the version the editor saw. */
export interface AreaEdit {
  areaId: number
  /** Version from If-Match; undefined only for validation and impact previews. */
  ifMatch?: number
  geometry?: unknown
  properties?: Partial<EditableAreaProperties>
}

/** Who saves, in which language problems are reported, and whether anything is written. */
export interface BoundarySaveOptions {
  by: string
  reason: string
  lang: Lang
  toleranceM2?: number
  /** Check (and preview) only. */
  dryRun?: boolean
  /** Levels the edited areas must have (the OGC collection's), else 404. */
  level?: AreaLevel
}

/** Outcome of a boundary save (or of its dry run). */
export interface BoundarySaveResult extends PlanCheck {
  changeId: number | null
  /** Areas written (or that would be), with the code and version they get. */
  areas: Array<{ id: number; code: string; version: number; action: string; level: AreaLevel; name: string }>
  retired: Array<{ id: number; code: string; version: number }>
  normalised: Record<number, string[]>
  plan: BoundaryPlan
}

/** 412 with the current Feature of the area. */
async function versionMismatch(db: Db, row: CurrentVersionRow, expected: number): Promise<HttpError> {
  const found = await findAreaFeature(db, row.level, row.areaId)
  return new HttpError(
    412,
    'boundary_version_mismatch',
    { id: row.areaId, expected, current: row.version },
    { areaId: row.areaId, currentVersion: row.version, current: found ? JSON.parse(found.featureText) : null },
  )
}

async function checkPreconditions(db: Db, rows: CurrentVersionRow[], ifMatches: Array<number | undefined>, dryRun: boolean): Promise<void> {
  for (let i = 0; i < rows.length; i++) {
    const expected = ifMatches[i]
    if (expected === undefined) {
      if (!dryRun) throw new HttpError(428, 'boundary_if_match_required')
      continue
    }
    if (expected !== rows[i].version) throw await versionMismatch(db, rows[i], expected)
  }
}

function notEditable(row: CurrentVersionRow, detail: string): HttpError {
  return new HttpError(422, 'boundary_area_not_editable', { id: row.areaId, level: row.level, detail })
}

/** Adds geometry/property edits of existing areas to a plan (locks, If-Match, input hygiene). */
async function planEdits(db: Db, plan: BoundaryPlan, edits: AreaEdit[], options: BoundarySaveOptions, action: 'edit' | 'restore'): Promise<Record<number, string[]>> {
  const seen = new Set<number>()
  for (const edit of edits) {
    if (seen.has(edit.areaId)) throw new HttpError(400, 'duplicate_area_in_batch', { id: edit.areaId })
    seen.add(edit.areaId)
  }
  const rows = await lockRows(db, plan, edits.map((edit) => edit.areaId))
  rows.forEach((row) => {
    if (options.level && row.level !== options.level) throw new HttpError(404, 'area_not_found', { id: row.areaId })
  })
  await checkPreconditions(db, rows, edits.map((edit) => edit.ifMatch), options.dryRun ?? false)
  const normalised: Record<number, string[]> = {}
  for (const [i, edit] of edits.entries()) {
    const planned = planFromCurrent(rows[i], action, options.reason)
    if (edit.geometry !== undefined) {
      const checked = await checkGeometryInput(db, edit.geometry, options.lang, edit.areaId)
      planned.geometry = checked.geojson
      normalised[edit.areaId] = checked.normalised
      if (checked.spike) plan.problems.push(checked.spike)
    }
    Object.assign(planned, definedOnly(edit.properties ?? {}))
    plan.areas.set(planned.key, planned)
  }
  return normalised
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}

/** Checks a plan, refuses it (422) on problems, else writes it unless it is a dry run. */
async function finishPlan(db: Db, plan: BoundaryPlan, options: BoundarySaveOptions, normalised: Record<number, string[]>, summary: Record<string, unknown>): Promise<BoundarySaveResult> {
  const tolerance = options.toleranceM2 ?? DEFAULT_TOLERANCE_M2
  const check = await checkPlan(db, plan, options.lang, tolerance)
  const preview = [...plan.areas.values()].map((area) => ({
    id: area.key,
    code: areaCode(area),
    version: area.current ? area.current.version + 1 : 1,
    action: area.action,
    level: area.level,
    name: area.name,
  }))
  const retired = plan.retired.map((row) => ({ id: row.areaId, code: row.code, version: row.version }))
  if (options.dryRun) return { ...check, changeId: null, areas: preview, retired, normalised, plan }
  refuseOnProblems(check)
  const written = await writePlan(db, plan, { ...summary, areas: preview.length, retired: retired.map((row) => row.id), warnings: check.warnings.length })
  const areas = preview.map((area) => ({ ...area, id: written.ids.get(area.id)!, code: written.codes.get(written.ids.get(area.id)!)! }))
  return { ...check, changeId: written.changeId, areas, retired, normalised, plan }
}


/**
 * Saves new geometries and/or properties of one or more areas as one change
 * (a shared-edge move edits both neighbours): all or nothing.
 */
export async function saveAreaEdits(db: Db, edits: AreaEdit[], options: BoundarySaveOptions, kind: BoundaryChangeKind = edits.length > 1 ? 'batch' : 'edit'): Promise<BoundarySaveResult> {
  const plan = newPlan(kind, options.by, options.reason)
  const normalised = await planEdits(db, plan, edits, options, kind === 'restore' ? 'restore' : 'edit')
  return finishPlan(db, plan, options, normalised, { areaIds: edits.map((edit) => edit.areaId) })
}

function assertGrid(row: CurrentVersionRow): void {
  if (row.level !== 'base_grid' && row.level !== 'fine_grid') {
    throw notEditable(row, 'only base and fine grids are split, merged, created or retired; village codes come from the statistics bureau')
  }
}

/** Splits a grid along a line into two or more new grids; the old one is retired and the village's grids renumbered. */
export async function splitArea(
  db: Db,
  input: { areaId: number; ifMatch?: number; line: unknown; names?: string[] },
  options: BoundarySaveOptions,
): Promise<BoundarySaveResult> {
  const line = parseLineInput(input.line)
  if (!line.valid) throw new HttpError(400, 'bad_split_line', { detail: line.reason })
  const plan = newPlan('split', options.by, options.reason)
  const [row] = await lockRows(db, plan, [input.areaId])
  assertGrid(row)
  await checkPreconditions(db, [row], [input.ifMatch], options.dryRun ?? false)
  const pieces = await splitGeometry(db, row.areaId, line.geojson)
  if (pieces.length < 2) throw new HttpError(422, 'boundary_split_failed', { detail: `${pieces.length} piece(s)` })
  const shapes = await findAreaShapes(db, pieces.map((geometry, i) => ({ key: -(i + 1), geometry })))
  const areas = pieces.map((_, i) => shapes.get(-(i + 1))!.areaM2)
  const households = shareByArea(row.households, areas)
  const population = shareByArea(row.population, areas)
  const keys = pieces.map((geometry, i) => {
    const key = plan.nextKey--
    plan.areas.set(key, {
      ...planFromCurrent(row, 'create', options.reason),
      key,
      current: undefined,
      geometry,
      name: input.names?.[i] ?? `${row.name}（${i + 1}）`,
      nameEn: row.nameEn === null ? null : `${row.nameEn} (${i + 1})`,
      households: households[i],
      population: population[i],
    })
    plan.lineage.push({ kind: 'split', oldKey: row.areaId, newKey: key })
    return key
  })
  plan.retired.push(row)
  const tolerance = options.toleranceM2 ?? DEFAULT_TOLERANCE_M2
  for (const child of await assignChildrenToPieces(db, row.areaId, pieces, tolerance)) {
    const [childRow] = await lockRows(db, plan, [child.areaId])
    if (child.pieceCount > 1 || child.piece === null) {
      plan.problems.push({ kind: 'child_split', message: message('problem_child_split', options.lang, { name: childRow.name }), areaId: child.areaId, geometry: JSON.parse(childRow.geometry) })
      continue
    }
    plan.areas.set(child.areaId, { ...planFromCurrent(childRow, 'reparent', options.reason), parentKey: keys[child.piece] })
  }
  plan.renumber.push(row.parentId!, ...keys)
  return finishPlan(db, plan, options, {}, { areaId: row.areaId, pieces: pieces.length })
}

/** Locks grids to merge or retire: same parent, grids, and together one connected polygon. */
async function lockMergeable(db: Db, plan: BoundaryPlan, ids: number[], ifMatches: Array<number | undefined>, dryRun: boolean) {
  if (new Set(ids).size !== ids.length || ids.length < 2) throw new HttpError(400, 'boundary_areas_not_siblings')
  const rows = await lockRows(db, plan, ids)
  rows.forEach(assertGrid)
  await checkPreconditions(db, rows, ifMatches, dryRun)
  if (rows.some((row) => row.parentId !== rows[0].parentId || row.level !== rows[0].level)) throw new HttpError(422, 'boundary_areas_not_siblings')
  const union = await unionGeometry(db, ids)
  if (union.parts !== 1) throw new HttpError(422, 'boundary_areas_not_siblings')
  return { rows, union: union.geometry }
}

/** Merges adjacent sibling grids into one new grid; the old ones are retired and the village's grids renumbered. */
export async function mergeAreas(
  db: Db,
  input: { areaIds: number[]; ifMatches?: Array<number | undefined>; name?: string; nameEn?: string | null },
  options: BoundarySaveOptions,
): Promise<BoundarySaveResult> {
  const plan = newPlan('merge', options.by, options.reason)
  const { rows, union } = await lockMergeable(db, plan, input.areaIds, input.ifMatches ?? [], options.dryRun ?? false)
  const key = plan.nextKey--
  plan.areas.set(key, {
    ...planFromCurrent(rows[0], 'create', options.reason),
    key,
    current: undefined,
    geometry: union,
    name: input.name ?? rows[0].name,
    nameEn: input.nameEn !== undefined ? input.nameEn : rows[0].nameEn,
    households: rows.reduce((sum, row) => sum + row.households, 0),
    population: rows.reduce((sum, row) => sum + row.population, 0),
  })
  for (const row of rows) {
    plan.retired.push(row)
    plan.lineage.push({ kind: 'merge', oldKey: row.areaId, newKey: key })
  }
  await reparentChildren(db, plan, rows, key, options.reason)
  plan.renumber.push(rows[0].parentId!, key)
  return finishPlan(db, plan, options, {}, { areaIds: input.areaIds })
}

/** Retires a grid by merging it into an adjacent sibling, which keeps its identity and gets a new version. */
export async function retireArea(
  db: Db,
  input: { areaId: number; intoId: number; ifMatches?: Array<number | undefined> },
  options: BoundarySaveOptions,
): Promise<BoundarySaveResult> {
  const plan = newPlan('retire', options.by, options.reason)
  const { rows, union } = await lockMergeable(db, plan, [input.areaId, input.intoId], input.ifMatches ?? [], options.dryRun ?? false)
  const [retired, into] = rows[0].areaId === input.areaId ? rows : [rows[1], rows[0]]
  plan.areas.set(into.areaId, {
    ...planFromCurrent(into, 'edit', options.reason),
    geometry: union,
    households: into.households + retired.households,
    population: into.population + retired.population,
  })
  plan.retired.push(retired)
  plan.lineage.push({ kind: 'retire', oldKey: retired.areaId, newKey: into.areaId })
  await reparentChildren(db, plan, [retired], into.areaId, options.reason)
  plan.renumber.push(into.parentId!, into.areaId)
  return finishPlan(db, plan, options, {}, { areaId: input.areaId, intoId: input.intoId })
}

async function reparentChildren(db: Db, plan: BoundaryPlan, rows: CurrentVersionRow[], newParentKey: number, reason: string): Promise<void> {
  for (const child of await lockCurrentChildren(db, rows.map((row) => row.areaId))) {
    const [childRow] = await lockRows(db, plan, [Number(child.areaId)])
    plan.areas.set(childRow.areaId, { ...planFromCurrent(childRow, 'reparent', reason), parentKey: newParentKey })
  }
}

/** Creates a new grid in uncovered space of a village (base grid) or base grid (fine grid); siblings are renumbered. */
export async function createArea(
  db: Db,
  input: { parentId: number; geometry: unknown; name: string; nameEn?: string | null; kind?: AreaKind; households?: number; population?: number },
  options: BoundarySaveOptions,
): Promise<BoundarySaveResult> {
  const plan = newPlan('create', options.by, options.reason)
  const [parent] = await lockRows(db, plan, [input.parentId])
  const level = CHILD_LEVEL[parent.level]
  if (level !== 'base_grid' && level !== 'fine_grid') throw notEditable(parent, 'new grids go into a village or a base grid')
  const checked = await checkGeometryInput(db, input.geometry, options.lang)
  if (checked.spike) plan.problems.push(checked.spike)
  const key = plan.nextKey--
  plan.areas.set(key, {
    key,
    level,
    parentKey: parent.areaId,
    countyCode: parent.countyCode,
    townshipSeq: parent.townshipSeq,
    villageSeq: parent.villageSeq,
    gridSeq: level === 'fine_grid' ? parent.gridSeq : 999,
    fineSeq: level === 'fine_grid' ? 999 : null,
    name: input.name,
    nameEn: input.nameEn ?? null,
    kind: input.kind ?? 'standard',
    households: input.households ?? 0,
    population: input.population ?? 0,
    synthetic: false,
    geometry: checked.geojson,
    action: 'create',
    reason: options.reason,
  })
  plan.lineage.push({ kind: 'create', oldKey: null, newKey: key })
  plan.renumber.push(parent.areaId)
  return finishPlan(db, plan, options, { [key]: checked.normalised }, { parentId: parent.areaId })
}
