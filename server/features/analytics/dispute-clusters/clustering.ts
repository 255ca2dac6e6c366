import type { Db } from '../../../core/db/database.ts'
import { dbscan } from './dbscan.ts'
import { currentSnapshot, indexOf, memoryScope, windowOf } from './dispute-snapshot.ts'
import { findClusterHulls, findDisputePoints, findWindowParties, type ClusterParams, type DisputeClusterRow, type DisputePoints, type WindowParties } from './clusters.repository.ts'

const DAY_MICROS = 86_400_000_000

/**
 * Clusters of the disputes reported in the window: DBSCAN over their points
 * in UTM 47N with eps = `distanceMeters` (metres, not degrees), exactly as
 * `ST_ClusterDBSCAN(…) OVER (ORDER BY id)` (see dbscan.ts for why it runs in
 * the server and how it matches PostGIS, border points included). With
 * `windowDays`, each spatial cluster is then cut where two consecutive
 * members (by reported time, then id) are more than `windowDays` apart, and
 * pieces with fewer than `minPoints` members are dropped. Hull = convex hull
 * of the members, buffered by 20 m when it is not a polygon.
 *
 * How it stays fast at a million cases (issue 11 item 3: ~116k disputes in
 * 90 days, p95 < 300 ms): the server keeps every dispute in memory (about
 * 36 MB at a million cases: see dispute-snapshot.ts) at the current data
 * revision, and clusters the window from there. Reading the window from the
 * database on each request could not make it: even packed into one row and
 * read index-only, the 116k points and 280k parties took 0.7 s and 1.5 s of
 * database time at load 11 (EXPLAIN ANALYZE, December 2026), before any
 * clustering. A request now costs one small read (the revision), the window
 * picked from memory, DBSCAN, and one statement for the hulls.
 *
 * The snapshot is exactly the database at that revision: it is loaded in one
 * REPEATABLE READ transaction with the revision, and every write to cases or
 * parties moves the revision (migrations 0016, 0024), so the next request
 * loads a new one (~2 s at a million cases, shared by concurrent requests).
 * It holds every town; the request's town scope is applied in memory
 * (row-level security cannot see it). When the scope is unknown (code
 * outside a request's scope), the window is read from the database instead,
 * packed, the points and the parties at once on two connections.
 *
 * Largest cluster first, then by first member.
 */
export async function findDisputeClusters(db: Db, params: ClusterParams): Promise<DisputeClusterRow[]> {
  const scope = memoryScope()
  if (scope) {
    const { points, parties } = windowOf(await currentSnapshot(db), params.window, scope, params.townId)
    const clusters = clusterPoints(points, params)
    return toRows(clusters, points, parties, await findClusterHulls(db, hullPoints(clusters, points)))
  }
  const [clustered, parties] = await Promise.all([
    findDisputePoints(db, params.window, params.townId).then(async (points) => {
      const clusters = clusterPoints(points, params)
      return { points, clusters, hulls: await findClusterHulls(db, hullPoints(clusters, points)) }
    }),
    findWindowParties(db, params.window, params.townId),
  ])
  return toRows(clustered.clusters, clustered.points, parties, clustered.hulls)
}

/** DBSCAN, then the cut in time; clusters (point indexes, ascending) of at least minPoints members. */
function clusterPoints(points: DisputePoints, params: ClusterParams): number[][] {
  const labels = dbscan(points.x, points.y, params.distanceMeters, params.minPoints)
  return splitInTime(groupByLabel(labels), points, params).filter((members) => members.length >= params.minPoints)
}

/** The rows of the clusters: members, times, villages, parties' villages and hull. */
function toRows(clusters: number[][], points: DisputePoints, parties: WindowParties, hulls: Map<number, string>): DisputeClusterRow[] {
  const partyVillages = partyVillagesOf(clusters, points, parties)
  return clusters
    .map((members, cluster) => {
      let [first, last] = [Infinity, -Infinity]
      const villages = new Set<number>()
      for (const i of members) {
        first = Math.min(first, points.reportedAtMicros[i])
        last = Math.max(last, points.reportedAtMicros[i])
        villages.add(points.villageIds[i])
      }
      return {
        memberIds: members.map((i) => points.ids[i]),
        size: members.length,
        firstReportedAt: new Date(Math.floor(first / 1000)),
        lastReportedAt: new Date(Math.floor(last / 1000)),
        villageIds: [...villages].sort((a, b) => a - b),
        partyVillageIds: partyVillages[cluster],
        hull: hulls.get(cluster)!,
      }
    })
    .sort((a, b) => b.size - a.size || a.memberIds[0] - b.memberIds[0])
}

/** The extreme points of every cluster, for {@link findClusterHulls} (`cluster` numbers the clusters 0…n−1). */
function hullPoints(clusters: number[][], points: DisputePoints) {
  const out = { cluster: [] as number[], x: [] as number[], y: [] as number[] }
  clusters.forEach((members, cluster) => {
    for (const i of hullCandidates(members, points)) {
      out.cluster.push(cluster)
      out.x.push(points.x[i])
      out.y.push(points.y[i])
    }
  })
  return out
}

/**
 * The distinct home villages of the parties of each cluster's members,
 * ascending. A party of a dispute the points did not see (registered between
 * the two statements) belongs to no cluster and is skipped.
 */
