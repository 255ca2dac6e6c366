import type { Db } from '../../../core/db/database.ts'
import type { AreaKind, AreaLevel } from '../../../core/db/tables/area.ts'
import type { BoundaryChangeKind, BoundaryVersionAction, LineageKind } from '../../../core/db/tables/boundary.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { message, type Lang } from '../../../core/i18n/messages.ts'
import { areaCode } from './area-code.ts'
import { CODE_REASSIGNMENT_REASON } from './limits.ts'
import { readingOrder } from './reading-order.ts'
import {
  closeCurrentVersions,
  findAreaShapes,
  findTopologyIssues,
  insertAreaIdentity,
  insertAreaVersion,
  insertBoundaryChange,
  insertChangeVersions,
  insertLineage,
  lockCurrentChildren,
  lockCurrentVersions,
  type CurrentVersionRow,
  type TopologyIssueRow,
} from './boundaries.repository.ts'
import type { BoundaryProblem } from './input.service.ts'

/** The level of the children of each level. */
export const CHILD_LEVEL: Partial<Record<AreaLevel, AreaLevel>> = { town: 'village', village: 'base_grid', base_grid: 'fine_grid' }

/** An area as it will be after a save. */
export interface PlannedArea {
  /** Area id, or a negative key for an area the save creates. */
  key: number
  level: AreaLevel
  parentKey: number | null
  countyCode: string
  townshipSeq: number
  villageSeq: number | null
  gridSeq: number | null
  fineSeq: number | null
  name: string
  nameEn: string | null
  kind: AreaKind
  households: number
  population: number
  synthetic: boolean
  /** New geometry (GeoJSON text), or null to keep the current one. */
  geometry: string | null
  /** The current version (undefined for a new area). */
  current?: CurrentVersionRow
  action: BoundaryVersionAction
  reason: string
}

/** How a code passes from an area to another in a save (keys as in the plan). */
export interface PlannedLineage {
  kind: LineageKind
  oldKey: number | null
  newKey: number | null
}

/** Everything one save would write. */
export interface BoundaryPlan {
  kind: BoundaryChangeKind
  by: string
  reason: string
  areas: Map<number, PlannedArea>
  /** Current versions closed without a successor (split, merged or retired areas). */
  retired: CurrentVersionRow[]
  lineage: PlannedLineage[]
  /** Parents (keys) whose children are renumbered in reading order. */
  renumber: number[]
  /** Problems found while building the plan (spikes, children cut by a split line). */
  problems: BoundaryProblem[]
  /** Locked current versions by id. */
  rows: Map<number, CurrentVersionRow>
  /** Next key for a new area (negative). */
  nextKey: number
}

/** An empty plan. */
export function newPlan(kind: BoundaryChangeKind, by: string, reason: string): BoundaryPlan {
  return { kind, by, reason, areas: new Map(), retired: [], lineage: [], renumber: [], problems: [], rows: new Map(), nextKey: -1 }
}

/** Locks and remembers the current versions of `ids`; 404 for an id that is no current area. */
export async function lockRows(db: Db, plan: BoundaryPlan, ids: number[]): Promise<CurrentVersionRow[]> {
  const missing = ids.filter((id) => !plan.rows.has(id))
  for (const row of await lockCurrentVersions(db, missing)) plan.rows.set(row.areaId, normaliseRow(row))
  const rows = ids.map((id) => plan.rows.get(id))
  const unknown = ids.find((_, i) => !rows[i])
  if (unknown !== undefined) throw new HttpError(404, 'area_not_found', { id: unknown })
  return rows as CurrentVersionRow[]
}

function normaliseRow(row: CurrentVersionRow): CurrentVersionRow {
  return { ...row, areaId: Number(row.areaId), parentId: row.parentId === null ? null : Number(row.parentId) }
}

/** A planned area starting from the current version (same code parts, figures and geometry). */
export function planFromCurrent(row: CurrentVersionRow, action: BoundaryVersionAction, reason: string): PlannedArea {
  return {
    key: row.areaId,
    level: row.level,
    parentKey: row.parentId,
    countyCode: row.countyCode,
    townshipSeq: row.townshipSeq,
    villageSeq: row.villageSeq,
    gridSeq: row.gridSeq,
    fineSeq: row.fineSeq,
    name: row.name,
    nameEn: row.nameEn,
    kind: row.kind,
    households: row.households,
    population: row.population,
    synthetic: row.synthetic,
    geometry: null,
    current: row,
    action,
    reason,
  }
}

function seqField(level: AreaLevel): 'villageSeq' | 'gridSeq' | 'fineSeq' {
  return level === 'village' ? 'villageSeq' : level === 'base_grid' ? 'gridSeq' : 'fineSeq'
}

/** The area (planned or current) with `key`. */
function stateOf(plan: BoundaryPlan, key: number): PlannedArea | CurrentVersionRow | undefined {
  return plan.areas.get(key) ?? plan.rows.get(key)
}

