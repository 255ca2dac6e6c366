import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ANALYTICS_ACCESS } from '../access.ts'
import { collectionBody, featureText } from '../../../core/postgis/geojson.ts'
import { roundScore } from './formula.ts'
import { parseWindow, windowDto, WindowQuery } from '../../../core/time/time-window.ts'
import { toAreaRef, toExplainedCaseDto, roundBreakdown, toRiskProperties, toRiskSettingsDto } from '../analytics-dto.ts'
import { GEOJSON_UTF8 } from '../../../core/ogc/links.ts'
import type { RiskLevel } from './risk.repository.ts'
import { computeRisk, explainRisk, riskChange } from './risk.service.ts'
import { currentUser } from '../../../core/auth/auth.plugin.ts'
import { requestedTown as riskTown, TownQuery } from '../town-filter.ts'
import { countProtectionFor } from '../../key-persons/index.ts'
import { findRiskSettings } from '../settings.repository.ts'
import type { Db } from '../../../core/db/database.ts'
import type { UserRecord } from '../../../core/auth/users.repository.ts'
import { errorResponses } from '../../../core/http/common.schemas.ts'
import {
  RiskChangeSchema,
  RiskCollectionSchema,
  RiskExplanationSchema,
  RiskLevelSchema,
  RiskScoresSchema,
} from '../analytics.schemas.ts'

const LEVELS = { grid: 'base_grid', village: 'village', fine_grid: 'fine_grid', town: 'town' } as const satisfies Record<string, RiskLevel>

/**
 * The risk map (风险一张图): per-area scores as GeoJSON, the events behind one
 * score, and the change between two windows. Leaders, the center, stations
 * and admins; grid workers 403.
 */
/**
 * What a risk map needs before its sums, read together (one round trip, not
 * three in a row): the key-person count protection, the town asked for and
 * the formula's settings.
 */
async function riskInputs(db: Db, user: UserRecord, townId: number | undefined) {
  const [protection, town, settings] = await Promise.all([countProtectionFor(db, user), riskTown(db, user, townId), findRiskSettings(db)])
  return { protection, townId: town, settings }
}

const riskRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/risk',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Risk score and four-colour grade of every current grid or village (GeoJSON)',
        description:
          'Score = Σ open hazards × severity weight + Σ active disputes × tier weight × 0.5^(age/half-life) + Σ key persons in management × colour weight + Σ overdue × penalty, ' +
          'as of `to` over cases reported in [from, to) (see GET /api/analytics/settings). Cases count for the area id recorded at registration.',
        querystring: Type.Object({ level: Type.Optional(RiskLevelSchema), ...TownQuery, ...WindowQuery }, { additionalProperties: false }),
        response: {
          200: RiskCollectionSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request, reply) => {
      const level = LEVELS[request.query.level ?? 'grid']
      const window = parseWindow(request.query)
      const { protection, townId, settings } = await riskInputs(request.readDb, currentUser(request), request.query.townId)
      const risks = await computeRisk(request.readDb, level, window, { withGeometry: true, protection, townId, settings })
      const features = risks.map((risk) => featureText(risk.area.id, risk.area.geometry, toRiskProperties(risk)))
      return reply.type(GEOJSON_UTF8).send(collectionBody(features, { level: request.query.level ?? 'grid', window: windowDto(window) }) as never)
    },
  )

  app.get(
    '/risk/scores',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Risk score and colour of every current grid or village by area id, without geometry (join to the area layers)',
        description:
          'The same scores as GET /api/analytics/risk (same formula, window and key-person protection), without the outlines: ' +
          'the map joins them by area id to the geometry it already has, so only the values that change travel.',
        querystring: Type.Object({ level: Type.Optional(RiskLevelSchema), ...TownQuery, ...WindowQuery }, { additionalProperties: false }),
        response: {
          200: RiskScoresSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const level = LEVELS[request.query.level ?? 'grid']
      const window = parseWindow(request.query)
      const { protection, townId, settings } = await riskInputs(request.readDb, currentUser(request), request.query.townId)
      const risks = await computeRisk(request.readDb, level, window, { protection, townId, settings })
      return {
        level: request.query.level ?? 'grid',
        window: windowDto(window),
        areas: risks.map((risk) => ({
          id: risk.area.id,
          score: roundScore(risk.score),
          colour: risk.colour,
          breakdown: roundBreakdown(risk.breakdown),
          counts: risk.counts,
        })),
      }
    },
  )

  app.get(
    '/risk/change',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'Change of each area’s risk score between two windows, largest rise first',
        querystring: Type.Object(
          {
            level: Type.Optional(RiskLevelSchema),
            ...TownQuery,
            ...WindowQuery,
            compareFrom: Type.Optional(Type.String({ format: 'date-time', description: 'Start of the comparison window, INCLUSIVE' })),
            compareTo: Type.String({ format: 'date-time', description: 'End of the comparison window, EXCLUSIVE (its scores are as of this instant)' }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: RiskChangeSchema,
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => {
      const level = LEVELS[request.query.level ?? 'grid']
      const window = parseWindow(request.query)
      const compare = parseWindow({ from: request.query.compareFrom, to: request.query.compareTo }, window.to, { from: 'compareFrom', to: 'compareTo' })
      const user = currentUser(request)
      const rows = await riskChange(request.readDb, level, window, compare, await countProtectionFor(request.readDb, user), await riskTown(request.readDb, user, request.query.townId))
      return {
        level: request.query.level ?? 'grid',
        window: windowDto(window),
        compareWindow: windowDto(compare),
        areas: rows.map((row) => ({
          area: toAreaRef(row.risk.area),
          score: roundScore(row.risk.score),
          colour: row.risk.colour,
          compareScore: roundScore(row.compareScore),
          compareColour: row.compareColour,
          delta: roundScore(row.delta),
        })),
      }
    },
  )

  app.get(
    '/risk/:areaId/explain',
    {
      config: { access: ANALYTICS_ACCESS, reads: 'replica' },
      schema: {
        tags: ['Analytics'],
        summary: 'The events behind one area’s score, each with its contribution (key persons as counts by colour only)',
        params: Type.Object({ areaId: Type.Integer({ minimum: 1, description: 'Village, base-grid or fine-grid area id' }) }),
        querystring: Type.Object(WindowQuery, { additionalProperties: false }),
        response: {
          200: RiskExplanationSchema,
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const window = parseWindow(request.query)
      const explained = await explainRisk(request.readDb, request.params.areaId, window, await countProtectionFor(request.readDb, currentUser(request)))
      return {
        area: toAreaRef(explained.area),
        window: windowDto(window),
        score: roundScore(explained.score),
        colour: explained.colour,
        breakdown: roundBreakdown(explained.breakdown),
        counts: explained.counts,
        settings: toRiskSettingsDto(explained.settings),
        cases: explained.cases.map(toExplainedCaseDto),
        keyPersons: explained.keyPersons,
      }
    },
  )
}

export default riskRoutes