function partyVillagesOf(clusters: number[][], points: DisputePoints, parties: WindowParties): number[][] {
  const clusterOf = new Int32Array(points.ids.length).fill(-1)
  clusters.forEach((members, cluster) => {
    for (const i of members) clusterOf[i] = cluster
  })
  // Villages numbered densely, so that "seen in this cluster" is one byte (a county has a few hundred villages).
  const villageNumber = new Map<number, number>()
  const partyVillage = new Int32Array(parties.caseIds.length)
  for (let k = 0; k < parties.caseIds.length; k++) {
    let v = villageNumber.get(parties.villageIds[k])
    if (v === undefined) villageNumber.set(parties.villageIds[k], (v = villageNumber.size))
    partyVillage[k] = v
  }
  const seen = new Uint8Array(clusters.length * villageNumber.size)
  const found = clusters.map(() => [] as number[])
  for (let k = 0; k < parties.caseIds.length; k++) {
    const i = parties.pointIndex ? parties.pointIndex[k] : indexOf(points.ids, parties.caseIds[k])
    if (i === -1 || clusterOf[i] === -1) continue
    const at = clusterOf[i] * villageNumber.size + partyVillage[k]
    if (seen[at]) continue
    seen[at] = 1
    found[clusterOf[i]].push(parties.villageIds[k])
  }
  return found.map((villages) => villages.sort((a, b) => a - b))
}

/** Indexes of the points of each cluster (ascending: the points come ascending by id), noise left out. */
function groupByLabel(labels: Int32Array): number[][] {
  const groups = new Map<number, number[]>()
  labels.forEach((label, i) => {
    if (label === -1) return
    const members = groups.get(label)
    if (members) members.push(i)
    else groups.set(label, [i])
  })
  return [...groups.values()]
}

/**
 * With `windowDays`, each cluster cut wherever two consecutive members (by
 * reported time, then id) are more than `windowDays` apart; members of each
 * piece ascending by id again.
 */
function splitInTime(clusters: number[][], points: DisputePoints, params: ClusterParams): number[][] {
  if (params.windowDays === undefined) return clusters
  const gapMicros = params.windowDays * DAY_MICROS
  const t = points.reportedAtMicros
  return clusters.flatMap((members) => {
    const byTime = [...members].sort((a, b) => t[a] - t[b] || a - b)
    const pieces: number[][] = [[byTime[0]]]
    for (let k = 1; k < byTime.length; k++) {
      if (t[byTime[k]] - t[byTime[k - 1]] > gapMicros) pieces.push([])
      pieces[pieces.length - 1].push(byTime[k])
    }
    return pieces.map((piece) => piece.sort((a, b) => a - b))
  })
}

/**
 * Members that include every extreme point of the cluster: the points on the
 * boundary of its convex hull, collinear ones kept (Andrew's monotone chain
 * without dropping collinear points), so that PostGIS computes the same hull
 * from them as from all members.
 *
 * Members well inside the octagon of the cluster's extreme points (least and
 * greatest x, y, x + y, x − y) cannot be on the hull and are dropped before
 * sorting (Akl–Toussaint): a 116k-member cluster keeps a few hundred. "Well"
 * is a margin of a millionth of the cluster's span squared in the cross
 * product (under a centimetre from an edge 10 km long), far above its
 * rounding error, so no point on or near the hull is ever dropped.
 */
function hullCandidates(members: number[], points: DisputePoints): number[] {
  const { x, y } = points
  const sorted = outsideOctagon(members, x, y).sort((a, b) => x[a] - x[b] || y[a] - y[b])
  if (sorted.length <= 3) return sorted
  const cross = (o: number, a: number, b: number) => (x[a] - x[o]) * (y[b] - y[o]) - (y[a] - y[o]) * (x[b] - x[o])
  const chain = (ordered: number[]) => {
    const out: number[] = []
    for (const p of ordered) {
      while (out.length >= 2 && cross(out[out.length - 2], out[out.length - 1], p) < 0) out.pop()
      out.push(p)
    }
    return out
  }
  return [...new Set([...chain(sorted), ...chain([...sorted].reverse())])]
}

/** The members not strictly inside the octagon of extreme points (by more than the margin); all of them when it is degenerate. */
function outsideOctagon(members: number[], x: Float64Array, y: Float64Array): number[] {
  if (members.length <= 8) return [...members]
  // Extreme members in counter-clockwise order of their direction: +x, +(x+y), +y, +(y−x), −x, −(x+y), −y, +(x−y).
  const extremes = new Array<number>(8).fill(members[0])
  const best = new Float64Array(8).fill(-Infinity)
  const scores = new Float64Array(8)
  for (const i of members) {
    const px = x[i]
    const py = y[i]
    scores[0] = px
    scores[1] = px + py
    scores[2] = py
    scores[3] = py - px
    scores[4] = -px
    scores[5] = -px - py
    scores[6] = -py
    scores[7] = px - py
    for (let k = 0; k < 8; k++) {
      if (scores[k] > best[k]) {
        best[k] = scores[k]
        extremes[k] = i
      }
    }
  }
  const ring = extremes.filter((i, k) => i !== extremes[(k + 7) % 8])
  if (new Set(ring).size < 3) return [...members]
  const span = Math.max(x[extremes[0]] - x[extremes[4]], y[extremes[2]] - y[extremes[6]])
  const margin = 1e-6 * span * span
  const kept: number[] = []
  for (const p of members) {
    for (let k = 0; k < ring.length; k++) {
      const [a, b] = [ring[k], ring[(k + 1) % ring.length]]
      if ((x[b] - x[a]) * (y[p] - y[a]) - (y[b] - y[a]) * (x[p] - x[a]) <= margin) {
        kept.push(p)
        break
      }
    }
  }
  return kept
}
