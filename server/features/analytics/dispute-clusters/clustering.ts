import type { Db } from '../../../core/db/database.ts'
import { dbscan } from './dbscan.ts'
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
 * How it stays fast at a million cases (issue 11 item 3: ~115k disputes in
 * 90 days, p95 < 300 ms): no state is kept between requests (nothing in
 * process memory to scope by town or to key by revision); each request reads
 * what it needs in two packed rows instead of 115k rows of text, and overlaps
 * the database with the server:
 *
 * - the points (index-only, stored UTM coordinates, one bytea row) and the
 *   parties' villages of every dispute of the window (index-only, one bytea
 *   row) are asked at once on two connections; the server clusters the
 *   points while the database still gathers the parties;
 * - then the hulls, from the extreme points of each cluster only.
 *
 * Largest cluster first, then by first member.
 */
export async function findDisputeClusters(db: Db, params: ClusterParams): Promise<DisputeClusterRow[]> {
  const [clustered, parties] = await Promise.all([
    findDisputePoints(db, params.window, params.townId).then(async (points) => {
      const labels = dbscan(points.x, points.y, params.distanceMeters, params.minPoints)
      const clusters = splitInTime(groupByLabel(labels), points, params).filter((members) => members.length >= params.minPoints)
      return { points, clusters, hulls: await findClusterHulls(db, hullPoints(clusters, points)) }
    }),
    findWindowParties(db, params.window, params.townId),
  ])
  const { points, clusters, hulls } = clustered
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
  const sets = clusters.map(() => new Set<number>())
  const ids = points.ids
  for (let k = 0; k < parties.caseIds.length; k++) {
    // The index of the party's dispute: binary search in the ascending ids.
    const id = parties.caseIds[k]
    let [lo, hi] = [0, ids.length - 1]
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (ids[mid] < id) lo = mid + 1
      else hi = mid
    }
    if (ids[lo] === id && clusterOf[lo] !== -1) sets[clusterOf[lo]].add(parties.villageIds[k])
  }
  return sets.map((villages) => [...villages].sort((a, b) => a - b))
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
 */
function hullCandidates(members: number[], points: DisputePoints): number[] {
  const { x, y } = points
  const sorted = [...members].sort((a, b) => x[a] - x[b] || y[a] - y[b])
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
