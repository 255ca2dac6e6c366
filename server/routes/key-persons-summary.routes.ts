import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { PersonStatus } from '../db/tables/key-person.table.ts'
import type { Lang } from '../i18n/messages.ts'
import { GEOJSON } from '../ogc/links.util.ts'
import { findAreaLabels, summarizeKeyPersons, type SummaryGroupBy, type SummaryGroupRow } from '../repositories/key-persons.repository.ts'
import { listCategories, listColours } from '../repositories/key-person-settings.repository.ts'
import type { Db } from '../db/database.ts'
import { ColourSchema, StatusSchema, SummaryGroupSchema, type SummaryGroupDto } from './key-persons.schemas.ts'
import { errorResponses } from './schemas.ts'
import { STAFF } from '../security/access.ts'

/** Heat weight of each colour (red needs the most attention). */
export const COLOUR_WEIGHTS = { red: 4, orange: 3, yellow: 2, green: 1 } as const

const ACTIVE_STATUSES: PersonStatus[] = ['in_management', 'away']

const GROUP_BY = {
  grid: 'base_grid',
  base_grid: 'base_grid',
  fine_grid: 'fine_grid',
  village: 'village',
  category: 'category',
  colour: 'colour',
} as const satisfies Record<string, SummaryGroupBy>

const FilterProperties = {
  category: Type.Optional(Type.String({ maxLength: 40 })),
  colour: Type.Optional(ColourSchema),
  status: Type.Optional(StatusSchema),
}

function statusesOf(status: PersonStatus | undefined): PersonStatus[] {
  return status ? [status] : ACTIVE_STATUSES
}

async function labelGroups(db: Db, groupBy: SummaryGroupBy, rows: SummaryGroupRow[], lang: Lang): Promise<SummaryGroupDto[]> {
  const byColour = (row: SummaryGroupRow) => ({ red: row.red, orange: row.orange, yellow: row.yellow, green: row.green })
  if (groupBy === 'category' || groupBy === 'colour') {
    const labels = new Map<string, string>(
      groupBy === 'category'
        ? (await listCategories(db)).map((c) => [c.key, lang === 'zh' ? c.labelZh : c.labelEn])
        : (await listColours(db)).map((c) => [c.colour, lang === 'zh' ? c.labelZh : c.labelEn]),
    )
    return rows.map((row) => ({
      key: row.key,
      area: null,
      label: labels.get(String(row.key)) ?? String(row.key),
      total: row.total,
      byColour: byColour(row),
      overdue: row.overdue,
      dueSoon: row.dueSoon,
    }))
  }
  const areas = new Map(
    (await findAreaLabels(db, rows.map((row) => Number(row.key)).filter((id) => Number.isInteger(id) && id > 0))).map((a) => [a.id, a]),
  )
  return rows.map((row) => {
    const area = row.key === null ? undefined : areas.get(Number(row.key))
    return {
      key: row.key === null ? null : Number(row.key),
      area: area ? { id: area.id, level: area.level, code: area.code, name: area.name, nameEn: area.nameEn } : null,
      label: area ? (lang === 'zh' ? area.name : (area.nameEn ?? area.name)) : lang === 'zh' ? '未划入网格' : 'Outside any grid',
      total: row.total,
      byColour: byColour(row),
      overdue: row.overdue,
      dueSoon: row.dueSoon,
    }
  })
}

/**
 * Aggregates of key persons for every role: counts per grid, village,
 * category or colour, and a heat layer of grid outlines. No names, no points.
 */
const keyPersonsSummaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/api/key-persons/summary',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Key persons'],
        summary: 'Counts of key persons per grid, village, category or colour (no identities; every role)',
        querystring: Type.Object(
          {
            groupBy: Type.Optional(
              Type.Union(
                [Type.Literal('grid'), Type.Literal('fine_grid'), Type.Literal('village'), Type.Literal('category'), Type.Literal('colour')],
                { default: 'grid', description: 'grid = base grid' },
              ),
            ),
            ...FilterProperties,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            groupBy: Type.String(),
            statuses: Type.Array(StatusSchema),
            total: Type.Integer(),
            groups: Type.Array(SummaryGroupSchema),
          }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const { groupBy = 'grid', status, ...filter } = request.query
      const statuses = statusesOf(status)
      const column = GROUP_BY[groupBy]
      const rows = await summarizeKeyPersons(app.db, new Date(), column, { ...filter, statuses })
      const groups = await labelGroups(app.db, column, rows, request.lang)
      return { groupBy, statuses, total: rows.reduce((sum, row) => sum + row.total, 0), groups }
    },
  )

  app.get(
    '/api/key-persons/heat',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Key persons'],
        summary: 'Heat layer: grid or village outlines with counts and a colour-weighted score (GeoJSON; every role)',
        querystring: Type.Object(
          {
            level: Type.Optional(Type.Union([Type.Literal('grid'), Type.Literal('village')], { default: 'grid' })),
            ...FilterProperties,
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Object({}, { additionalProperties: true })) },
            { description: 'GeoJSON FeatureCollection of MultiPolygons' },
          ),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const { level = 'grid', status, ...filter } = request.query
      const column = level === 'village' ? 'village' : 'base_grid'
      const rows = (await summarizeKeyPersons(app.db, new Date(), column, { ...filter, statuses: statusesOf(status) })).filter(
        (row) => row.key !== null,
      )
      const areas = new Map((await findAreaLabels(app.db, rows.map((row) => Number(row.key)), true)).map((a) => [a.id, a]))
      const features = rows.flatMap((row) => {
        const area = areas.get(Number(row.key))
        if (!area?.geometry) return []
        const weight = row.red * COLOUR_WEIGHTS.red + row.orange * COLOUR_WEIGHTS.orange + row.yellow * COLOUR_WEIGHTS.yellow + row.green * COLOUR_WEIGHTS.green
        const properties = {
          level: area.level,
          code: area.code,
          name: area.name,
          nameEn: area.nameEn,
          total: row.total,
          red: row.red,
          orange: row.orange,
          yellow: row.yellow,
          green: row.green,
          overdue: row.overdue,
          dueSoon: row.dueSoon,
          weight,
        }
        return [`{"type":"Feature","id":${area.id},"geometry":${area.geometry},"properties":${JSON.stringify(properties)}}`]
      })
      return reply.type(GEOJSON).send(`{"type":"FeatureCollection","features":[${features.join(',')}]}` as never)
    },
  )
}

export default keyPersonsSummaryRoutes
