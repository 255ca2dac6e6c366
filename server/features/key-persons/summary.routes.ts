import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { PersonStatus } from '../../core/db/tables/key-person.ts'
import type { Lang } from '../../core/i18n/messages.ts'
import { GEOJSON } from '../../core/ogc/links.ts'
import { currentUser } from '../../core/auth/auth.plugin.ts'
import { protectCount, protectCounts, protectionNote, type CountProtection } from '../../core/privacy/small-counts.ts'
import { countProtectionFor } from './count-protection.ts'
import { findAreaLabels, listCurrentAreaIds, summarizeKeyPersons, type SummaryGroupBy, type SummaryGroupRow } from './key-persons.repository.ts'
import { listCategories, listColours } from './settings.repository.ts'
import type { Db } from '../../core/db/database.ts'
import { ColourSchema, PersonSummarySchema, StatusSchema, type SummaryGroupDto } from './key-persons.schemas.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { STAFF } from '../../core/auth/access.ts'

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

const ZERO_COUNTS = { total: 0, red: 0, orange: 0, yellow: 0, green: 0, overdue: 0, dueSoon: 0 }

/**
 * The rows of a protected summary in a fixed shape: every category, colour or
 * current area of the level (and "outside any grid"), empty ones included.
 * Listing only non-empty groups would tell a reader that a suppressed group
 * holds somebody; with every group listed, a null says only "fewer than k".
 */
async function fixedShapeRows(db: Db, groupBy: SummaryGroupBy, rows: SummaryGroupRow[]): Promise<SummaryGroupRow[]> {
  const keys: Array<string | number | null> =
    groupBy === 'category'
      ? (await listCategories(db)).map((c) => c.key)
      : groupBy === 'colour'
        ? (await listColours(db)).map((c) => c.colour)
        : [...(await listCurrentAreaIds(db, groupBy)), ...(groupBy === 'village' ? [] : [null])]
  const found = new Map(rows.map((row) => [String(row.key), row]))
  const listed = keys.map((key) => found.get(String(key)) ?? { key, ...ZERO_COUNTS })
  const listedKeys = new Set(keys.map(String))
  return [...listed, ...rows.filter((row) => !listedKeys.has(String(row.key)))]
}

/** One summary group's counts as the caller may see them. */
function groupCounts(row: SummaryGroupRow, protection: CountProtection) {
  const total = protectCount(row.total, protection)
  return {
    total,
    byColour: protectCounts({ red: row.red, orange: row.orange, yellow: row.yellow, green: row.green }, protection),
    overdue: protectCount(row.overdue, protection),
    dueSoon: protectCount(row.dueSoon, protection),
    suppressed: total === null,
  }
}

async function labelGroups(db: Db, groupBy: SummaryGroupBy, rows: SummaryGroupRow[], lang: Lang, protection: CountProtection): Promise<SummaryGroupDto[]> {
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
      ...groupCounts(row, protection),
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
      ...groupCounts(row, protection),
    }
  })
}

/** Heat weight from counts as shown (suppressed counts weigh nothing), or null when the total is suppressed. */
function heatWeight(counts: ReturnType<typeof groupCounts>): number | null {
  if (counts.total === null) return null
  const { red, orange, yellow, green } = counts.byColour
  return (red ?? 0) * COLOUR_WEIGHTS.red + (orange ?? 0) * COLOUR_WEIGHTS.orange + (yellow ?? 0) * COLOUR_WEIGHTS.yellow + (green ?? 0) * COLOUR_WEIGHTS.green
}

/**
 * Aggregates of key persons for every role: counts per grid, village,
 * category or colour, and a heat layer of grid outlines. No names, no points.
 * Roles that may not see every person get them with small-count protection
 * (see `privacy/small-counts.ts`): every group listed, counts below k null,
 * the others rounded to a multiple of k.
 */
const keyPersonsSummaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/summary',
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
          200: PersonSummarySchema,
          ...errorResponses(400, 401),
        },
      },
    },
    async (request) => {
      const { groupBy = 'grid', status, ...filter } = request.query
      const statuses = statusesOf(status)
      const column = GROUP_BY[groupBy]
      const protection = await countProtectionFor(app.db, currentUser(request))
      const found = await summarizeKeyPersons(app.db, new Date(), column, { ...filter, statuses })
      const rows = protection ? await fixedShapeRows(app.db, column, found) : found
      const groups = await labelGroups(app.db, column, rows, request.lang, protection)
      const total = protectCount(found.reduce((sum, row) => sum + row.total, 0), protection)
      return { groupBy, statuses, total, protection: protectionNote(protection), groups }
    },
  )

  app.get(
    '/heat',
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
      const protection = await countProtectionFor(app.db, currentUser(request))
      const found = await summarizeKeyPersons(app.db, new Date(), column, { ...filter, statuses: statusesOf(status) })
      const rows = (protection ? await fixedShapeRows(app.db, column, found) : found).filter((row) => row.key !== null)
      const areas = new Map((await findAreaLabels(app.db, rows.map((row) => Number(row.key)), true)).map((a) => [a.id, a]))
      const features = rows.flatMap((row) => {
        const area = areas.get(Number(row.key))
        if (!area?.geometry) return []
        const counts = groupCounts(row, protection)
        const properties = {
          level: area.level,
          code: area.code,
          name: area.name,
          nameEn: area.nameEn,
          total: counts.total,
          ...counts.byColour,
          overdue: counts.overdue,
          dueSoon: counts.dueSoon,
          suppressed: counts.suppressed,
          weight: heatWeight(counts),
        }
        return [`{"type":"Feature","id":${area.id},"geometry":${area.geometry},"properties":${JSON.stringify(properties)}}`]
      })
      const note = JSON.stringify(protectionNote(protection))
      return reply.type(GEOJSON).send(`{"type":"FeatureCollection","protection":${note},"features":[${features.join(',')}]}` as never)
    },
  )
}

export default keyPersonsSummaryRoutes