/** Children of `parentKey` after the save: current ones not moved away or retired, plus planned ones. */
async function childrenAfter(db: Db, plan: BoundaryPlan, parentKey: number): Promise<PlannedArea[]> {
  const retired = new Set(plan.retired.map((row) => row.areaId))
  const children = new Map<number, PlannedArea>()
  if (parentKey > 0) {
    for (const row of await lockCurrentChildren(db, [parentKey])) {
      const normalised = normaliseRow(row)
      if (!plan.rows.has(normalised.areaId)) plan.rows.set(normalised.areaId, normalised)
      if (retired.has(normalised.areaId)) continue
      const planned = plan.areas.get(normalised.areaId)
      if (planned && planned.parentKey !== parentKey) continue
      children.set(normalised.areaId, planned ?? planFromCurrent(plan.rows.get(normalised.areaId)!, 'renumber', CODE_REASSIGNMENT_REASON))
    }
  }
  for (const planned of plan.areas.values()) if (planned.parentKey === parentKey) children.set(planned.key, planned)
  return [...children.values()]
}

/**
 * Numbers the children of each parent in `plan.renumber` in reading order
 * (west→east, north→south on planar centroids, rows a quarter of the
 * parent's bbox height: the rule of `server/features/areas/boundaries/reading-order.ts`),
 * then passes the code parts down (a base grid's new sequence changes the
 * codes of its fine grids). Areas whose code changes only through this get
 * a new version with the reason "code reassignment".
 */
async function renumber(db: Db, plan: BoundaryPlan): Promise<void> {
  for (const parentKey of plan.renumber) {
    const children = await childrenAfter(db, plan, parentKey)
    if (children.length === 0) continue
    if (children.length > 999) throw new HttpError(422, 'boundary_sequence_full')
    const parent = stateOf(plan, parentKey) ?? (await lockRows(db, plan, [parentKey]))[0]
    const shapes = await findAreaShapes(db, [
      { key: parentKey, geometry: 'key' in parent ? parent.geometry : null },
      ...children.map((child) => ({ key: child.key, geometry: child.geometry })),
    ])
    const parentShape = shapes.get(parentKey)!
    const { order } = readingOrder(children.map((child) => shapes.get(child.key)!.centroid), parentShape.south, parentShape.north)
    order.forEach((index, n) => {
      const child = children[index]
      const field = seqField(child.level)
      if (child[field] !== n + 1 || plan.areas.has(child.key) || !child.current) {
        child[field] = n + 1
        plan.areas.set(child.key, child)
      }
    })
  }
  await inheritCodeParts(db, plan)
  for (const [key, planned] of plan.areas) {
    if (planned.action === 'renumber' && planned.current && areaCode(planned) === planned.current.code) plan.areas.delete(key)
  }
}

/** Copies the parents' code parts to their planned children, adding the fine grids of renumbered base grids. */
async function inheritCodeParts(db: Db, plan: BoundaryPlan): Promise<void> {
  for (const level of ['base_grid', 'fine_grid'] as const) {
    if (level === 'fine_grid') {
      for (const planned of [...plan.areas.values()].filter((area) => area.level === 'base_grid')) {
        const changed = !planned.current || planned.gridSeq !== planned.current.gridSeq || planned.villageSeq !== planned.current.villageSeq
        if (changed) await childrenAfter(db, plan, planned.key).then((children) => children.forEach((child) => plan.areas.set(child.key, child)))
      }
    }
    for (const planned of plan.areas.values()) {
      if (planned.level !== level || planned.parentKey === null) continue
      const parent = stateOf(plan, planned.parentKey)
      if (!parent) continue
      planned.countyCode = parent.countyCode
      planned.townshipSeq = parent.townshipSeq
      planned.villageSeq = parent.villageSeq
      if (level === 'fine_grid') planned.gridSeq = parent.gridSeq
    }
  }
}

function problemFromIssue(issue: TopologyIssueRow, lang: Lang, toleranceM2: number): BoundaryProblem {
  const area = issue.areaM2.toFixed(2)
  const params = { name: issue.name, other: issue.otherName, parent: issue.kind === 'gap' ? issue.name : issue.otherName, area, tolerance: toleranceM2 }
  return {
    kind: issue.kind,
    message: message(`problem_${issue.kind}`, lang, params),
    areaId: issue.areaKey,
    ...(issue.otherKey === null ? {} : { otherId: issue.otherKey }),
    areaM2: Number(area),
    geometry: JSON.parse(issue.geometry),
  }
}

/** Outcome of checking a plan. */
export interface PlanCheck {
  problems: BoundaryProblem[]
  warnings: BoundaryProblem[]
}

