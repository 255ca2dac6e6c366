import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ANALYTICS_ROLES, analyticsAccess } from './access.ts'
import { HttpError } from '../../core/http/http-error.ts'
import { toRiskSettingsDto } from './analytics-dto.ts'
import { findRiskSettings, updateRiskSettings } from './settings.repository.ts'
import { errorResponses } from '../../core/http/common.schemas.ts'
import { RiskSettingsBodySchema, RiskSettingsSchema } from './analytics.schemas.ts'
import { STAFF } from '../../core/auth/access.ts'

/** The risk-score weights, half-life and colour thresholds: read by every role, changed by admins. */
const analyticsSettingsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/settings',
    {
      config: { access: STAFF },
      schema: {
        tags: ['Analytics'],
        summary: 'How the risk score is computed: weights, half-life, colour thresholds and the formula (every role)',
        response: { 200: RiskSettingsSchema, ...errorResponses(401) },
      },
    },
    async () => toRiskSettingsDto(await findRiskSettings(app.db)),
  )

  app.put(
    '/settings',
    {
      config: { access: analyticsAccess(ANALYTICS_ROLES.settingsWrite) },
      schema: {
        tags: ['Analytics'],
        summary: 'Change the risk-score weights, half-life and colour thresholds (admin); applies to every score computed afterwards',
        body: RiskSettingsBodySchema,
        response: { 200: RiskSettingsSchema, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const { thresholds } = request.body
      if (!(thresholds.yellow < thresholds.orange && thresholds.orange < thresholds.red)) {
        throw new HttpError(400, 'bad_risk_thresholds', thresholds)
      }
      return toRiskSettingsDto(await updateRiskSettings(app.db, request.body, request.user!.id))
    },
  )
}

export default analyticsSettingsRoutes
