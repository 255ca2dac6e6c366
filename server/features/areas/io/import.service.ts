import type { Db } from '../../../core/db/database.ts'
import type { AreaLevel } from '../../../core/db/tables/area.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { message, type Lang } from '../../../core/i18n/messages.ts'
import { areaCode } from '../boundaries/area-code.ts'
import { DEFAULT_TOLERANCE_M2, SPIKE_ANGLE_DEG, TOWN_MARGIN_M } from '../boundaries/limits.ts'
import { parsePolygonInput } from '../boundaries/polygon-input.ts'
import { checkSpikes } from '../boundaries/ring-spike.ts'
import { IMPORT_CHUNK_FEATURES, IMPORT_MAX_PASSES, UNCHANGED_HAUSDORFF_DEG } from './limits.ts'
import type { FileFeature } from './boundary-file.ts'
import { readImportedProperties, type ImportedProperties } from './feature-properties.ts'
import { toWgs84, type SourceCrs } from './source-crs.ts'
import { checkImportChunk, type ImportCheckRow } from './io.repository.ts'
import type { BoundaryProblem } from '../boundaries/input.service.ts'
import { checkPlan, lockRows, newPlan, planFromCurrent, writePlan, type BoundaryPlan } from '../boundaries/plan.service.ts'

/** Digits of the code of each level an import may target. */
const CODE_DIGITS: Record<ImportLevel, number> = { village: 12, base_grid: 15, fine_grid: 18 }
const PARENT_LEVEL: Record<ImportLevel, AreaLevel> = { village: 'town', base_grid: 'village', fine_grid: 'base_grid' }

/** Levels an import may target. */
export type ImportLevel = 'village' | 'base_grid' | 'fine_grid'

/** One feature in an import report. */
export interface ImportReportEntry {
  /** 1-based position in the file. */
  index: number
  /** Code in the file (for a created grid, the code it was filed under). */
  code: string | null
  areaId?: number
  /** Code the area has after the import (created grids are numbered in reading order). */
  newCode?: string
  version?: number
}

/** A feature the import refused, with why. */
export interface ImportRefusal extends ImportReportEntry {
  reason: string
  problems: BoundaryProblem[]
}

/** What an import did. */
export interface ImportReport {
  total: number
  created: ImportReportEntry[]
  changed: ImportReportEntry[]
  unchanged: ImportReportEntry[]
  refused: ImportRefusal[]
  /** Gap warnings of the accepted changes. */
  warnings: BoundaryProblem[]
  /** The boundary change written (null when nothing changed or on a dry run). */
  changeId: number | null
}

/** Input of {@link importBoundaries}. */
export interface ImportInput {
  features: FileFeature[]
  level: ImportLevel
  sourceCrs: SourceCrs
  by: string
  reason: string
  lang: Lang
  dryRun?: boolean
}

/** Progress callback: features checked so far, and the phase. */
export type ImportProgress = (processed: number, phase: 'checking' | 'validating' | 'writing') => void

interface Candidate {
  index: number
  code: string
  properties: ImportedProperties
  /** Normalised MultiPolygon (GeoJSON text). */
  geometry: string
  check: ImportCheckRow
  geometryChanged: boolean
}

function refusal(index: number, code: string | null, reason: string, problems: BoundaryProblem[] = []): ImportRefusal {
  return { index, code, reason, problems }
}

function invalidProblem(text: string, geometry: unknown = null): BoundaryProblem {
  return { kind: 'invalid', message: text, geometry }
}

/** Whether every property the file gives equals the current value. */
function sameProperties(properties: ImportedProperties, check: ImportCheckRow): boolean {
  const same = <T>(value: T | undefined, current: T | null) => value === undefined || value === current
  return (
    same(properties.name, check.name) &&
    same(properties.nameEn, check.nameEn) &&
    same(properties.households, check.households) &&
    same(properties.population, check.population)
  )
}

/**
 * Step 1: per feature, without the database: code and figures readable,
 * code of the level's length and unique in the file, geometry converted to
 * WGS84 and well-formed (`parsePolygonInput`, as an edit), no spike.
 */
