import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { collectionBody, featureText } from '../../../core/postgis/geojson.ts'
import { METRIC_SRID } from '../../../core/postgis/crs.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { HttpError } from '../../../core/http/http-error.ts'
import { GEOJSON_UTF8 } from '../../../core/ogc/links.ts'
import { findAreaBins, findBinCases, findBins, type BinFilter, type BinRow } from './bins.repository.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { protectCount, protectCounts, protectionNote, type CountProtection } from '../../../core/privacy/small-counts.ts'
import { countProtectionFor } from '../../key-persons/index.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import { BinCasesSchema, BinCollectionSchema } from '../analytics.schemas.ts'
import { requestedTown, TownQuery } from '../town-filter.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import type { Db } from '../../../core/db/database.ts'

/**
 * The only cell sizes of key-person bins, on the one fixed origin of the
 * metric grid (0,0 of EPSG:32647). Free sizes let a caller intersect cells of
 * many sizes down to one household. Squares of these sizes nest (each is
 * exactly four of the next smaller size), so asking for all of them reveals
 * no finer square than the smallest; hexagons do not nest, which is why a
 * protected caller also never sees a cell below k nor an unrounded count.
 */
export const KEY_PERSON_CELL_METERS = [250, 500, 1000] as const

const BinQuery = {
  layer: Type.Enum(['hazards', 'disputes', 'key-persons']),
  shape: Type.Optional(Type.Enum(['hex', 'square'], { default: 'hex' })),
  cellMeters: Type.Optional(
    Type.Number({
      minimum: 20,
      maximum: 20000,
      default: 500,
      description: `Cell size in real metres (computed in EPSG:${METRIC_SRID}, UTM 47N): hexagon edge length (= circumradius), or square side`,
    }),
  ),
  ...WindowQuery,
  status: Type.Optional(Type.String({ maxLength: 200, description: 'Comma-separated statuses (cases, or key-person statuses; default in_management,away)' })),
  category: Type.Optional(Type.String({ maxLength: 40 })),
  ...TownQuery,
}


async function filterOf(db: Db, user: UserRecord, query: { from?: string; to?: string; status?: string; category?: string; townId?: number }): Promise<BinFilter> {
  const statuses = query.status?.split(',').map((status) => status.trim()).filter((status) => status.length > 0)
  return { window: parseWindow(query), statuses, category: query.category, townId: await requestedTown(db, user, query.townId) }
}

function parseCell(cell: string): { i: number; j: number } {
  const match = /^(-?\d{1,9}),(-?\d{1,9})$/.exec(cell.trim())
  if (!match) throw new HttpError(400, 'bad_cell', { cell })
  return { i: Number(match[1]), j: Number(match[2]) }
}

/**
 * Key-person bins as a caller who may not see every person may see them:
 * cells (or areas) below k left out — the answer lists only non-empty cells,
 * so a suppressed cell's mere presence would say "somebody lives here" — and
 * the others' counts rounded to a multiple of k.
 */
function protectBins(rows: BinRow[], protection: CountProtection): BinRow[] {
  if (!protection) return rows
  return rows.flatMap((row) => {
    const count = protectCount(row.count, protection)
    if (count === null) return []
    return [{ ...row, count, byColour: row.byColour && (protectCounts(row.byColour, protection) as unknown as BinRow['byColour']) }]
  })
}

function binFeature(row: BinRow): string {
  return featureText(row.key, row.geometry, {
    cell: row.i === null ? null : row.key,
    i: row.i,
    j: row.j,
    areaId: row.areaId,
    name: row.name,
    count: row.count,
    byColour: row.byColour,
  })
}

/**
 * Hexagonal or square bins of hazards, disputes or key persons, counted by
 * the server in UTM 47N so that the cell size is in real metres; or counts per
 * village or base grid. Only non-empty cells; whole cells (not clipped to the
 * township). Key persons as counts only, in cells of 250, 500 or 1000 m only,
 * and protected for roles that may not see every person (see
 * `privacy/small-counts.ts`). Leaders, center, stations, admins.
 */
const binsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/bins',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Counts per hexagon or square of a metric grid, or per village / base grid (GeoJSON; non-empty cells only)',
        querystring: Type.Object(
          { ...BinQuery, groupBy: Type.Optional(Type.Enum(['grid', 'village'], { description: 'Count per area polygon instead of cells (grid = base grid)' })) },
          { additionalProperties: false },
        ),
        response: {
          200: BinCollectionSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const { layer, shape = 'hex', cellMeters = 500, groupBy } = request.query
      const filter = await filterOf(request.readDb, currentUser(request), request.query)
      const persons = layer === 'key-persons'
      if (persons && !groupBy && !(KEY_PERSON_CELL_METERS as readonly number[]).includes(cellMeters)) {
        throw new HttpError(400, 'key_person_cell_size', { size: cellMeters, allowed: KEY_PERSON_CELL_METERS.join(', ') })
      }
      const protection = persons ? await countProtectionFor(request.readDb, currentUser(request)) : undefined
      const found = groupBy
        ? await findAreaBins(request.readDb, layer, groupBy === 'grid' ? 'base_grid' : 'village', filter)
        : await findBins(request.readDb, layer, shape, cellMeters, filter)
      const rows = protectBins(found, protection)
      const members = {
        layer,
        shape: groupBy ? null : shape,
        cellMeters: groupBy ? null : cellMeters,
        groupBy: groupBy ?? null,
        crs: `EPSG:${METRIC_SRID}`,
        window: windowDto(filter.window),
        total: protectCount(found.reduce((sum, row) => sum + row.count, 0), protection),
        protection: protectionNote(protection),
      }
      return reply.type(GEOJSON_UTF8).send(collectionBody(rows.map(binFeature), members) as never)
    },
  )

  app.get(
    '/bins/cases',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'The hazards or disputes counted in one cell (same parameters as /api/analytics/bins plus cell=i,j); never key persons',
        querystring: Type.Object({ ...BinQuery, cell: Type.String({ maxLength: 30, description: '"i,j" as in the cell property of a bin' }) }, { additionalProperties: false }),
        response: {
          200: BinCasesSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { layer, shape = 'hex', cellMeters = 500 } = request.query
      if (layer === 'key-persons') throw new HttpError(400, 'key_person_bin_listing')
      const cell = parseCell(request.query.cell)
      const filter = await filterOf(request.readDb, currentUser(request), request.query)
      const rows = await findBinCases(request.readDb, layer, shape, cellMeters, cell, filter)
      return {
        cell: `${cell.i},${cell.j}`,
        window: windowDto(filter.window),
        cases: rows.map((row) => ({ ...row, reportedAt: row.reportedAt.toISOString() })),
      }
    },
  )
}

export default binsRoutes
