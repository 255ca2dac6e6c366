import type { Db } from '../../../core/db/database.ts'
import { currentDbScope, runWithDbScope, SYSTEM_SCOPE } from '../../../core/db/db-scope.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import { readRevision } from '../tiles/revisions.repository.ts'
import { findAllDisputes, findDisputeChangesSince, readDisputeReadPoint, type DisputePoints, type WindowParties } from './clusters.repository.ts'

/**
 * Every dispute of every town with what clustering reads of it (position in
 * UTM 47N, reported time, village, town, parties' home villages), held by one
 * server process at one data revision (migration 0016 `cases`, moved by every
 * write to cases and, since migration 0024, to their parties).
 */
export interface DisputeSnapshot {
  revision: string
  /** The database snapshot (`pg_snapshot` text) it was read in: what the next refresh asks the changes since. */
  databaseSnapshot: string
  /** Disputes ascending by id; `townIds` is the town row-level security tests. */
  points: DisputePoints & { townIds: Float64Array }
  /** Parties of dispute i: `partyVillages[partyStart[i] .. partyStart[i + 1])`, each with its own town (`partyTowns`). */
  partyStart: Int32Array
  partyVillages: Float64Array
  partyTowns: Float64Array
}

/**
 * Most changed disputes a refresh re-reads and patches in; past it the whole
 * snapshot is read again (one read of everything beats thousands of lookups).
 */
const MAX_PATCHED_DISPUTES = 20_000

/** How snapshots were made, since the process started: read whole, or patched with the disputes a write changed. */
export const snapshotLoads = { whole: 0, patched: 0 }

/** One snapshot per database handle (the primary and a replica may be at different revisions). */
const snapshots = new WeakMap<Db, DisputeSnapshot>()
/** A load under way per database handle, shared by the requests that need it. */
const loading = new WeakMap<Db, Promise<DisputeSnapshot>>()

/**
 * The dispute snapshot at the current revision of `db`, brought up to date
 * when the revision moved (once, whichever requests wait for it).
 *
 * A refresh reads in one REPEATABLE READ transaction, so the snapshot is
 * exactly the data of the revision it is keyed by. It reads every town
 * (system scope): memory is not protected by row-level security, so
 * {@link windowOf} applies the request's town scope itself.
 *
 * The first read takes every dispute: ~430k disputes and ~1M parties at a
 * million cases, about 36 MB, 1.7–3 s on the 2-core bench machine. Later
 * refreshes re-read only the disputes whose position, time, village, town or
 * parties changed since (migration 0027) and patch them in: a hazard or a
 * workflow step changes none, a registration one. It trusts that revisions
 * only grow: a database restored under a running server (its revisions set
 * back) needs the server restarted, as the tile cache does.
 */
export async function currentSnapshot(db: Db): Promise<DisputeSnapshot> {
  const revision = BigInt(await readRevision(db, 'cases'))
  for (;;) {
    const held = snapshots.get(db)
    if (held && BigInt(held.revision) >= revision) return held
    // A load already under way may have started before the write this request saw: then load again.
    let pending = loading.get(db)
    if (!pending) {
      pending = runWithDbScope(SYSTEM_SCOPE, () => refreshSnapshot(db, held)).finally(() => loading.delete(db))
      loading.set(db, pending)
    }
    const loaded = await pending
    const now = snapshots.get(db)
    // Keep the newest (revisions only grow).
    if (!now || BigInt(now.revision) < BigInt(loaded.revision)) snapshots.set(db, loaded)
  }
}

