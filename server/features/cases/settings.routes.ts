import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { HttpError } from '../../core/http/http-error.ts'
import { CASE_ROLES } from './access.ts'
import { GRADE_LABELS, KIND_LABELS, label } from './labels.ts'
import {
  listDeadlineSettings,
  listRoutingRules,
  listStationKeys,
  updateDeadlineHours,
  upsertRoutingRule,
  type DeadlineSettingRow,
  type RoutingRuleRow,
} from './settings.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { CategorySchema, RoutingRuleSchema as RuleSchema } from './cases.schemas.ts'
import { STAFF } from '../../core/auth/access.ts'

const KindSchema = Type.Enum(['hazard', 'dispute'])
const DeadlineSchema = Type.Object({ kind: Type.String(), grade: Type.String(), hours: Type.Integer(), updatedAt: Type.String(), updatedBy: Type.String() })

const toRule = (row: RoutingRuleRow) => ({
  kind: row.kind,
  category: row.category,
  nameZh: row.name_zh,
  nameEn: row.name_en,
  stationKey: row.station_key,
  sortOrder: row.sort_order,
  updatedAt: row.updated_at.toISOString(),
  updatedBy: row.updated_by,
})
const toDeadline = (row: DeadlineSettingRow) => ({ kind: row.kind, grade: row.grade, hours: row.hours, updatedAt: row.updated_at.toISOString(), updatedBy: row.updated_by })

/** Categories with their default stations (routing rules) and deadline settings; read by all, changed by admins. */
const caseSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {

  app.get(
    '/routing-rules',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Cases'],
        summary: 'Case categories and the station each is dispatched to by default',
        querystring: Type.Object({ kind: Type.Optional(KindSchema) }, { additionalProperties: false }),
        response: { 200: Type.Object({ rules: Type.Array(RuleSchema) }), ...errorResponses(400, 401) },
      },
    },
    async (request) => ({ rules: (await listRoutingRules(app.db, request.query.kind)).map(toRule) }),
  )

  app.put(
    '/routing-rules/:kind/:category',
    {
      config: { access: { roles: CASE_ROLES.settingsWrite } },
      schema: {
        tags: ['Cases'],
        summary: 'Create or change a category and its default station (admin)',
        params: Type.Object({ kind: KindSchema, category: CategorySchema }),
        body: Type.Object(
          {
            stationKey: Type.String({ maxLength: 40 }),
            nameZh: Type.String({ minLength: 1, maxLength: 50 }),
            nameEn: Type.String({ minLength: 1, maxLength: 100 }),
            sortOrder: Type.Optional(Type.Integer({ minimum: 0, maximum: 10000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: RuleSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { kind, category } = request.params
      if (!(await listStationKeys(app.db)).includes(request.body.stationKey)) throw new HttpError(400, 'unknown_station', { key: request.body.stationKey })
      return toRule(await upsertRoutingRule(app.db, { kind, category, ...request.body, updatedBy: request.user!.username }))
    },
  )

  app.get(
    '/deadline-settings',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Cases'],
        summary: 'Hours allowed per dispute tier and hazard severity (defaults: general 72, complex 360, major 24 to escalate)',
        response: { 200: Type.Object({ settings: Type.Array(DeadlineSchema) }), ...errorResponses(401) },
      },
    },
    async () => ({ settings: (await listDeadlineSettings(app.db)).map(toDeadline) }),
  )

  app.put(
    '/deadline-settings/:kind/:grade',
    {
      config: { access: { roles: CASE_ROLES.settingsWrite } },
      schema: {
        tags: ['Cases'],
        summary: 'Change the hours of a tier or severity (admin); applies to cases registered or re-tiered afterwards',
        params: Type.Object({ kind: KindSchema, grade: Type.String({ maxLength: 20 }) }),
        body: Type.Object({ hours: Type.Integer({ minimum: 1, maximum: 8760 }) }, { additionalProperties: false }),
        response: { 200: DeadlineSchema, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const { kind, grade } = request.params
      const row = await updateDeadlineHours(app.db, kind, grade, request.body.hours, request.user!.username)
      if (!row) {
        const allowed = kind === 'dispute' ? 'general, complex, major' : 'low, medium, high, critical'
        throw new HttpError(404, 'unknown_deadline_grade', { kind, grade, allowed, kindLabel: label(KIND_LABELS, kind, 'zh'), gradeLabel: label(GRADE_LABELS, grade, 'zh') })
      }
      return toDeadline(row)
    },
  )
}

export default caseSettingsRoutes
