import type { Db } from '../../../core/db/database.ts'
import { currentDbScope, runWithDbScope, SYSTEM_SCOPE } from '../../../core/db/db-scope.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import { readRevision } from '../tiles/revisions.repository.ts'
import {
  DISPUTE_BLOCK_IDS,
  findDisputeBlocks,
  findDisputeChangesSince,
  readDisputeReadPoint,
  type DisputeBlockRows,
  type DisputePoints,
  type WindowParties,
} from './clusters.repository.ts'

/** The disputes of one block of ids (`DISPUTE_BLOCK_IDS` consecutive ids) as a snapshot holds them. */
export interface DisputeBlock {
  key: number
  /** Disputes ascending by id; `townIds` is the town row-level security tests. */
  points: DisputePoints & { townIds: Float64Array }
  /** Parties of dispute i: `partyVillages[partyStart[i] .. partyStart[i + 1])`, each with its own town (`partyTowns`). */
  partyStart: Int32Array
  partyVillages: Float64Array
  partyTowns: Float64Array
}

/**
 * Every dispute of every town with what clustering reads of it (position in
 * UTM 47N, reported time, village, town, parties' home villages), held by one
 * server process at one data revision (migration 0016 `cases`, moved by every
 * write to cases and, since migration 0024, to their parties), in blocks of
 * consecutive ids so that a refresh replaces only the blocks a write touched.
 */
export interface DisputeSnapshot {
  revision: string
  /** The database snapshot (`pg_snapshot` text) it was read in: what the next refresh asks the changes since. */
  databaseSnapshot: string
  /** Blocks ascending by key, so their disputes ascending by id; blocks without disputes are left out. */
  blocks: DisputeBlock[]
}

/** How snapshots were made, since the process started: read whole, or with only the blocks a write changed read again. */
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
 * million cases, about 36 MB, ~2 s on the 2-core bench machine. Later
 * refreshes read again only the blocks holding a dispute whose position,
 * time, village, town or parties changed since (migration 0027), a few
 * thousand disputes each: a hazard or a workflow step changes none, a
 * registration one. It trusts that revisions only grow: a database restored
 * under a running server (its revisions set back) needs the server
 * restarted, as the tile cache does.
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
      const keys = changed === 'everything' ? [] : [...new Set(changed.map((id) => Math.floor(id / DISPUTE_BLOCK_IDS)))]
      // Past a quarter of the blocks, one read of everything is cheaper than reading them one range at a time.
      if (held && changed !== 'everything' && keys.length <= Math.max(4, held.blocks.length / 4)) {
        const fresh = keys.length === 0 ? [] : await findDisputeBlocks(trx, keys)
        snapshotLoads.patched += 1
        return { revision, databaseSnapshot: snapshot, blocks: replaceBlocks(held.blocks, new Set(keys), fresh.map(toBlock)) }
      }
      const blocks = (await findDisputeBlocks(trx)).map(toBlock)
      snapshotLoads.whole += 1
      return { revision, databaseSnapshot: snapshot, blocks }
    })
}

/** `held` with the blocks of `keys` replaced by `fresh` (a key without a fresh block has no disputes left), ascending by key. */
function replaceBlocks(held: DisputeBlock[], keys: Set<number>, fresh: DisputeBlock[]): DisputeBlock[] {
  return [...held.filter((block) => !keys.has(block.key)), ...fresh].sort((a, b) => a.key - b.key)
}

function toBlock(rows: DisputeBlockRows): DisputeBlock {
  return { key: rows.key, points: rows.points, ...groupParties(rows.points.ids, rows.parties) }
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
  // The window in microseconds, as `reported_at >= from AND reported_at < to` compares (a Date has whole milliseconds).
  const fromMicros = window.from ? window.from.getTime() * 1000 : -Infinity
  const toMicros = window.to.getTime() * 1000
  const inScope = (town: number) => scope.townId === undefined || town === scope.townId
  const townOk = (town: number) => inScope(town) && (townId === undefined || town === townId)
  const picked = (block: DisputeBlock, i: number) => {
    const t = block.points.reportedAtMicros[i]
    return t >= fromMicros && t < toMicros && townOk(block.points.townIds[i])
  }
  // Two passes over typed arrays: count, then copy.
  let n = 0
  let partyCount = 0
  for (const block of snapshot.blocks) {
    for (let i = 0; i < block.points.ids.length; i++) {
      if (!picked(block, i)) continue
      n += 1
      partyCount += block.partyStart[i + 1] - block.partyStart[i]
    }
  }
  const points: DisputePoints = { ids: new Float64Array(n), x: new Float64Array(n), y: new Float64Array(n), reportedAtMicros: new Float64Array(n), villageIds: new Float64Array(n) }
  const caseIds = new Float64Array(partyCount)
  const villageIds = new Float64Array(partyCount)
  const pointIndex = new Int32Array(partyCount)
  let k = 0
  let p = 0
  for (const block of snapshot.blocks) {
    const all = block.points
    for (let i = 0; i < all.ids.length; i++) {
      if (!picked(block, i)) continue
      points.ids[k] = all.ids[i]
      points.x[k] = all.x[i]
      points.y[k] = all.y[i]
      points.reportedAtMicros[k] = all.reportedAtMicros[i]
      points.villageIds[k] = all.villageIds[i]
      for (let q = block.partyStart[i]; q < block.partyStart[i + 1]; q++) {
        if (!inScope(block.partyTowns[q])) continue
        caseIds[p] = all.ids[i]
        pointIndex[p] = k
        villageIds[p++] = block.partyVillages[q]
      }
      k += 1
    }
  }
  return { points, parties: { caseIds: caseIds.subarray(0, p), villageIds: villageIds.subarray(0, p), pointIndex: pointIndex.subarray(0, p) } }
}