async function refreshSnapshot(db: Db, held: DisputeSnapshot | undefined): Promise<DisputeSnapshot> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const { revision, snapshot } = await readDisputeReadPoint(trx)
      const changed = held ? await findDisputeChangesSince(trx, held.databaseSnapshot) : 'everything'
      if (held && changed !== 'everything' && changed.length <= MAX_PATCHED_DISPUTES) {
        const fresh = changed.length === 0 ? undefined : await findAllDisputes(trx, changed)
        snapshotLoads.patched += 1
        const data: SnapshotData = fresh ? patched(held, changed, fresh) : { points: held.points, partyStart: held.partyStart, partyVillages: held.partyVillages, partyTowns: held.partyTowns }
        return { ...data, revision, databaseSnapshot: snapshot }
      }
      const { points, parties } = await findAllDisputes(trx)
      snapshotLoads.whole += 1
      return { revision, databaseSnapshot: snapshot, points, ...groupParties(points.ids, parties) }
    })
}

type SnapshotData = Pick<DisputeSnapshot, 'points' | 'partyStart' | 'partyVillages' | 'partyTowns'>

/**
 * `held` with the disputes of `changed` (ascending ids) replaced by `fresh`,
 * their current rows: a changed id missing from `fresh` is no longer a
 * dispute (deleted), one not in `held` is new. New arrays, copied in runs
 * between the changed places (a few milliseconds for 430k disputes):
 * requests still clustering on `held` keep it as it was.
 */
function patched(held: SnapshotData, changed: number[], fresh: Awaited<ReturnType<typeof findAllDisputes>>): SnapshotData {
  const add = { points: fresh.points, ...groupParties(fresh.points.ids, fresh.parties) }
  const heldIds = held.points.ids
  // Places in `held`, ascending: a changed dispute it holds is dropped there; a fresh one goes in before its successor.
  const dropped = new Set(changed.map((id) => indexOf(heldIds, id)).filter((at) => at !== -1))
  const insertAt = Array.from(add.points.ids, (id) => lowerBound(heldIds, id))
  const cuts = [...new Set([...dropped, ...insertAt])].sort((a, b) => a - b)
  const n = heldIds.length - dropped.size + add.points.ids.length
  const keptParties = held.partyVillages.length - [...dropped].reduce((sum, at) => sum + held.partyStart[at + 1] - held.partyStart[at], 0)
  const partyCount = keptParties + add.partyVillages.length
  const points = { ids: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), reportedAtMicros: new Float64Array(n), villageIds: new Float64Array(n), townIds: new Float64Array(n) }
  const partyStart = new Int32Array(n + 1)
  const partyVillages = new Float64Array(partyCount)
  const partyTowns = new Float64Array(partyCount)
  let out = 0
  let party = 0
  /** Appends disputes [from, to) of `source` with their parties. */
  const append = (source: SnapshotData, from: number, to: number) => {
    if (to <= from) return
    for (const key of ['ids', 'x', 'y', 'reportedAtMicros', 'villageIds', 'townIds'] as const) points[key].set(source.points[key].subarray(from, to), out)
    const [first, last] = [source.partyStart[from], source.partyStart[to]]
    partyVillages.set(source.partyVillages.subarray(first, last), party)
    partyTowns.set(source.partyTowns.subarray(first, last), party)
    for (let i = from; i < to; i++) partyStart[++out] = source.partyStart[i + 1] - first + party
    party += last - first
  }
  let next = 0
  let added = 0
  for (const cut of cuts) {
    append(held, next, cut)
    while (added < insertAt.length && insertAt[added] === cut) append(add, added, ++added)
    next = dropped.has(cut) ? cut + 1 : cut
  }
  append(held, next, heldIds.length)
  while (added < insertAt.length) append(add, added, ++added)
  return { points, partyStart, partyVillages, partyTowns }
}

/** The first index of the ascending `ids` whose id is at least `id` (`ids.length` when none is). */
function lowerBound(ids: Float64Array, id: number): number {
  let [lo, hi] = [0, ids.length]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ids[mid] < id) lo = mid + 1
    else hi = mid
  }
  return lo
}

