import type { Db } from '../core/db/database.ts'
import type { CaseKind } from '../core/db/tables/case.ts'
import { listDeadlineSettings, listRoutingRules } from '../features/cases/settings.repository.ts'
import { setMeta } from '../core/db/app-meta.repository.ts'
import { findActivityGrids } from './activity/activity-grids.repository.ts'
import { activityWindow } from './activity/activity-window.ts'
import { buildActivityModel, type ActivityModel, type CaseSettings } from './activity/activity.ts'
import { writeCaseBatch, type LedgerDepth } from './activity/case-batch.ts'

export type { LedgerDepth } from './activity/case-batch.ts'
import { draftCase } from './activity/case-draft.ts'
import { seedSampleKeyPersons } from './activity/sample-key-persons.ts'
import { seedSampleLeads } from './activity/sample-leads.ts'
import { ensureSampleUsers, type SampleActors, type SampleTown } from './activity/sample-users.ts'
import { findVillageTowns } from './activity/village-towns.repository.ts'
import { readTerrainFeatures } from './activity/terrain-features.ts'

/** Seed of the sample activity when none is given. */
export const DEFAULT_ACTIVITY_SEED = 20250101
/** Cases of the default sample year: 2,400 hazards and 1,800 disputes. */
export const DEFAULT_ACTIVITY_CASES = 4200
/** Above this many cases the ledger holds only each case's registration entry (bulk benchmark data). */
export const FULL_LEDGER_LIMIT = 20_000
/** Share of hazards among the cases (4 in 7). */
const HAZARD_SHARE = 4 / 7
const BATCH_SIZE = 10_000
const DEFAULT_GEODATA_DIR = new URL('../../geodata/xizhou/', import.meta.url).pathname

/** Options of {@link seedSampleActivity}. */
export interface SampleActivityOptions {
  /** End of the sample year: activity covers the 365 days before it (never before the first boundary version). */
  asOf: Date
  seed?: number
  /** Hazards and disputes to generate (besides those converted from leads); default 4,200. */
  cases?: number
  /** Key persons; default 300. */
  keyPersons?: number
  /** Department leads; default 100. */
  leads?: number
  /** Ledger depth; default `full` up to {@link FULL_LEDGER_LIMIT} cases, `registration` above. */
  ledger?: LedgerDepth
  /** Folder with `basemap.geojson` (hillside, main road); default the sample township's. */
  geodataDir?: string
  /** Called after each batch of cases. */
  onProgress?: (written: number, total: number) => void
  /**
   * County sample: the towns by code, each with the username prefix of its
   * sample users (`<slug>-dispatcher`, `<slug>-gridworker-01`…). Without it
   * the one-town sample users (`sample-…`) act everywhere.
   */
  towns?: ReadonlyArray<{ code: string; slug: string; name: string }>
}

/** What {@link seedSampleActivity} wrote. */
export interface SampleActivityReport {
  from: Date
  to: Date
  seed: number
  hazards: number
  disputes: number
  /** Ledger entries of cases and leads. */
  caseEvents: number
  ledger: LedgerDepth
  leads: number
  convertedLeads: number
  keyPersons: number
  visits: number
}

async function readCaseSettings(db: Db): Promise<CaseSettings> {
  const routing = new Map((await listRoutingRules(db)).map((rule) => [`${rule.kind}:${rule.category}`, rule.station_key]))
  const deadlineHours = new Map((await listDeadlineSettings(db)).map((row) => [`${row.kind}:${row.grade}`, row.hours]))
  return { routing, deadlineHours }
}

async function sampleTowns(db: Db, at: Date, towns: NonNullable<SampleActivityOptions['towns']>): Promise<SampleTown[]> {
  const villages = await findVillageTowns(db, at)
  const townRows = await db.selectFrom('current_areas').select(['area_id', 'code']).where('level', '=', 'town').execute()
  const townIds = new Map(townRows.map((row) => [row.code, row.area_id]))
  return towns.map((town) => ({
    slug: town.slug,
    name: town.name,
    townId: townIds.get(town.code) ?? null,
    villageIds: villages.filter((village) => village.townCode === town.code).map((village) => village.villageId),
  }))
}