/** Renumbers where the plan asks and checks the resulting state (nothing is written). */
export async function checkPlan(db: Db, plan: BoundaryPlan, lang: Lang, toleranceM2: number): Promise<PlanCheck> {
  await renumber(db, plan)
  const proposed = [...plan.areas.values()]
    .filter((area) => area.geometry !== null || !area.current || area.parentKey !== area.current.parentId)
    .map((area) => ({ key: area.key, parentKey: area.parentKey, level: area.level, name: area.name, geometry: area.geometry }))
  const issues = proposed.length === 0 ? [] : await findTopologyIssues(db, proposed, plan.retired.map((row) => row.areaId), toleranceM2)
  const found = issues.map((issue) => problemFromIssue(issue, lang, toleranceM2))
  return { problems: [...plan.problems, ...found.filter((p) => p.kind !== 'gap')], warnings: found.filter((p) => p.kind === 'gap') }
}

/** 422 with every problem, when there is one. */
export function refuseOnProblems(check: PlanCheck): void {
  if (check.problems.length > 0) {
    throw new HttpError(422, 'boundary_rejected', { count: check.problems.length }, { problems: check.problems, warnings: check.warnings })
  }
}

/** What a written plan became. */
export interface WrittenPlan {
  changeId: number
  /** Plan key → area id (equal for existing areas). */
  ids: Map<number, number>
  /** Area id → version written. */
  versions: Map<number, number>
  codes: Map<number, string>
}

/**
 * Writes a checked plan: one `boundary_changes` row, the current versions of
 * every planned or retired area closed (`valid_to = now()`), and version+1 of
 * each planned area (version 1 of a new one) with author and reason, then the
 * versions and lineage of the change. Run it in the transaction that locked
 * the rows.
 */
export async function writePlan(db: Db, plan: BoundaryPlan, summary: Record<string, unknown>): Promise<WrittenPlan> {
  const first = [...plan.areas.values()][0] ?? plan.retired[0]
  const town = first ? { countyCode: first.countyCode, townshipSeq: first.townshipSeq } : undefined
  const changeId = await insertBoundaryChange(db, { kind: plan.kind, by: plan.by, reason: plan.reason, summary, town })
  const ids = new Map<number, number>()
  for (const planned of plan.areas.values()) ids.set(planned.key, planned.current ? planned.key : await insertAreaIdentity(db, planned.level))
  for (const row of plan.retired) ids.set(row.areaId, row.areaId)
  await closeCurrentVersions(db, [...[...plan.areas.values()].filter((area) => area.current).map((area) => area.key), ...plan.retired.map((row) => row.areaId)])
  const versions = new Map<number, number>()
  const codes = new Map<number, string>()
  const written: Array<{ areaId: number; version: number; action: BoundaryVersionAction }> = []
  for (const planned of plan.areas.values()) {
    const areaId = ids.get(planned.key)!
    const version = planned.current ? planned.current.version + 1 : 1
    await insertAreaVersion(db, {
      areaId,
      version,
      parentId: planned.parentKey === null ? null : (ids.get(planned.parentKey) ?? planned.parentKey),
      countyCode: planned.countyCode,
      townshipSeq: planned.townshipSeq,
      villageSeq: planned.villageSeq,
      gridSeq: planned.gridSeq,
      fineSeq: planned.fineSeq,
      name: planned.name,
      nameEn: planned.nameEn,
      kind: planned.kind,
      households: planned.households,
      population: planned.population,
      synthetic: planned.synthetic,
      geometry: planned.geometry,
      copyFrom: planned.current ? planned.current.version : null,
      changedBy: plan.by,
      changeReason: planned.reason,
    })
    versions.set(areaId, version)
    codes.set(areaId, areaCode(planned))
    written.push({ areaId, version, action: planned.action })
  }
  for (const row of plan.retired) written.push({ areaId: row.areaId, version: row.version, action: 'retire' })
  await insertChangeVersions(db, changeId, written)
  const oldCode = (key: number | null) => (key === null ? null : (plan.rows.get(key)?.code ?? null))
  const newCode = (key: number | null) => (key === null ? null : (codes.get(ids.get(key)!) ?? null))
  const lineage = plan.lineage.map((entry) => ({
    kind: entry.kind,
    oldCode: oldCode(entry.oldKey),
    newCode: newCode(entry.newKey),
    oldAreaId: entry.oldKey === null ? null : ids.get(entry.oldKey)!,
    newAreaId: entry.newKey === null ? null : ids.get(entry.newKey)!,
  }))
  for (const planned of plan.areas.values()) {
    if (!planned.current) continue
    const code = codes.get(planned.key)!
    if (code !== planned.current.code) {
      lineage.push({ kind: 'renumber', oldCode: planned.current.code, newCode: code, oldAreaId: planned.key, newAreaId: planned.key })
    }
  }
  await insertLineage(db, changeId, plan.by, lineage)
  return { changeId, ids, versions, codes }
}
