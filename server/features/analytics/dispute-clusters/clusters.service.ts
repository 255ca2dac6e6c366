import type { Db } from '../../../core/db/database.ts'
import type { TimeWindow } from '../../../core/time/time-window.ts'
import { findDisputeArcs, findTownRefs, findVillagePoints, type ClusterParams, type DisputeClusterRow, type TownRow, type VillagePointRow } from './clusters.repository.ts'
import { findDisputeClusters } from './clustering.ts'

/** A village as a cluster or an arc names it. */
export interface VillageRef {
  id: number
  code: string
  name: string
  nameEn: string | null
}

/** Why a cluster is cross-village: its disputes lie in two or more villages, or their parties come from two or more. */
export type CrossVillageBy = 'location' | 'parties'

/** A town as a cluster names it. */
export type TownRef = TownRow

/** A dispute cluster with its villages and towns resolved and the cross-village and cross-town rules applied. */
export interface DisputeCluster extends DisputeClusterRow {
  villages: VillageRef[]
  partyVillages: VillageRef[]
  crossVillageBy: CrossVillageBy[]
  /** Towns of the members' villages and of the parties' home villages, by code. */
  towns: TownRef[]
  /** Why the cluster spans a town border: members located in two or more towns, or parties from two or more. */
  crossTownBy: CrossVillageBy[]
}

/** One arc between the home villages of the parties of cross-village disputes. */
export interface DisputeArc {
  source: VillageRef & { lon: number; lat: number }
  target: VillageRef & { lon: number; lat: number }
  count: number
  caseIds: number[]
}

const villageRef = (village: VillagePointRow): VillageRef => ({ id: village.id, code: village.code, name: village.name, nameEn: village.nameEn })
const round6 = (value: number) => Math.round(value * 1e6) / 1e6

/**
 * The cross-village rule (跨村纠纷): members located in two or more villages
 * (`location`), or parties from two or more home villages (`parties`); a
 * cluster may be both.
 */
export function crossVillageBy(cluster: Pick<DisputeClusterRow, 'villageIds' | 'partyVillageIds'>): CrossVillageBy[] {
  return [...(cluster.villageIds.length >= 2 ? ['location' as const] : []), ...(cluster.partyVillageIds.length >= 2 ? ['parties' as const] : [])]
}

/**
 * The cross-town rule (跨乡镇): the towns of the members' villages, and of the
 * parties' home villages, each two or more. A village whose town is unknown to
 * the reader (another town's, hidden from a town user) counts for nothing.
 */
export function crossTownBy(memberTowns: number[], partyTowns: number[]): CrossVillageBy[] {
  return [...(new Set(memberTowns).size >= 2 ? ['location' as const] : []), ...(new Set(partyTowns).size >= 2 ? ['parties' as const] : [])]
}

/**
 * Dispute clusters (DBSCAN in metres, optionally chained in time) with their
 * villages, their towns and the cross-village and cross-town rules. Which
 * disputes enter is the caller's (`params.townId`): a town user's town, or
 * every town for the county.
 */
export async function disputeClusters(db: Db, params: ClusterParams): Promise<DisputeCluster[]> {
  const clusters = await findDisputeClusters(db, params)
  const villageIds = [...new Set(clusters.flatMap((cluster) => [...cluster.villageIds, ...cluster.partyVillageIds]))]
  const points = await findVillagePoints(db, villageIds)
  const villages = new Map(points.map((village) => [village.id, villageRef(village)]))
  const townOf = new Map(points.map((village) => [village.id, village.townId]))
  const towns = new Map((await findTownRefs(db, [...new Set(townOf.values())])).map((town) => [town.id, town]))
  const refs = (ids: number[]) => ids.flatMap((id) => (villages.has(id) ? [villages.get(id)!] : []))
  const townIds = (ids: number[]) => ids.flatMap((id) => (townOf.has(id) && towns.has(townOf.get(id)!) ? [townOf.get(id)!] : []))
  return clusters.map((cluster) => {
    const [memberTowns, partyTowns] = [townIds(cluster.villageIds), townIds(cluster.partyVillageIds)]
    const involved = [...new Set([...memberTowns, ...partyTowns])].map((id) => towns.get(id)!).sort((a, b) => a.code.localeCompare(b.code))
    return {
      ...cluster,
      villages: refs(cluster.villageIds),
      partyVillages: refs(cluster.partyVillageIds),
      crossVillageBy: crossVillageBy(cluster),
      towns: involved,
      crossTownBy: crossTownBy(memberTowns, partyTowns),
    }
  })
}

/** Arcs between the home villages of the parties of cross-village disputes, most disputes first, with village points (6 decimals). */
export async function disputeArcs(db: Db, window: TimeWindow, townId?: number): Promise<DisputeArc[]> {
  const arcs = await findDisputeArcs(db, window, townId)
  const points = new Map(
    (await findVillagePoints(db, [...new Set(arcs.flatMap((arc) => [arc.villageA, arc.villageB]))])).map((village) => [
      village.id,
      { ...villageRef(village), lon: round6(village.lon), lat: round6(village.lat) },
    ]),
  )
  return arcs
    .filter((arc) => points.has(arc.villageA) && points.has(arc.villageB))
    .map((arc) => ({ source: points.get(arc.villageA)!, target: points.get(arc.villageB)!, count: arc.count, caseIds: arc.caseIds }))
}