function screenFeatures(input: ImportInput, refused: ImportRefusal[]) {
  const codes = new Map<string, number>()
  for (const feature of input.features) {
    const read = readImportedProperties(feature.properties)
    if (read.valid && read.value.code) codes.set(read.value.code, (codes.get(read.value.code) ?? 0) + 1)
  }
  const screened: Array<{ index: number; code: string; properties: ImportedProperties; geometry: string }> = []
  for (const feature of input.features) {
    const read = readImportedProperties(feature.properties)
    const code = read.valid ? (read.value.code ?? null) : null
    if (!read.valid) {
      refused.push(refusal(feature.index, null, message(read.reason, input.lang, read.params)))
      continue
    }
    if (!code) {
      refused.push(refusal(feature.index, null, message('import_refused_no_code', input.lang)))
      continue
    }
    if (!new RegExp(`^[0-9]{${CODE_DIGITS[input.level]}}$`).test(code)) {
      refused.push(refusal(feature.index, code, message('import_refused_wrong_level', input.lang, { code, level: input.level })))
      continue
    }
    if ((codes.get(code) ?? 0) > 1) {
      refused.push(refusal(feature.index, code, message('import_refused_duplicate_code', input.lang, { code })))
      continue
    }
    const parsed = parsePolygonInput(toWgs84(feature.geometry, input.sourceCrs))
    if (!parsed.valid) {
      const text = message(parsed.reason, input.lang, parsed.params)
      refused.push(refusal(feature.index, code, text, [invalidProblem(text)]))
      continue
    }
    const spikes = checkSpikes(parsed.geometry.coordinates)
    if (!spikes.valid) {
      const text = message('problem_spike', input.lang, { angle: spikes.angleDeg.toFixed(3), limit: SPIKE_ANGLE_DEG })
      refused.push(refusal(feature.index, code, text, [{ kind: 'spike', message: text, geometry: { type: 'Point', coordinates: spikes.at } }]))
      continue
    }
    screened.push({ index: feature.index, code, properties: read.value, geometry: JSON.stringify(parsed.geometry) })
  }
  return screened
}

/** Step 2: chunked SQL checks (validity, inside the township, matching area, parent); sorts features into candidates, unchanged and refused. */
async function checkAgainstDatabase(db: Db, input: ImportInput, screened: ReturnType<typeof screenFeatures>, report: ImportReport, progress: ImportProgress) {
  const candidates: Candidate[] = []
  let processed = input.features.length - screened.length
  progress(processed, 'checking')
  for (let start = 0; start < screened.length; start += IMPORT_CHUNK_FEATURES) {
    const chunk = screened.slice(start, start + IMPORT_CHUNK_FEATURES)
    const rows = await checkImportChunk(db, chunk, input.level, PARENT_LEVEL[input.level], TOWN_MARGIN_M, UNCHANGED_HAUSDORFF_DEG)
    const byIndex = new Map(rows.map((row) => [row.index, row]))
    for (const feature of chunk) {
      const check = byIndex.get(feature.index)!
      const { code, index } = feature
      if (!check.valid) {
        const text = message('geometry_invalid', input.lang, { reason: check.invalidReason ?? 'invalid' })
        report.refused.push(refusal(index, code, text, [invalidProblem(text, check.invalidLocation ? JSON.parse(check.invalidLocation) : null)]))
      } else if (check.outside) {
        const point = JSON.parse(check.outside) as { coordinates: [number, number] }
        const text = message('geometry_outside_township', input.lang, { lon: point.coordinates[0], lat: point.coordinates[1] })
        report.refused.push(refusal(index, code, text, [{ kind: 'outside_township', message: text, geometry: point }]))
      } else if (check.areaId !== null && check.sameGeometry && sameProperties(feature.properties, check)) {
        report.unchanged.push({ index, code, areaId: check.areaId, newCode: code, version: check.version ?? undefined })
      } else if (check.areaId === null && input.level === 'village') {
        report.refused.push(refusal(index, code, message('import_refused_no_create', input.lang, { code })))
      } else if (check.areaId === null && check.parentId === null) {
        report.refused.push(refusal(index, code, message('import_refused_unknown_parent', input.lang, { code, parent: code.slice(0, -3) })))
      } else {
        candidates.push({ ...feature, check, geometryChanged: check.areaId === null || !check.sameGeometry })
      }
    }
    processed += chunk.length
    progress(processed, 'checking')
  }
  return candidates
}

/** A plan of every candidate: edits of matched areas, new grids under their parents (renumbered in reading order). */
async function planCandidates(db: Db, input: ImportInput, candidates: Candidate[]): Promise<{ plan: BoundaryPlan; keys: Map<number, Candidate> }> {
  const plan = newPlan('batch', input.by, input.reason)
  const keys = new Map<number, Candidate>()
  const edits = candidates.filter((candidate) => candidate.check.areaId !== null)
  const rows = await lockRows(db, plan, edits.map((candidate) => candidate.check.areaId!))
  edits.forEach((candidate, i) => {
    const planned = planFromCurrent(rows[i], 'edit', input.reason)
    if (candidate.geometryChanged) planned.geometry = candidate.geometry
    const { name, nameEn, households, population } = candidate.properties
    Object.assign(planned, Object.fromEntries(Object.entries({ name, nameEn, households, population }).filter(([, value]) => value !== undefined)))
    plan.areas.set(planned.key, planned)
    keys.set(planned.key, candidate)
  })
  const creates = candidates.filter((candidate) => candidate.check.areaId === null)
  const parents = await lockRows(db, plan, [...new Set(creates.map((candidate) => candidate.check.parentId!))])
  const parentById = new Map(parents.map((row) => [row.areaId, row]))
  for (const candidate of creates) {
    const parent = parentById.get(candidate.check.parentId!)!
    const key = plan.nextKey--
    plan.areas.set(key, {
      key,
      level: input.level,
      parentKey: parent.areaId,
      countyCode: parent.countyCode,
      townshipSeq: parent.townshipSeq,
      villageSeq: parent.villageSeq,
      gridSeq: input.level === 'fine_grid' ? parent.gridSeq : 999,
      fineSeq: input.level === 'fine_grid' ? 999 : null,
      name: candidate.properties.name ?? candidate.code,
      nameEn: candidate.properties.nameEn ?? null,
      kind: 'standard',
      households: candidate.properties.households ?? 0,
      population: candidate.properties.population ?? 0,
      synthetic: false,
      geometry: candidate.geometry,
      action: 'create',
      reason: input.reason,
    })
    plan.lineage.push({ kind: 'create', oldKey: null, newKey: key })
    keys.set(key, candidate)
  }
  plan.renumber.push(...parentById.keys())
  return { plan, keys }
}