/** Parties grouped by their dispute (index into the ascending `ids`); a party of a case that is not a dispute is dropped. */
function groupParties(ids: Float64Array, parties: WindowParties & { townIds: Float64Array }) {
  const n = parties.caseIds.length
  const owner = new Int32Array(n)
  const partyStart = new Int32Array(ids.length + 1)
  for (let k = 0; k < n; k++) {
    owner[k] = indexOf(ids, parties.caseIds[k])
    if (owner[k] !== -1) partyStart[owner[k] + 1]++
  }
  for (let i = 0; i < ids.length; i++) partyStart[i + 1] += partyStart[i]
  const fill = partyStart.slice(0, ids.length)
  const partyVillages = new Float64Array(partyStart[ids.length])
  const partyTowns = new Float64Array(partyStart[ids.length])
  for (let k = 0; k < n; k++) {
    if (owner[k] === -1) continue
    const at = fill[owner[k]]++
    partyVillages[at] = parties.villageIds[k]
    partyTowns[at] = parties.townIds[k]
  }
  return { partyStart, partyVillages, partyTowns }
}

/** The index of `id` in the ascending `ids`, or -1. */
export function indexOf(ids: Float64Array, id: number): number {
  let [lo, hi] = [0, ids.length - 1]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if (ids[mid] < id) lo = mid + 1
    else hi = mid
  }
  return ids.length > 0 && ids[lo] === id ? lo : -1
}

/**
 * Whose disputes the running request may see, as row-level security would
 * decide it (the scope its statements run with): a town, every town, or
 * undefined when the scope is unknown or none, where the caller must read
 * through the database instead.
 */
export function memoryScope(): { townId?: number } | undefined {
  const scope = currentDbScope()
  if (scope?.kind === 'town') return { townId: scope.townId }
  if (scope?.kind === 'county' || scope?.kind === 'system') return {}
  return undefined
}

/**
 * The disputes of the window that `scope` (the request's town scope) and
 * `townId` (the route's town filter) let through, ascending by id as
 * {@link findDisputePoints} reads them, and their parties (each party under
 * the scope's test of its own town, as row-level security filters case_parties;
 * `townId` filters the disputes, as the statement's `c.town_id = …`).
 */
export function windowOf(snapshot: DisputeSnapshot, window: TimeWindow, scope: { townId?: number }, townId: number | undefined): { points: DisputePoints; parties: WindowParties } {
  const { points: all, partyStart, partyVillages, partyTowns } = snapshot
  // The window in microseconds, as `reported_at >= from AND reported_at < to` compares (a Date has whole milliseconds).
  const fromMicros = window.from ? window.from.getTime() * 1000 : -Infinity
  const toMicros = window.to.getTime() * 1000
  const inScope = (town: number) => scope.townId === undefined || town === scope.townId
  const townOk = (town: number) => inScope(town) && (townId === undefined || town === townId)
  // Two passes over typed arrays: count, then copy.
  const picked = new Int32Array(all.ids.length)
  let n = 0
  let partyCount = 0
  for (let i = 0; i < all.ids.length; i++) {
    const t = all.reportedAtMicros[i]
    if (t >= fromMicros && t < toMicros && townOk(all.townIds[i])) {
      picked[n++] = i
      partyCount += partyStart[i + 1] - partyStart[i]
    }
  }
  const points: DisputePoints = { ids: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), reportedAtMicros: new Float64Array(n), villageIds: new Float64Array(n) }
  const caseIds = new Float64Array(partyCount)
  const villageIds = new Float64Array(partyCount)
  const pointIndex = new Int32Array(partyCount)
  let p = 0
  for (let k = 0; k < n; k++) {
    const i = picked[k]
    points.ids[k] = all.ids[i]
    points.x[k] = all.x[i]
    points.y[k] = all.y[i]
    points.reportedAtMicros[k] = all.reportedAtMicros[i]
    points.villageIds[k] = all.villageIds[i]
    for (let q = partyStart[i]; q < partyStart[i + 1]; q++) {
      if (!inScope(partyTowns[q])) continue
      caseIds[p] = all.ids[i]
      pointIndex[p] = k
      villageIds[p++] = partyVillages[q]
    }
  }
  return { points, parties: { caseIds: caseIds.subarray(0, p), villageIds: villageIds.subarray(0, p), pointIndex: pointIndex.subarray(0, p) } }
}
