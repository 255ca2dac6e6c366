import type { Db } from '../../../core/db/database.ts'
import { dbscan } from './dbscan.ts'
import { findClusterHulls, findDisputePoints, findPartyVillages, type ClusterParams, type DisputeClusterRow, type DisputePoints } from './clusters.repository.ts'

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
 * Three statements: the points (one index-only scan), then the hulls of all
 * clusters and their parties' villages. Largest cluster first, then by first member.
 */
export async function findDisputeClusters(db: Db, params: ClusterParams): Promise<DisputeClusterRow[]> {
  const points = await findDisputePoints(db, params.window, params.townId)
  const labels = dbscan(points.x, points.y, params.distanceMeters, params.minPoints)
  const clusters = splitInTime(groupByLabel(labels), points, params).filter((members) => members.length >= params.minPoints)
  if (clusters.length === 0) return []
  const hullPoints = { cluster: [] as number[], x: [] as number[], y: [] as number[] }
  clusters.forEach((members, cluster) => {
    for (const i of hullCandidates(members, points)) {
      hullPoints.cluster.push(cluster)
      hullPoints.x.push(points.x[i])
      hullPoints.y.push(points.y[i])
    }
  })
  const memberIds = clusters.map((members) => members.map((i) => points.ids[i]))
  const hulls = await findClusterHulls(db, hullPoints)
  const partyVillages = await findPartyVillages(db, memberIds)
  return clusters
    .map((members, cluster) => {
      let [first, last] = [Infinity, -Infinity]
      for (const i of members) {
        first = Math.min(first, points.reportedAtMicros[i])
        last = Math.max(last, points.reportedAtMicros[i])
      }
      return {
        memberIds: memberIds[cluster],
        size: members.length,
        firstReportedAt: new Date(Math.floor(first / 1000)),
        lastReportedAt: new Date(Math.floor(last / 1000)),
        villageIds: [...new Set(members.map((i) => points.villageIds[i]))].sort((a, b) => a - b),
        partyVillageIds: partyVillages[cluster],
        hull: hulls.get(cluster)!,
      }
    })
    .sort((a, b) => b.size - a.size || a.memberIds[0] - b.memberIds[0])
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
