import { Type } from 'typebox'

/** A comma-separated list of short keys (statuses, categories, grades). */
const KeyList = (what: string) =>
  Type.Optional(Type.String({ pattern: '^[a-z0-9_]*(,[a-z0-9_]+)*$', maxLength: 400, description: `Comma-separated ${what}; only these (case layers only; empty = none)` }))

/** Query properties of the case-layer filters and server-side clustering of a tile. */
export const CaseTileQuery = {
  status: KeyList('statuses'),
  category: KeyList('categories'),
  grade: KeyList('severities (hazards) or tiers (disputes)'),
  v: Type.Optional(Type.String({ maxLength: 40, description: 'Ignored: a client revision, so that a changed tile set gets new URLs (no stale cached tiles)' })),
  cluster: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 23,
      description:
        'Cluster tiles whose zoom is below this (one vector source serves clusters when zoomed out and cases when zoomed in): ' +
        'the cases are aggregated into cells of 1/8 of the tile side (64 px of a 512-px tile), aligned to the tile grid; one feature per cell ' +
        'at the mean position with point_count, overdue and near; a cell of one case carries that case (its id and properties) as well',
    }),
  ),
}

/** Filters of a case tile; a list that is set keeps only its values. */
export interface CaseTileFilter {
  statuses?: string[]
  categories?: string[]
  grades?: string[]
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined
  return value === '' ? [] : value.split(',')
}

/** The filters of a tile request's query. */
export function parseCaseTileFilter(query: { status?: string; category?: string; grade?: string }): CaseTileFilter {
  return { statuses: list(query.status), categories: list(query.category), grades: list(query.grade) }
}