/** The candidate a problem is about: the area itself, or for `child_outside` the changed parent. */
function blamedKey(problem: BoundaryProblem): number | undefined {
  return problem.kind === 'child_outside' ? problem.otherId : problem.areaId
}

/**
 * Imports boundaries of one level: every feature is checked as an edit is
 * (input hygiene, then the grid rules on the state after the import), each
 * feature on its own. A feature whose code matches a current area of the
 * level changes it (geometry, and name, English name, households and
 * population when the file gives them) unless nothing differs; an unknown
 * code of a base or fine grid whose parent code (the code less its last 3
 * digits) is a current area creates a grid there, numbered in reading order
 * like one drawn in the editor; anything else is refused with a reason.
 *
 * The grid rules are checked on all accepted features together (a shared
 * edge moved in two neighbours passes); the features a problem is about are
 * refused and the rest checked again, up to {@link IMPORT_MAX_PASSES} times.
 * What is accepted is written as one boundary change (kind `batch`, the
 * import's reason), in the caller's transaction.
 */
export async function importBoundaries(db: Db, input: ImportInput, progress: ImportProgress = () => {}): Promise<ImportReport> {
  const report: ImportReport = { total: input.features.length, created: [], changed: [], unchanged: [], refused: [], warnings: [], changeId: null }
  const screened = screenFeatures(input, report.refused)
  let candidates = await checkAgainstDatabase(db, input, screened, report, progress)
  progress(input.features.length, 'validating')
  for (let pass = 1; candidates.length > 0; pass++) {
    const { plan, keys } = await planCandidates(db, input, candidates)
    const check = await checkPlan(db, plan, input.lang, DEFAULT_TOLERANCE_M2)
    if (check.problems.length === 0) {
      report.warnings = check.warnings
      await finish(db, input, plan, keys, report, progress)
      break
    }
    const blamed = new Map<Candidate, BoundaryProblem[]>()
    for (const problem of check.problems) {
      const candidate = keys.get(blamedKey(problem) ?? 0)
      if (candidate) blamed.set(candidate, [...(blamed.get(candidate) ?? []), problem])
    }
    const refuseAll = blamed.size === 0 || pass >= IMPORT_MAX_PASSES
    for (const candidate of candidates) {
      const problems = refuseAll ? check.problems : blamed.get(candidate)
      if (!problems) continue
      report.refused.push(refusal(candidate.index, candidate.code, message('import_refused_rules', input.lang, { count: problems.length }), problems))
    }
    candidates = refuseAll ? [] : candidates.filter((candidate) => !blamed.has(candidate))
  }
  report.refused.sort((a, b) => a.index - b.index)
  return report
}

async function finish(db: Db, input: ImportInput, plan: BoundaryPlan, keys: Map<number, Candidate>, report: ImportReport, progress: ImportProgress) {
  progress(input.features.length, 'writing')
  const entries = [...keys.entries()]
  if (input.dryRun) {
    for (const [key, candidate] of entries) {
      const planned = plan.areas.get(key)!
      const entry = { index: candidate.index, code: candidate.code, areaId: key > 0 ? key : undefined, newCode: areaCode(planned) }
      ;(key > 0 ? report.changed : report.created).push(entry)
    }
    return
  }
  const summary = { import: { level: input.level, sourceCrs: input.sourceCrs, features: input.features.length }, areas: plan.areas.size }
  const written = await writePlan(db, plan, summary)
  report.changeId = written.changeId
  for (const [key, candidate] of entries) {
    const areaId = written.ids.get(key)
    if (areaId === undefined) throw new HttpError(500, 'internal')
    const entry = { index: candidate.index, code: candidate.code, areaId, newCode: written.codes.get(areaId), version: written.versions.get(areaId) }
    ;(key > 0 ? report.changed : report.created).push(entry)
  }
  report.created.sort((a, b) => a.index - b.index)
  report.changed.sort((a, b) => a.index - b.index)
}