async function firstBoundaryVersion(db: Db): Promise<Date> {
  const row = await db
    .selectFrom('area_versions as v')
    .innerJoin('areas as a', 'a.id', 'v.area_id')
    .where('a.level', '=', 'village')
    .select((eb) => eb.fn.min('v.valid_from').as('first'))
    .executeTakeFirst()
  if (!row?.first) throw new Error('sample activity: no villages; load the sample township first')
  return new Date(row.first as Date)
}

/** Kind of case number `index` of `total`: hazards and disputes interleaved evenly, exactly `round(total × 4/7)` hazards. */
function kindAt(index: number, total: number): CaseKind {
  const hazards = Math.round(total * HAZARD_SHARE)
  return Math.floor(((index + 1) * hazards) / total) > Math.floor((index * hazards) / total) ? 'hazard' : 'dispute'
}

async function seedCases(db: Db, model: ActivityModel, actors: SampleActors, total: number, depth: LedgerDepth, onProgress?: SampleActivityOptions['onProgress']) {
  const counters = { hazard: 0, dispute: 0 }
  let events = 0
  for (let start = 0; start < total; start += BATCH_SIZE) {
    const drafts = []
    for (let index = start; index < Math.min(total, start + BATCH_SIZE); index++) {
      const kind = kindAt(index, total)
      drafts.push(draftCase(model, kind, counters[kind]++))
    }
    drafts.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime())
    events += (await writeCaseBatch(db, model, actors, drafts, depth)).events
    onProgress?.(Math.min(total, start + BATCH_SIZE), total)
  }
  return { hazards: counters.hazard, disputes: counters.dispute, events }
}

/**
 * Generates a year of sample activity for the sample township, the same for
 * the same (seed, asOf) on a database holding the same township: hazards and
 * disputes with their seasons and places, parties, full ledgers and
 * realistic statuses (a handful overdue), department leads (some converted
 * into cases), key persons with their visits and audit entries, and the
 * sample users (示例, unable to sign in) who act in the ledger. With more
 * than {@link FULL_LEDGER_LIMIT} cases the ledger keeps only registration
 * entries. Run it inside a transaction.
 */
export async function seedSampleActivity(db: Db, options: SampleActivityOptions): Promise<SampleActivityReport> {
  const seed = options.seed ?? DEFAULT_ACTIVITY_SEED
  const total = options.cases ?? DEFAULT_ACTIVITY_CASES
  const depth: LedgerDepth = options.ledger ?? (total > FULL_LEDGER_LIMIT ? 'registration' : 'full')
  const window = activityWindow(options.asOf, await firstBoundaryVersion(db))
  const grids = await findActivityGrids(db, options.asOf, readTerrainFeatures(options.geodataDir ?? DEFAULT_GEODATA_DIR))
  const model = buildActivityModel(seed, window, grids, await readCaseSettings(db))
  const actors = await ensureSampleUsers(db, [...model.villages.values()], options.towns && (await sampleTowns(db, options.asOf, options.towns)))
  const cases = await seedCases(db, model, actors, total, depth, options.onProgress)
  const leads = await seedSampleLeads(db, model, actors, options.leads ?? 100, depth)
  const persons = await seedSampleKeyPersons(db, model, actors, options.keyPersons ?? 300)
  const report: SampleActivityReport = {
    from: window.from,
    to: window.to,
    seed,
    hazards: cases.hazards,
    disputes: cases.disputes,
    caseEvents: cases.events + leads.events,
    ledger: depth,
    leads: leads.leads,
    convertedLeads: leads.converted,
    keyPersons: persons.persons,
    visits: persons.visits,
  }
  await setMeta(db, 'sample-activity', report)
  return report
}
